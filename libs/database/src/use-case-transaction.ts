import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import { isTransientConflict } from './database.errors';

export interface TransactionRetryOptions {
  /** Runs in all, the first included. */
  attempts?: number;
  /** Back-off before the second run; doubled for each later one, with full jitter. */
  baseDelayMs?: number;
}

const DEFAULT_ATTEMPTS = 4;
const DEFAULT_BASE_DELAY_MS = 15;

/**
 * One use case, one transaction: `work` runs in a transaction and, when PostgreSQL reports a deadlock
 * (40P01) or a serialization failure (40001), runs again from the start in a new one, a bounded number
 * of times with jittered back-off. The last failure is rethrown (the API answers it 409
 * CONCURRENT_UPDATE). `work` must therefore do nothing outside the database that a rerun would repeat.
 */
export async function runUseCaseTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  options: TransactionRetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (attempt >= attempts || !isTransientConflict(error)) throw error;
      await sleep(Math.random() * baseDelayMs * 2 ** (attempt - 1));
    }
  }
}
