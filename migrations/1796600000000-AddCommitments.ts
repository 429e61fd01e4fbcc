import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The commitments list (endorsers and committed institutions with their pathway status), and on
 * certificates their origin (issued by the product or recorded from outside) and, for recorded ones,
 * the holder's normalized name that links them to the list.
 */
export class AddCommitments1796600000000 implements MigrationInterface {
  name = 'AddCommitments1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "commitment" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "organization_id" uuid,
        "name" text NOT NULL,
        "normalized_name" text NOT NULL,
        "country" char(2) NOT NULL,
        "kind" text NOT NULL,
        "committed_on" date NOT NULL,
        "statement" text,
        "source" text NOT NULL,
        "approval" text NOT NULL,
        "approval_reason" text,
        "pathway_status" text,
        "reminders_started_on" date,
        "version" integer NOT NULL DEFAULT 1,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "commitment_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "commitment_kind_check"
          CHECK ("kind" IN ('institution', 'investor', 'network', 'donor', 'certification_body', 'other')),
        CONSTRAINT "commitment_source_check" CHECK ("source" IN ('self_declared', 'recorded', 'imported')),
        CONSTRAINT "commitment_approval_check" CHECK ("approval" IN ('pending', 'approved', 'rejected')),
        CONSTRAINT "commitment_pathway_status_check"
          CHECK ("pathway_status" IN ('committed', 'assessment_submitted', 'certified', 'inactive')),
        CONSTRAINT "commitment_organization_fk" FOREIGN KEY ("organization_id")
          REFERENCES "organization"("id") ON DELETE RESTRICT
      )`);
    await queryRunner.query(
      'CREATE UNIQUE INDEX "commitment_name_country_key" ON "commitment" ("normalized_name", "country")',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "commitment_organization_key" ON "commitment" ("organization_id") WHERE "organization_id" IS NOT NULL',
    );
    await queryRunner.query(
      'CREATE INDEX "commitment_public_idx" ON "commitment" ("approval", "country", "kind")',
    );
    await queryRunner.query(`
      ALTER TABLE "certificate"
        ADD "origin" text NOT NULL DEFAULT 'issued',
        ADD "holder_key" text,
        ADD CONSTRAINT "certificate_origin_check" CHECK ("origin" IN ('issued', 'recorded'))`);
    await queryRunner.query(
      'CREATE INDEX "certificate_holder_key_idx" ON "certificate" ("holder_key", "holder_country")',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "certificate_holder_key_idx"');
    await queryRunner.query(`
      ALTER TABLE "certificate"
        DROP CONSTRAINT "certificate_origin_check",
        DROP COLUMN "holder_key",
        DROP COLUMN "origin"`);
    await queryRunner.query('DROP TABLE "commitment"');
  }
}
