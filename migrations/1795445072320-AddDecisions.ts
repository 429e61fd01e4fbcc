import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddDecisions1795445072320 implements MigrationInterface {
  name = 'AddDecisions1795445072320';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "case_appeal" ("case_id" uuid NOT NULL, "grounds" text NOT NULL, "appealed_by" uuid NOT NULL, "appealed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "result" text, "rationale" text, "resolved_by" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "case_appeal_result_check" CHECK ("result" IS NULL OR "result" IN (\'upheld\', \'overturned\')), CONSTRAINT "case_appeal_pkey" PRIMARY KEY ("case_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "case_decision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "kind" text NOT NULL, "outcome" text NOT NULL, "level" text, "rationale" text NOT NULL, "decided_by" uuid NOT NULL, "decided_by_name" text NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL, "package_json" text NOT NULL, "package_sha256" character(64) NOT NULL, CONSTRAINT "case_decision_outcome_check" CHECK ("outcome" IN (\'certified\', \'not_certified\')), CONSTRAINT "case_decision_kind_check" CHECK ("kind" IN (\'decision\', \'appeal_resolution\')), CONSTRAINT "case_decision_pkey" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "case_decision_case_idx" ON "case_decision" ("case_id", "decided_at") ',
    );
    await queryRunner.query('ALTER TABLE "certification_case" ADD "outcome" text');
    await queryRunner.query('ALTER TABLE "certification_case" ADD "level" text');
    await queryRunner.query('ALTER TABLE "certification_case" ADD "decided_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "certification_case" ADD "appeal_due_on" date');
    await queryRunner.query(
      'ALTER TABLE "certification_case" ADD "decision_accepted_at" TIMESTAMP WITH TIME ZONE',
    );
    await queryRunner.query(
      'ALTER TABLE "case_appeal" ADD CONSTRAINT "case_appeal_case_fk" FOREIGN KEY ("case_id") REFERENCES "certification_case"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "case_decision" ADD CONSTRAINT "case_decision_case_fk" FOREIGN KEY ("case_id") REFERENCES "certification_case"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    // A sealed decision never changes: a new decision (an overturned appeal) is a new row.
    await queryRunner.query(`
      CREATE FUNCTION "case_decision_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_decision is sealed: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "case_decision_sealed" BEFORE UPDATE OR DELETE ON "case_decision"
      FOR EACH ROW EXECUTE FUNCTION "case_decision_refuse_change"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "case_decision_sealed" ON "case_decision"`);
    await queryRunner.query(`DROP FUNCTION "case_decision_refuse_change"()`);
    await queryRunner.query('ALTER TABLE "case_decision" DROP CONSTRAINT "case_decision_case_fk"');
    await queryRunner.query('ALTER TABLE "case_appeal" DROP CONSTRAINT "case_appeal_case_fk"');
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "decision_accepted_at"');
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "appeal_due_on"');
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "decided_at"');
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "level"');
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "outcome"');
    await queryRunner.query('DROP INDEX "public"."case_decision_case_idx"');
    await queryRunner.query('DROP TABLE "case_decision"');
    await queryRunner.query('DROP TABLE "case_appeal"');
  }
}
