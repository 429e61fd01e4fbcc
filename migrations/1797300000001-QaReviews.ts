import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quality assurance: the sampling check of each decided case (its random draw, the share then in force,
 * the patterns flagged, whether it was selected), the secretariat's QA reviews with their findings
 * addressed to the certification body, and the body's response.
 */
export class QaReviews1797300000001 implements MigrationInterface {
  name = 'QaReviews1797300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "qa_case_check" (
        "case_id" uuid NOT NULL,
        "decided_at" timestamptz NOT NULL,
        "certifier_id" uuid NOT NULL,
        "draw" numeric(10, 9) NOT NULL,
        "sample_share" numeric(10, 9) NOT NULL,
        "reasons" text[] NOT NULL,
        "details" jsonb NOT NULL DEFAULT '{}',
        "is_selected" boolean NOT NULL,
        "checked_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "qa_case_check_pkey" PRIMARY KEY ("case_id", "decided_at"),
        CONSTRAINT "qa_case_check_case_fk" FOREIGN KEY ("case_id")
          REFERENCES "certification_case"("id") ON DELETE RESTRICT,
        CONSTRAINT "qa_case_check_certifier_fk" FOREIGN KEY ("certifier_id")
          REFERENCES "organization"("id") ON DELETE RESTRICT
      )`);
    await queryRunner.query(
      'CREATE INDEX "qa_case_check_selected_idx" ON "qa_case_check" ("certifier_id", "checked_at") WHERE "is_selected"',
    );
    await queryRunner.query(`
      CREATE TABLE "qa_review" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "case_id" uuid NOT NULL,
        "case_decided_at" timestamptz NOT NULL,
        "certifier_id" uuid NOT NULL,
        "status" text NOT NULL,
        "reasons" text[] NOT NULL,
        "summary" text NOT NULL,
        "created_by" uuid NOT NULL,
        "created_by_name" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "response" text,
        "responded_by_name" text,
        "responded_at" timestamptz,
        "closing_note" text,
        "closed_by_name" text,
        "closed_at" timestamptz,
        "version" integer NOT NULL DEFAULT 1,
        CONSTRAINT "qa_review_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "qa_review_status_check" CHECK ("status" IN ('issued', 'responded', 'closed')),
        CONSTRAINT "qa_review_case_fk" FOREIGN KEY ("case_id")
          REFERENCES "certification_case"("id") ON DELETE RESTRICT,
        CONSTRAINT "qa_review_certifier_fk" FOREIGN KEY ("certifier_id")
          REFERENCES "organization"("id") ON DELETE RESTRICT
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "qa_review_open_per_case_key" ON "qa_review" ("case_id") WHERE "status" <> 'closed'`,
    );
    await queryRunner.query(
      'CREATE INDEX "qa_review_certifier_idx" ON "qa_review" ("certifier_id", "created_at" DESC, "id")',
    );
    await queryRunner.query('CREATE INDEX "qa_review_list_idx" ON "qa_review" ("created_at" DESC, "id")');
    await queryRunner.query(`
      CREATE TABLE "qa_review_finding" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "review_id" uuid NOT NULL,
        "position" integer NOT NULL,
        "severity" text NOT NULL,
        "indicator_code" text,
        "description" text NOT NULL,
        CONSTRAINT "qa_review_finding_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "qa_review_finding_severity_check" CHECK ("severity" IN ('major', 'minor', 'observation')),
        CONSTRAINT "qa_review_finding_review_fk" FOREIGN KEY ("review_id")
          REFERENCES "qa_review"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      'CREATE INDEX "qa_review_finding_review_idx" ON "qa_review_finding" ("review_id", "position")',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "qa_review_finding"');
    await queryRunner.query('DROP TABLE "qa_review"');
    await queryRunner.query('DROP TABLE "qa_case_check"');
  }
}
