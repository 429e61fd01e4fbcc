import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every committed change that can change how many cases a list holds sends a PostgreSQL notification on
 * the `case_list_changed` channel, whichever process or raw SQL made it: a case opened or removed, a
 * case's status, type, institution, certification body or submission changed, a team row (a rater's or
 * committee member's list, `case_team_list`) added, removed or moved. Each API process listens and drops
 * the list totals it keeps (libs/cases/src/case-list-totals.ts). A change of `updated_at` alone (the
 * order of a list, not its size) notifies nothing. NOTIFY is transactional and folds repeats within a
 * transaction: listeners hear one notification at commit, never for a rolled-back write.
 */
export class CaseListNotifications1798500000000 implements MigrationInterface {
  name = 'CaseListNotifications1798500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION "notify_case_list_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('case_list_changed', '');
         RETURN NULL;
       END
       $$`,
    );
    for (const table of ['certification_case', 'case_team_list']) {
      await queryRunner.query(
        `CREATE TRIGGER "${table}_list_changed" AFTER INSERT OR DELETE OR TRUNCATE ON "${table}"
         FOR EACH STATEMENT EXECUTE FUNCTION "notify_case_list_changed"()`,
      );
    }
    await queryRunner.query(
      `CREATE TRIGGER "certification_case_list_moved" AFTER UPDATE ON "certification_case" FOR EACH ROW
       WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.type IS DISTINCT FROM NEW.type
             OR OLD.institution_id IS DISTINCT FROM NEW.institution_id
             OR OLD.certifier_id IS DISTINCT FROM NEW.certifier_id
             OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at OR OLD.id IS DISTINCT FROM NEW.id)
       EXECUTE FUNCTION "notify_case_list_changed"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "case_team_list_list_moved" AFTER UPDATE ON "case_team_list" FOR EACH ROW
       WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.certifier_id IS DISTINCT FROM NEW.certifier_id
             OR OLD.is_submitted IS DISTINCT FROM NEW.is_submitted OR OLD.user_id IS DISTINCT FROM NEW.user_id
             OR OLD.case_id IS DISTINCT FROM NEW.case_id)
       EXECUTE FUNCTION "notify_case_list_changed"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER "case_team_list_list_moved" ON "case_team_list"');
    await queryRunner.query('DROP TRIGGER "certification_case_list_moved" ON "certification_case"');
    for (const table of ['certification_case', 'case_team_list']) {
      await queryRunner.query(`DROP TRIGGER "${table}_list_changed" ON "${table}"`);
    }
    await queryRunner.query('DROP FUNCTION "notify_case_list_changed"()');
  }
}
