import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';

/** Where pg-boss keeps its tables (its own migrations create and upgrade them). */
export const JOB_SCHEMA = 'pgboss';

export interface JobQueueStartOptions {
  /** Runs pg-boss's maintenance (expiry, retention, archive) and its cron monitor: the worker does. */
  maintains: boolean;
}

/**
 * A statement executor for pg-boss: one pooled connection per statement, left clean after an error. Once
 * `isShutDown` says so, statements are not sent and answer no result at all (which pg-boss's fetch,
 * complete and fail read as "no job" and "none affected"): pg-boss's stop does not wait for a worker loop
 * whose fetch was under way, and that loop's later statements (its complete or fail are not awaited) would
 * otherwise meet a closed pool as an unhandled rejection. A job fetched then stays active in the database
 * until it expires and is retried, as after a crash.
 */
export function pgBossExecutor(
  acquire: () => Promise<PoolClient>,
  isShutDown: () => boolean = () => false,
): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => {
      if (isShutDown()) return undefined as unknown as { rows: unknown[] };
      const client = await acquire();
      try {
        return await client.query(text, values);
      } catch (error) {
        // pg-boss sends some commands as one multi-statement text with its own BEGIN/COMMIT: after a
        // failure the connection is left inside an aborted transaction and must not go back as it is.
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

/**
 * The job queue: pg-boss 10 on the product's own database connection pool (its schema `pgboss`, created
 * and upgraded by pg-boss at start under an advisory lock). Sharing the pool lets it run on the embedded
 * PGlite, which serves one connection, as well as on a PostgreSQL server. Started on first use; only
 * the worker starts it with maintenance and cron on (`start({ maintains: true })`).
 */
@Injectable()
export class JobQueue implements BeforeApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private boss: Promise<PgBoss> | undefined;
  private isShutDown = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The started queue; the first call starts it. */
  start(options: JobQueueStartOptions = { maintains: false }): Promise<PgBoss> {
    this.boss ??= this.open(options).catch((error: unknown) => {
      this.boss = undefined;
      throw error;
    });
    return this.boss;
  }

  /** A statement executor on the product's pool, for pg-boss calls inside nothing else. */
  executor(): PgBoss.Db {
    return pgBossExecutor(
      () => this.pool().connect(),
      () => this.isShutDown,
    );
  }

  private pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  private async open({ maintains }: JobQueueStartOptions): Promise<PgBoss> {
    const boss = new PgBoss({
      db: this.executor(),
      schema: JOB_SCHEMA,
      migrate: true,
      supervise: maintains,
      schedule: maintains,
      // Completed and failed jobs stay in the archive for 30 days (what ran, when, its output or error).
      archiveCompletedAfterSeconds: 3600,
      archiveFailedAfterSeconds: 3600,
      deleteAfterDays: 30,
    });
    boss.on('error', (error: unknown) => this.logger.error({ err: error }, 'Job queue error'));
    await boss.start();
    return boss;
  }

  /** Before TypeORM closes the pool (its `onApplicationShutdown`), so running handlers can finish. */
  async beforeApplicationShutdown(): Promise<void> {
    const boss = await this.boss?.catch(() => undefined);
    this.boss = undefined;
    // Lets handlers under way finish (up to 30 s); the pool belongs to TypeORM and stays open.
    await boss?.stop({ graceful: true, wait: true, close: false, timeout: 30_000 });
    if (boss) this.isShutDown = true;
  }
}
