import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every committed change to a user account, and every session ended or removed, sends a PostgreSQL
 * notification on the `actor_changed` channel with the user's id as payload (`*` for a truncation:
 * everyone), whichever process or raw SQL made it. NOTIFY is transactional: listeners hear it at commit,
 * never for a rolled-back write. Each API process listens and forgets the actors it resolved for that
 * user (libs/identity/src/actor-change.listener.ts). Sessions created or merely refreshed (`last_used_at`)
 * notify nothing: no access token of theirs can be in a cache that a change to them would make wrong.
 */
export class ActorChangeNotifications1798300000000 implements MigrationInterface {
  name = 'ActorChangeNotifications1798300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION "notify_actor_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_LEVEL = 'STATEMENT' THEN
           PERFORM pg_notify('actor_changed', '*');
         ELSIF TG_TABLE_NAME = 'user_account' THEN
           PERFORM pg_notify('actor_changed', OLD.id::text);
         ELSE
           PERFORM pg_notify('actor_changed', OLD.user_id::text);
           IF TG_OP = 'UPDATE' AND NEW.user_id IS DISTINCT FROM OLD.user_id THEN
             PERFORM pg_notify('actor_changed', NEW.user_id::text);
           END IF;
         END IF;
         RETURN NULL;
       END
       $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "user_account_actor_changed" AFTER UPDATE OR DELETE ON "user_account"
       FOR EACH ROW EXECUTE FUNCTION "notify_actor_changed"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "user_session_actor_changed" AFTER UPDATE ON "user_session"
       FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.user_id IS DISTINCT FROM NEW.user_id
                          OR OLD.id IS DISTINCT FROM NEW.id)
       EXECUTE FUNCTION "notify_actor_changed"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "user_session_actor_removed" AFTER DELETE ON "user_session"
       FOR EACH ROW EXECUTE FUNCTION "notify_actor_changed"()`,
    );
    for (const table of ['user_account', 'user_session']) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_actor_truncated" AFTER TRUNCATE ON "${table}"
         FOR EACH STATEMENT EXECUTE FUNCTION "notify_actor_changed"()`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['user_account', 'user_session']) {
      await queryRunner.query(`DROP TRIGGER "${table}_actor_truncated" ON "${table}"`);
    }
    await queryRunner.query('DROP TRIGGER "user_session_actor_removed" ON "user_session"');
    await queryRunner.query('DROP TRIGGER "user_session_actor_changed" ON "user_session"');
    await queryRunner.query('DROP TRIGGER "user_account_actor_changed" ON "user_account"');
    await queryRunner.query('DROP FUNCTION "notify_actor_changed"()');
  }
}
