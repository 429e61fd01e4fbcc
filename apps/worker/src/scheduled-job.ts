/** A job the worker runs on a fixed interval; it must be idempotent. */
export interface ScheduledJob {
  name: string;
  intervalMs: number;
  /** Returns a short summary of what it did, for the log. */
  run(): Promise<string>;
}

export const SCHEDULED_JOBS = Symbol('SCHEDULED_JOBS');
