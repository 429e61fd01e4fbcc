import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case list at the size of the whole field: one index per way the list is narrowed (status; the
 * certification body, with or without status; the institution and status), each in the list's order
 * (updated_at DESC, id), so that a page is read in order from the index and its exact total counted
 * from the same index, instead of sorting every visible case per request.
 */
export class IndexCaseListOrder1797000000000 implements MigrationInterface {
  name = 'IndexCaseListOrder1797000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "certification_case_list_idx" ON "certification_case" ("updated_at" DESC, "id")',
    );
    await queryRunner.query(
      'CREATE INDEX "certification_case_status_list_idx" ON "certification_case" ("status", "updated_at" DESC, "id")',
    );
    await queryRunner.query(
      `CREATE INDEX "certification_case_certifier_list_idx" ON "certification_case" ("certifier_id", "updated_at" DESC, "id")
       WHERE "submitted_at" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "certification_case_certifier_status_list_idx"
       ON "certification_case" ("certifier_id", "status", "updated_at" DESC, "id") WHERE "submitted_at" IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "certification_case_institution_list_idx"
       ON "certification_case" ("institution_id", "status", "updated_at" DESC, "id")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of [
      'certification_case_institution_list_idx',
      'certification_case_certifier_status_list_idx',
      'certification_case_certifier_list_idx',
      'certification_case_status_list_idx',
      'certification_case_list_idx',
    ])
      await queryRunner.query(`DROP INDEX "${name}"`);
  }
}
