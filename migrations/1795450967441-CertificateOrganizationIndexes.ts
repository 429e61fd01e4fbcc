import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CertificateOrganizationIndexes1795450967441 implements MigrationInterface {
  name = 'CertificateOrganizationIndexes1795450967441';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "certificate_institution_idx" ON "certificate" ("institution_id") ',
    );
    await queryRunner.query('CREATE INDEX "certificate_certifier_idx" ON "certificate" ("certifier_id") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."certificate_certifier_idx"');
    await queryRunner.query('DROP INDEX "public"."certificate_institution_idx"');
  }
}
