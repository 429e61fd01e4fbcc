import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddFindings1795444699896 implements MigrationInterface {
  name = 'AddFindings1795444699896';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "finding" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "indicator_codes" text array NOT NULL, "severity" text NOT NULL, "description" text NOT NULL, "recommendation" text NOT NULL, "corrective_action_due_on" date, "status" text NOT NULL DEFAULT \'open\', "resolution_note" text, "resolved_by" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL DEFAULT \'1\', "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "finding_status_check" CHECK ("status" IN (\'open\', \'resolved\', \'unresolved\')), CONSTRAINT "finding_severity_check" CHECK ("severity" IN (\'major\', \'minor\', \'observation\')), CONSTRAINT "finding_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "finding_case_idx" ON "finding" ("case_id", "created_at") ');
    await queryRunner.query(
      'CREATE TABLE "finding_response" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "finding_id" uuid NOT NULL, "text" text NOT NULL, "evidence_ids" uuid array NOT NULL DEFAULT \'{}\', "responded_by" uuid NOT NULL, "responded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "finding_response_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "finding_response_finding_idx" ON "finding_response" ("finding_id", "responded_at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "finding" ADD CONSTRAINT "finding_case_fk" FOREIGN KEY ("case_id") REFERENCES "certification_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "finding_response" ADD CONSTRAINT "finding_response_finding_fk" FOREIGN KEY ("finding_id") REFERENCES "finding"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "finding_response" DROP CONSTRAINT "finding_response_finding_fk"');
    await queryRunner.query('ALTER TABLE "finding" DROP CONSTRAINT "finding_case_fk"');
    await queryRunner.query('DROP INDEX "public"."finding_response_finding_idx"');
    await queryRunner.query('DROP TABLE "finding_response"');
    await queryRunner.query('DROP INDEX "public"."finding_case_idx"');
    await queryRunner.query('DROP TABLE "finding"');
  }
}
