import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Certificate lifecycle integrity: the holder as certified, the decision and publication dates, the
 * check-in record and its overdue flag; the certificate a case produced; an institution's pending
 * name change; until when an edition accepts new initial certifications.
 */
export class CertificateLifecycleIntegrity1796000000000 implements MigrationInterface {
  name = 'CertificateLifecycleIntegrity1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "certificate"
        ADD "holder_name" text,
        ADD "holder_country" char(2),
        ADD "decided_on" date,
        ADD "published_on" date,
        ADD "checked_in_on" date,
        ADD "check_in_overdue_since" date`);
    // Existing certificates: the holder as it is named today, validity as it was computed (from the
    // publication day), the decision date from the sealed package the certificate rests on.
    await queryRunner.query(`
      UPDATE "certificate" SET
        "holder_name" = organization."name",
        "holder_country" = organization."country",
        "published_on" = "certificate"."issued_on",
        "decided_on" = COALESCE(
          (SELECT (max(decision."decided_at") AT TIME ZONE 'UTC')::date FROM "case_decision" decision
            WHERE decision."case_id" = "certificate"."case_id"),
          "certificate"."issued_on")
      FROM "organization" WHERE organization."id" = "certificate"."institution_id"`);
    await queryRunner.query(`
      UPDATE "certificate" SET "checked_in_on" = checked."on"
      FROM (SELECT c."certificate_number" AS number, c."institution_id",
                   (max(c."status_changed_at") AT TIME ZONE 'UTC')::date AS "on"
              FROM "certification_case" c
             WHERE c."type" = 'check_in' AND c."status" = 'closed' AND c."outcome" = 'certified'
             GROUP BY c."certificate_number", c."institution_id") checked
      WHERE checked.number = "certificate"."number"
        AND checked."institution_id" = "certificate"."institution_id"`);
    await queryRunner.query(`
      ALTER TABLE "certificate"
        ALTER "holder_name" SET NOT NULL,
        ALTER "holder_country" SET NOT NULL,
        ALTER "decided_on" SET NOT NULL,
        ALTER "published_on" SET NOT NULL`);
    await queryRunner.query(
      'CREATE INDEX "certificate_holder_country_idx" ON "certificate" ("holder_country")',
    );
    await queryRunner.query(
      `CREATE INDEX "certificate_check_in_due_idx" ON "certificate" ("check_in_due_on")
       WHERE "status" = 'active' AND "checked_in_on" IS NULL`,
    );

    await queryRunner.query('ALTER TABLE "certification_case" ADD "issued_certificate_number" text');
    await queryRunner.query(`
      UPDATE "certification_case" SET "issued_certificate_number" = certificate."number"
      FROM "certificate" WHERE certificate."case_id" = "certification_case"."id"`);

    await queryRunner.query('ALTER TABLE "organization" ADD "pending_change" jsonb');

    await queryRunner.query(
      'ALTER TABLE "standards_edition" ADD "open_for_new_cases_until" date, ADD "retired_on" date',
    );
    // Catalog metadata, not document content: the stored documents and their hashes (and so every sealed
    // package) stay as they are. The immutability trigger is lifted for this one statement only.
    await queryRunner.query('ALTER TABLE "standards_edition" DISABLE TRIGGER "standards_edition_immutable"');
    await queryRunner.query(`
      UPDATE "standards_edition" SET
        "open_for_new_cases_until" = COALESCE(
          ("document"->>'openForNewCasesUntil')::date,
          CASE WHEN "id" = 'cps-2016' THEN DATE '2021-04-30' END),
        "retired_on" = ("document"->>'retiredOn')::date`);
    await queryRunner.query('ALTER TABLE "standards_edition" ENABLE TRIGGER "standards_edition_immutable"');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "standards_edition" DROP COLUMN "retired_on", DROP COLUMN "open_for_new_cases_until"',
    );
    await queryRunner.query('ALTER TABLE "organization" DROP COLUMN "pending_change"');
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "issued_certificate_number"');
    await queryRunner.query('DROP INDEX "public"."certificate_check_in_due_idx"');
    await queryRunner.query('DROP INDEX "public"."certificate_holder_country_idx"');
    await queryRunner.query(`
      ALTER TABLE "certificate"
        DROP COLUMN "check_in_overdue_since",
        DROP COLUMN "checked_in_on",
        DROP COLUMN "published_on",
        DROP COLUMN "decided_on",
        DROP COLUMN "holder_country",
        DROP COLUMN "holder_name"`);
  }
}
