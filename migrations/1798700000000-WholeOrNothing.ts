import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `abort_unless(ok)` ends the statement that calls it with SQLSTATE `CP409` unless `ok` is true. A write
 * made of one statement outside a transaction block (PostgreSQL's autocommit) checks what it wrote with
 * it: when a check fails, the whole statement is undone, as a transaction's rollback would undo it, and
 * the caller answers from the full checks in a transaction of its own (the ratings save:
 * libs/assessment/src/ratings/ratings.service.ts). One round trip where BEGIN, the write and COMMIT were
 * three. VOLATILE, so the planner never folds it away.
 */
export class WholeOrNothing1798700000000 implements MigrationInterface {
  name = 'WholeOrNothing1798700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION "abort_unless"(ok boolean) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
       BEGIN
         IF ok IS NOT TRUE THEN
           RAISE EXCEPTION 'the statement''s checks failed: nothing of it was kept' USING ERRCODE = 'CP409';
         END IF;
         RETURN true;
       END
       $$`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "abort_unless"(boolean)`);
  }
}
