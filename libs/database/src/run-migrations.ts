import type { DataSource, Migration } from 'typeorm';

// Any stable 64-bit number: processes starting together (api and worker) migrate one after the other.
const MIGRATION_LOCK_KEY = 4_815_162_342;

/** Applies pending migrations, each in its own transaction, under an advisory lock on a real server. */
export async function runPendingMigrations(
  dataSource: DataSource,
  isEmbedded: boolean,
): Promise<Migration[]> {
  if (isEmbedded) return dataSource.runMigrations({ transaction: 'each' });
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockRunner.release();
  }
}
