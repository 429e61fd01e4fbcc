import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Action plans: a corrective action per finding (or a recommendation without one), the cases it is worked
 * in (its own, then the check-in or renewal of the certificate it was carried into), the raters'
 * verifications per case; and how each rating was verified.
 */
export class AddCorrectiveActions1796900000000 implements MigrationInterface {
  name = 'AddCorrectiveActions1796900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "corrective_action" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "case_id" uuid NOT NULL,
        "finding_id" uuid,
        "indicator_codes" text array NOT NULL DEFAULT '{}',
        "description" text NOT NULL,
        "owner_name" text,
        "due_on" date,
        "status" text NOT NULL DEFAULT 'open',
        "note" text,
        "evidence_ids" uuid array NOT NULL DEFAULT '{}',
        "carried_from_case_id" uuid,
        "carried_at" TIMESTAMP WITH TIME ZONE,
        "version" integer NOT NULL DEFAULT 1,
        "created_by" uuid NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "corrective_action_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "corrective_action_status_check" CHECK ("status" IN ('open', 'in_progress', 'done', 'verified', 'not_verified')),
        CONSTRAINT "corrective_action_case_fk" FOREIGN KEY ("case_id") REFERENCES "certification_case"("id") ON DELETE CASCADE,
        CONSTRAINT "corrective_action_finding_fk" FOREIGN KEY ("finding_id") REFERENCES "finding"("id") ON DELETE CASCADE,
        CONSTRAINT "corrective_action_carried_from_fk" FOREIGN KEY ("carried_from_case_id") REFERENCES "certification_case"("id") ON DELETE SET NULL
      )`,
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "corrective_action_finding_key" ON "corrective_action" ("finding_id") WHERE "finding_id" IS NOT NULL',
    );
    await queryRunner.query('CREATE INDEX "corrective_action_case_idx" ON "corrective_action" ("case_id")');
    await queryRunner.query(
      'CREATE INDEX "corrective_action_carried_from_idx" ON "corrective_action" ("carried_from_case_id")',
    );
    await queryRunner.query(
      `CREATE TABLE "corrective_action_case" (
        "action_id" uuid NOT NULL,
        "case_id" uuid NOT NULL,
        "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT "corrective_action_case_pkey" PRIMARY KEY ("action_id", "case_id"),
        CONSTRAINT "corrective_action_case_action_fk" FOREIGN KEY ("action_id") REFERENCES "corrective_action"("id") ON DELETE CASCADE,
        CONSTRAINT "corrective_action_case_case_fk" FOREIGN KEY ("case_id") REFERENCES "certification_case"("id") ON DELETE CASCADE
      )`,
    );
    await queryRunner.query(
      'CREATE INDEX "corrective_action_case_case_idx" ON "corrective_action_case" ("case_id")',
    );
    await queryRunner.query(
      `CREATE TABLE "action_verification" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "action_id" uuid NOT NULL,
        "case_id" uuid NOT NULL,
        "result" text NOT NULL,
        "note" text NOT NULL,
        "verified_by" uuid NOT NULL,
        "verified_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "action_verification_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "action_verification_result_check" CHECK ("result" IN ('verified', 'not_verified')),
        CONSTRAINT "action_verification_action_fk" FOREIGN KEY ("action_id") REFERENCES "corrective_action"("id") ON DELETE CASCADE,
        CONSTRAINT "action_verification_case_fk" FOREIGN KEY ("case_id") REFERENCES "certification_case"("id") ON DELETE CASCADE,
        CONSTRAINT "action_verification_verified_by_fk" FOREIGN KEY ("verified_by") REFERENCES "user_account"("id") ON DELETE RESTRICT
      )`,
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "action_verification_action_case_key" ON "action_verification" ("action_id", "case_id")',
    );
    await queryRunner.query(
      `ALTER TABLE "indicator_rating" ADD "verified_by" text array NOT NULL DEFAULT '{}'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "indicator_rating" DROP COLUMN "verified_by"');
    await queryRunner.query('DROP TABLE "action_verification"');
    await queryRunner.query('DROP TABLE "corrective_action_case"');
    await queryRunner.query('DROP TABLE "corrective_action"');
  }
}
