import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `audit_chain_head(lock_key)`: takes the audit chain's advisory lock for the rest of the transaction and
 * answers the hash of the last event, in one round trip instead of two. The function is VOLATILE, so
 * its SELECT runs on a snapshot taken after the lock is granted (PostgreSQL takes a fresh snapshot for
 * each statement of a volatile function): it sees every append that committed while this one waited,
 * exactly as a separate statement after `pg_advisory_xact_lock` did.
 */
export class AuditChainHead1797600000000 implements MigrationInterface {
  name = 'AuditChainHead1797600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION "audit_chain_head"(lock_key bigint) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
       BEGIN
         PERFORM pg_advisory_xact_lock(lock_key);
         RETURN (SELECT hash FROM audit_event ORDER BY sequence DESC LIMIT 1);
       END
       $$`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION "audit_chain_head"(bigint)');
  }
}
