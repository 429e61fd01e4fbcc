import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The commitments list is unique among the entries that count, not among every row ever written: a
 * normalized name and country once among approved entries (the public list), an organization once among
 * its pending and approved entries. A rejected entry blocks nothing, and a pending self-declaration does not
 * stop the secretariat recording or importing the organization it names (approving a pending entry whose
 * name is listed meanwhile is refused instead).
 */
export class CommitmentLiveEntriesUnique1798740000000 implements MigrationInterface {
  name = 'CommitmentLiveEntriesUnique1798740000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "commitment_name_country_key"');
    await queryRunner.query(
      `CREATE UNIQUE INDEX "commitment_name_country_key" ON "commitment" ("normalized_name", "country") WHERE "approval" = 'approved'`,
    );
    await queryRunner.query('DROP INDEX "commitment_organization_key"');
    await queryRunner.query(
      `CREATE UNIQUE INDEX "commitment_organization_key" ON "commitment" ("organization_id") WHERE "organization_id" IS NOT NULL AND "approval" <> 'rejected'`,
    );
  }

  /**
   * Back to one row per name and country and per organization, whatever its approval. Refused, with the
   * rows named, while rows that the narrower indexes allowed would break it: they are records, not
   * something a migration may delete.
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    const clashes = (await queryRunner.query(`
      SELECT "normalized_name" || '|' || "country" AS key FROM "commitment"
        GROUP BY "normalized_name", "country" HAVING count(*) > 1
      UNION ALL
      SELECT "organization_id"::text FROM "commitment" WHERE "organization_id" IS NOT NULL
        GROUP BY "organization_id" HAVING count(*) > 1
      LIMIT 20`)) as { key: string }[];
    if (clashes.length > 0)
      throw new Error(
        `Cannot revert: several commitment entries (rejected or pending beside another) share a name and country or an organization: ${clashes.map((clash) => clash.key).join(', ')}`,
      );
    await queryRunner.query('DROP INDEX "commitment_organization_key"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "commitment_organization_key" ON "commitment" ("organization_id") WHERE "organization_id" IS NOT NULL',
    );
    await queryRunner.query('DROP INDEX "commitment_name_country_key"');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "commitment_name_country_key" ON "commitment" ("normalized_name", "country")',
    );
  }
}
