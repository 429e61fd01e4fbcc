import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Crosswalks between editions (issue 12): stored like editions, immutable once published (trigger). And the
 * provenance of self-assessment answers pre-filled from a previous case or a workbook: an answer is
 * `confirmed` (counts) or a pre-filled proposal the institution has not confirmed yet (counts nowhere).
 * Every existing answer was saved by the institution, so it is confirmed.
 */
export class CrosswalksAndPrefill1797500000000 implements MigrationInterface {
  name = 'CrosswalksAndPrefill1797500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "standards_crosswalk" (
        "id" text NOT NULL,
        "title" text NOT NULL,
        "status" text NOT NULL,
        "from_edition_id" text NOT NULL,
        "to_target" text NOT NULL,
        "to_edition_id" text,
        "document" jsonb NOT NULL,
        "document_sha256" character(64) NOT NULL,
        "mapping_count" integer NOT NULL,
        "imported_by" uuid,
        "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "published_at" TIMESTAMP WITH TIME ZONE,
        "version" integer NOT NULL DEFAULT 1,
        CONSTRAINT "standards_crosswalk_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "standards_crosswalk_status_check" CHECK ("status" IN ('draft', 'published')),
        CONSTRAINT "standards_crosswalk_target_check" CHECK (
          ("to_target" = 'ussepm' AND "to_edition_id" IS NULL) OR "to_edition_id" = "to_target"),
        CONSTRAINT "standards_crosswalk_from_fk" FOREIGN KEY ("from_edition_id")
          REFERENCES "standards_edition"("id") ON DELETE RESTRICT,
        CONSTRAINT "standards_crosswalk_to_fk" FOREIGN KEY ("to_edition_id")
          REFERENCES "standards_edition"("id") ON DELETE RESTRICT
      )`);
    await queryRunner.query(
      'CREATE INDEX "standards_crosswalk_editions_idx" ON "standards_crosswalk" ("from_edition_id", "to_target")',
    );
    // Published crosswalks never change: pre-filled answers name the crosswalk they came through.
    await queryRunner.query(`
      CREATE FUNCTION "standards_crosswalk_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD."status" = 'published' THEN
          RAISE EXCEPTION 'standards crosswalk % is published and immutable', OLD."id"
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "standards_crosswalk_immutable" BEFORE UPDATE OR DELETE ON "standards_crosswalk"
      FOR EACH ROW EXECUTE FUNCTION "standards_crosswalk_refuse_change"()`);

    await queryRunner.query(`
      ALTER TABLE "self_assessment_answer"
        ADD "confirmed" boolean NOT NULL DEFAULT true,
        ADD "source_kind" text,
        ADD "source_ref" text,
        ADD "source_edition_id" text,
        ADD "source_codes" text[],
        ADD "mapping_kind" text,
        ADD "crosswalk_id" text,
        ADD "needs_review" boolean NOT NULL DEFAULT false,
        ADD CONSTRAINT "self_assessment_answer_source_kind_check" CHECK ("source_kind" IN ('case', 'workbook')),
        ADD CONSTRAINT "self_assessment_answer_mapping_kind_check"
          CHECK ("mapping_kind" IN ('identical', 'equivalent', 'partial', 'broader', 'narrower')),
        ADD CONSTRAINT "self_assessment_answer_unconfirmed_source_check"
          CHECK ("confirmed" OR ("source_kind" IS NOT NULL AND "mapping_kind" IS NOT NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Unconfirmed proposals never counted: they go with the columns that tell them apart.
    await queryRunner.query('DELETE FROM "self_assessment_answer" WHERE NOT "confirmed"');
    await queryRunner.query(`
      ALTER TABLE "self_assessment_answer"
        DROP CONSTRAINT "self_assessment_answer_unconfirmed_source_check",
        DROP CONSTRAINT "self_assessment_answer_mapping_kind_check",
        DROP CONSTRAINT "self_assessment_answer_source_kind_check",
        DROP COLUMN "needs_review",
        DROP COLUMN "crosswalk_id",
        DROP COLUMN "mapping_kind",
        DROP COLUMN "source_codes",
        DROP COLUMN "source_edition_id",
        DROP COLUMN "source_ref",
        DROP COLUMN "source_kind",
        DROP COLUMN "confirmed"`);
    await queryRunner.query('DROP TRIGGER "standards_crosswalk_immutable" ON "standards_crosswalk"');
    await queryRunner.query('DROP FUNCTION "standards_crosswalk_refuse_change"()');
    await queryRunner.query('DROP TABLE "standards_crosswalk"');
  }
}
