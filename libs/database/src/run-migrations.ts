import type { DataSource, Migration } from 'typeorm';
import { MigrationExecutor } from 'typeorm/migration/MigrationExecutor';

// Any stable 64-bit number: processes starting together (api and worker) migrate one after the other.
const MIGRATION_LOCK_KEY = 4_815_162_342;

/**
 * Applies pending migrations, each in its own transaction, under an advisory lock on a real server.
 * They run on one connection whose statement and lock timeouts are lifted for the session: building an
 * index on a large table may take longer than any request should, and waiting for another process's
 * migrations must not fail on the lock timeout. The connection returns to the pool with its defaults.
 */
export async function runPendingMigrations(
  dataSource: DataSource,
  isEmbedded: boolean,
): Promise<Migration[]> {
  if (isEmbedded) return dataSource.runMigrations({ transaction: 'each' });
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SET statement_timeout = 0');
    await runner.query('SET lock_timeout = 0');
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    return await executor.executePendingMigrations();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.query('RESET statement_timeout').catch(() => undefined);
    await runner.query('RESET lock_timeout').catch(() => undefined);
    await runner.release();
  }
}
