import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddCertificates1795446321313 implements MigrationInterface {
  name = 'AddCertificates1795446321313';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "certificate" ("number" text NOT NULL, "case_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "certifier_id" uuid NOT NULL, "edition_id" text NOT NULL, "level" text, "issued_on" date NOT NULL, "check_in_due_on" date, "valid_until" date NOT NULL, "package_sha256" character(64) NOT NULL, "status" text NOT NULL, "status_reason" text, "superseded_by" text, "version" integer NOT NULL DEFAULT \'1\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "certificate_status_check" CHECK ("status" IN (\'active\', \'suspended\', \'revoked\', \'expired\', \'superseded\')), CONSTRAINT "certificate_pkey" PRIMARY KEY ("number"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "certificate_case_key" ON "certificate" ("case_id") ');
    await queryRunner.query(
      'CREATE INDEX "certificate_registry_idx" ON "certificate" ("status", "issued_on") ',
    );
    await queryRunner.query(
      'CREATE TABLE "certificate_counter" ("year" integer NOT NULL, "last_number" integer NOT NULL, CONSTRAINT "certificate_counter_pkey" PRIMARY KEY ("year"))',
    );
    await queryRunner.query(
      'ALTER TABLE "certificate" ADD CONSTRAINT "certificate_case_fk" FOREIGN KEY ("case_id") REFERENCES "certification_case"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "certificate" ADD CONSTRAINT "certificate_institution_fk" FOREIGN KEY ("institution_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "certificate" ADD CONSTRAINT "certificate_certifier_fk" FOREIGN KEY ("certifier_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "certificate" DROP CONSTRAINT "certificate_certifier_fk"');
    await queryRunner.query('ALTER TABLE "certificate" DROP CONSTRAINT "certificate_institution_fk"');
    await queryRunner.query('ALTER TABLE "certificate" DROP CONSTRAINT "certificate_case_fk"');
    await queryRunner.query('DROP TABLE "certificate_counter"');
    await queryRunner.query('DROP INDEX "public"."certificate_registry_idx"');
    await queryRunner.query('DROP INDEX "public"."certificate_case_key"');
    await queryRunner.query('DROP TABLE "certificate"');
  }
}
