import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every committed change to certificates or organizations (what the public registry shows) sends a
 * PostgreSQL notification on the `registry_changed` channel, whichever process or raw SQL made it.
 * NOTIFY is transactional: listeners hear it at commit, never for a rolled-back write. Each API process
 * listens and clears its registry cache (libs/certificates/src/registry-change.listener.ts).
 */
export class RegistryChangeNotifications1797100000000 implements MigrationInterface {
  name = 'RegistryChangeNotifications1797100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION "notify_registry_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('registry_changed', TG_TABLE_NAME);
         RETURN NULL;
       END
       $$`,
    );
    for (const table of ['certificate', 'organization']) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_registry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${table}"
         FOR EACH STATEMENT EXECUTE FUNCTION "notify_registry_changed"()`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['certificate', 'organization']) {
      await queryRunner.query(`DROP TRIGGER "${table}_registry_changed" ON "${table}"`);
    }
    await queryRunner.query('DROP FUNCTION "notify_registry_changed"()');
  }
}
