import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Certificates issued outside the product (the historical registry) are recorded without a case, a
 * sealed package or organizations of the product: those columns become optional for them, and the
 * certification body is kept by name.
 */
export class RecordedCertificates1796600000001 implements MigrationInterface {
  name = 'RecordedCertificates1796600000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "certificate"
        ADD "certifier_name" text,
        ALTER "case_id" DROP NOT NULL,
        ALTER "institution_id" DROP NOT NULL,
        ALTER "certifier_id" DROP NOT NULL,
        ALTER "package_sha256" DROP NOT NULL`);
    // A product certificate keeps all of them; a recorded one names its certification body.
    await queryRunner.query(`
      ALTER TABLE "certificate" ADD CONSTRAINT "certificate_origin_fields_check" CHECK (
        ("origin" = 'issued' AND "case_id" IS NOT NULL AND "institution_id" IS NOT NULL
           AND "certifier_id" IS NOT NULL AND "package_sha256" IS NOT NULL)
        OR ("origin" = 'recorded' AND "certifier_name" IS NOT NULL AND "holder_key" IS NOT NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "certificate" WHERE "origin" = 'recorded'`);
    await queryRunner.query('ALTER TABLE "certificate" DROP CONSTRAINT "certificate_origin_fields_check"');
    await queryRunner.query(`
      ALTER TABLE "certificate"
        ALTER "case_id" SET NOT NULL,
        ALTER "institution_id" SET NOT NULL,
        ALTER "certifier_id" SET NOT NULL,
        ALTER "package_sha256" SET NOT NULL,
        DROP COLUMN "certifier_name"`);
  }
}
