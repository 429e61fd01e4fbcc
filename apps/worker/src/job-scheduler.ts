import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DATABASE_CONNECTION, type DatabaseConnection } from '@app/database';
import { DataSource } from 'typeorm';
import { SCHEDULED_JOBS, type ScheduledJob } from './scheduled-job';

/** Stable 32-bit key per job name for PostgreSQL advisory locks. */
export function jobLockKey(name: string): number {
  let hash = 0;
  for (const character of name) hash = (Math.imul(hash, 31) + character.charCodeAt(0)) | 0;
  return hash;
}

/**
 * Runs each job on its interval. A session-level advisory lock per job keeps two worker processes
 * from running the same job at the same time; the jobs themselves are idempotent.
 */
@Injectable()
export class JobScheduler implements OnApplicationShutdown {
  private readonly logger = new Logger(JobScheduler.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private isStopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SCHEDULED_JOBS) private readonly jobs: ScheduledJob[],
    @Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection,
  ) {}

  start(): void {
    for (const job of this.jobs) {
      this.trigger(job);
      this.timers.push(setInterval(() => this.trigger(job), job.intervalMs));
    }
    this.logger.log(`Scheduled ${this.jobs.map((job) => job.name).join(', ')}`);
  }

  /** Runs the job now unless another process holds it; resolves to false when skipped. */
  async runOnce(job: ScheduledJob): Promise<boolean> {
    // The embedded database admits one process and one connection: no other worker can compete.
    if (this.connection.isEmbedded) {
      this.logger.log(`${job.name}: ${await job.run()}`);
      return true;
    }
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        jobLockKey(job.name),
      ])) as {
        locked: boolean;
      }[];
      if (!locked) return false;
      try {
        const summary = await job.run();
        this.logger.log(`${job.name}: ${summary}`);
        return true;
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [jobLockKey(job.name)]);
      }
    } finally {
      await runner.release();
    }
  }

  private trigger(job: ScheduledJob): void {
    if (this.isStopped) return;
    const run = this.runOnce(job).catch((error: unknown) =>
      this.logger.error({ err: error }, `${job.name} failed; it will run again at the next interval`),
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  async onApplicationShutdown(): Promise<void> {
    this.isStopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled([...this.running]);
  }
}
