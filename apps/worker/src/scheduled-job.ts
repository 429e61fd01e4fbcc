/** A job the worker runs on a cron schedule (UTC); it must be idempotent. */
export interface ScheduledJob {
  name: string;
  /** Five-field cron expression, UTC. */
  cron: string;
  /** Longest run before pg-boss counts it failed and retries it; default 15 minutes. */
  timeoutSeconds?: number;
  /** Returns a short summary of what it did, for the log and the job's archived output. */
  run(): Promise<string>;
}

export const SCHEDULED_JOBS = Symbol('SCHEDULED_JOBS');

/** Worker-side queued work that is not on a schedule (e-mail, PDF renders): registered with its own options. */
export interface QueuedWork {
  register(): Promise<void>;
}

export const QUEUED_WORK = Symbol('QUEUED_WORK');
