import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobQueue } from '@app/database';
import type PgBoss from 'pg-boss';
import { QUEUED_WORK, type QueuedWork, SCHEDULED_JOBS, type ScheduledJob } from './scheduled-job';

/** Where jobs that failed their last attempt are kept (any queue's), for a person to look at. */
export const DEAD_LETTER_QUEUE = 'dead-letter';

const DEFAULT_TIMEOUT_SECONDS = 15 * 60;
/** How often an idle worker asks for a scheduled job; cron fires at most once a minute. */
const SCHEDULED_POLL_SECONDS = 5;

/**
 * The worker's jobs on pg-boss: each scheduled job is a queue with a cron schedule (pg-boss sends one
 * job per tick, once across workers) and the `stately` policy (at most one waiting and one running, so
 * two workers never run the same sweep at once and a slow run does not pile up ticks). A failed run is
 * retried twice with back-off, then kept in the dead-letter queue; completed and failed jobs go to
 * pg-boss's archive with their summary or error. Each job also runs once when a worker starts.
 */
@Injectable()
export class JobScheduler {
  private readonly logger = new Logger(JobScheduler.name);

  constructor(
    private readonly queue: JobQueue,
    @Inject(SCHEDULED_JOBS) private readonly jobs: ScheduledJob[],
    @Inject(QUEUED_WORK) private readonly queuedWork: QueuedWork[],
  ) {}

  async start(): Promise<void> {
    const boss = await this.queue.start({ maintains: true });
    await boss.createQueue(DEAD_LETTER_QUEUE, { name: DEAD_LETTER_QUEUE, retentionMinutes: 30 * 24 * 60 });
    for (const job of this.jobs) {
      const options: PgBoss.Queue = {
        name: job.name,
        policy: 'stately',
        retryLimit: 2,
        retryDelay: 60,
        retryBackoff: true,
        expireInSeconds: job.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
        deadLetter: DEAD_LETTER_QUEUE,
      };
      await boss.createQueue(job.name, options);
      await boss.updateQueue(job.name, options);
      await boss.schedule(job.name, job.cron, {}, { tz: 'UTC' });
      await boss.work(job.name, { pollingIntervalSeconds: SCHEDULED_POLL_SECONDS }, () => this.run(job));
      // Catch up after downtime; the stately policy makes it one run however many workers start.
      await boss.send(job.name, { reason: 'start' });
    }
    for (const work of this.queuedWork) await work.register();
    this.logger.log(`Scheduled ${this.jobs.map((job) => `${job.name} (${job.cron})`).join(', ')}`);
  }

  /** Queues a run of a scheduled job now; resolves to its job id, or null when one is already waiting. */
  async trigger(name: string): Promise<string | null> {
    const boss = await this.queue.start();
    return boss.send(name, { reason: 'trigger' });
  }

  private async run(job: ScheduledJob): Promise<{ summary: string }> {
    try {
      const summary = await job.run();
      this.logger.log(`${job.name}: ${summary}`);
      return { summary };
    } catch (error) {
      this.logger.error({ err: error }, `${job.name} failed; pg-boss retries it with back-off`);
      throw error;
    }
  }
}
