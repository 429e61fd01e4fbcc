import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddCases1795443205631 implements MigrationInterface {
  name = 'AddCases1795443205631';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "certification_case" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "type" text NOT NULL, "status" text NOT NULL, "institution_id" uuid NOT NULL, "certifier_id" uuid NOT NULL, "edition_id" text NOT NULL, "certificate_number" text, "mission" jsonb, "submitted_at" TIMESTAMP WITH TIME ZONE, "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL DEFAULT \'1\', "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "certification_case_type_check" CHECK ("type" IN (\'certification\', \'check_in\', \'renewal\')), CONSTRAINT "certification_case_status_check" CHECK ("status" IN (\'draft\', \'submitted\', \'desk_review\', \'onsite\', \'findings_issued\', \'committee_review\', \'decided\', \'under_appeal\', \'closed\', \'declined\', \'withdrawn\')), CONSTRAINT "certification_case_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "certification_case_certifier_idx" ON "certification_case" ("certifier_id", "status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "certification_case_institution_idx" ON "certification_case" ("institution_id", "status") ',
    );
    await queryRunner.query(
      'CREATE TABLE "case_team_member" ("case_id" uuid NOT NULL, "user_id" uuid NOT NULL, "team_role" text NOT NULL, "assigned_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "case_team_member_role_check" CHECK ("team_role" IN (\'lead_rater\', \'rater\', \'committee_member\')), CONSTRAINT "case_team_member_pkey" PRIMARY KEY ("case_id", "user_id"))',
    );
    await queryRunner.query('CREATE INDEX "case_team_member_user_idx" ON "case_team_member" ("user_id") ');
    await queryRunner.query(
      'CREATE TABLE "coi_declaration" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "user_id" uuid NOT NULL, "has_conflict" boolean NOT NULL, "statement" text NOT NULL, "declared_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "coi_declaration_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "coi_declaration_case_user_idx" ON "coi_declaration" ("case_id", "user_id", "declared_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "prior_service" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "certifier_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "user_id" uuid, "kind" text NOT NULL, "ended_on" date NOT NULL, "recorded_by" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "prior_service_kind_check" CHECK ("kind" IN (\'consulting\', \'pre_certification\', \'other\')), CONSTRAINT "prior_service_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "prior_service_institution_idx" ON "prior_service" ("institution_id", "certifier_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "certification_case" ADD CONSTRAINT "certification_case_institution_fk" FOREIGN KEY ("institution_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "certification_case" ADD CONSTRAINT "certification_case_certifier_fk" FOREIGN KEY ("certifier_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "certification_case" ADD CONSTRAINT "certification_case_edition_fk" FOREIGN KEY ("edition_id") REFERENCES "standards_edition"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "certification_case" ADD CONSTRAINT "certification_case_creator_fk" FOREIGN KEY ("created_by") REFERENCES "user_account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case_team_member" ADD CONSTRAINT "case_team_member_case_fk" FOREIGN KEY ("case_id") REFERENCES "certification_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case_team_member" ADD CONSTRAINT "case_team_member_user_fk" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "coi_declaration" ADD CONSTRAINT "coi_declaration_case_fk" FOREIGN KEY ("case_id") REFERENCES "certification_case"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "coi_declaration" ADD CONSTRAINT "coi_declaration_user_fk" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "prior_service" ADD CONSTRAINT "prior_service_certifier_fk" FOREIGN KEY ("certifier_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "prior_service" ADD CONSTRAINT "prior_service_institution_fk" FOREIGN KEY ("institution_id") REFERENCES "organization"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "prior_service" ADD CONSTRAINT "prior_service_user_fk" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "prior_service" DROP CONSTRAINT "prior_service_user_fk"');
    await queryRunner.query('ALTER TABLE "prior_service" DROP CONSTRAINT "prior_service_institution_fk"');
    await queryRunner.query('ALTER TABLE "prior_service" DROP CONSTRAINT "prior_service_certifier_fk"');
    await queryRunner.query('ALTER TABLE "coi_declaration" DROP CONSTRAINT "coi_declaration_user_fk"');
    await queryRunner.query('ALTER TABLE "coi_declaration" DROP CONSTRAINT "coi_declaration_case_fk"');
    await queryRunner.query('ALTER TABLE "case_team_member" DROP CONSTRAINT "case_team_member_user_fk"');
    await queryRunner.query('ALTER TABLE "case_team_member" DROP CONSTRAINT "case_team_member_case_fk"');
    await queryRunner.query(
      'ALTER TABLE "certification_case" DROP CONSTRAINT "certification_case_creator_fk"',
    );
    await queryRunner.query(
      'ALTER TABLE "certification_case" DROP CONSTRAINT "certification_case_edition_fk"',
    );
    await queryRunner.query(
      'ALTER TABLE "certification_case" DROP CONSTRAINT "certification_case_certifier_fk"',
    );
    await queryRunner.query(
      'ALTER TABLE "certification_case" DROP CONSTRAINT "certification_case_institution_fk"',
    );
    await queryRunner.query('DROP INDEX "public"."prior_service_institution_idx"');
    await queryRunner.query('DROP TABLE "prior_service"');
    await queryRunner.query('DROP INDEX "public"."coi_declaration_case_user_idx"');
    await queryRunner.query('DROP TABLE "coi_declaration"');
    await queryRunner.query('DROP INDEX "public"."case_team_member_user_idx"');
    await queryRunner.query('DROP TABLE "case_team_member"');
    await queryRunner.query('DROP INDEX "public"."certification_case_institution_idx"');
    await queryRunner.query('DROP INDEX "public"."certification_case_certifier_idx"');
    await queryRunner.query('DROP TABLE "certification_case"');
  }
}
