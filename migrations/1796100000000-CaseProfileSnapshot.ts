import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The institution profile that decides a case's applicability is the one submitted: a snapshot on the
 * case. Cases submitted before this migration take their institution's current profile, the best record
 * there is of what they were submitted with.
 */
export class CaseProfileSnapshot1796100000000 implements MigrationInterface {
  name = 'CaseProfileSnapshot1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "certification_case" ADD "profile" jsonb');
    await queryRunner.query(
      `UPDATE "certification_case" c SET "profile" = o."profile"
         FROM "organization" o
        WHERE o."id" = c."institution_id" AND c."submitted_at" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "certification_case" DROP COLUMN "profile"');
  }
}
