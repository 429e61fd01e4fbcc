import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

export interface WindowCount {
  /** Points consumed in the current window, this consumption included. */
  points: number;
  /** Milliseconds until the window resets. */
  msUntilReset: number;
}

export interface FailureBackOff {
  /** The failures limit before delays start. */
  limit: number;
  /** The longest delay, in seconds. */
  maxDelaySeconds: number;
  /** Failures are forgotten this long after the last one. */
  forgetAfterSeconds: number;
}

/** How often the in-process counts of `count` are added to the shared counters in PostgreSQL. */
export const RATE_COUNTER_FLUSH_MS = 250;

/** One key's window as this process knows it. */
interface LocalWindow {
  /** The shared total PostgreSQL answered at the last flush (every instance's points, ours included). */
  shared: number;
  /** Points counted here since the last flush began. */
  pending: number;
  /** Points of the flush under way, not yet answered. */
  inFlight: number;
  windowSeconds: number;
  /** When the window ends, on this process's clock (from the database's answer once flushed). */
  endsAt: number;
}

/**
 * Counters in PostgreSQL, so that every API instance sees the same counts. Each call is one atomic
 * statement (an upsert) through TypeORM's own pool, which also works on the embedded single-session
 * database; times come from the database clock, not the instances'.
 *
 * The general rate limit counts through `count`: in process, at no cost per request, with the deltas
 * added to PostgreSQL every RATE_COUNTER_FLUSH_MS in one multi-row upsert that answers the shared
 * totals. A caller is judged on the last shared total plus what this process counted since, so with N
 * instances a caller can exceed the budget by at most what the other N−1 instances admit during one
 * flush interval (and the round trip of the flush).
 */
@Injectable()
export class RateCounterStore implements OnModuleDestroy {
  private readonly logger = new Logger(RateCounterStore.name);
  private readonly windows = new Map<string, LocalWindow>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Counts one point for the key in its fixed window of `windowSeconds` and answers the count so far:
   * the last shared total from PostgreSQL plus the points counted here since. No database round trip.
   */
  count(key: string, windowSeconds: number): WindowCount {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { shared: 0, pending: 0, inFlight: 0, windowSeconds, endsAt: now + windowSeconds * 1000 };
      this.windows.set(key, window);
    }
    window.pending += 1;
    this.timer ??= setInterval(() => void this.flush(), RATE_COUNTER_FLUSH_MS).unref();
    return {
      points: window.shared + window.inFlight + window.pending,
      msUntilReset: Math.max(0, window.endsAt - now),
    };
  }

  /** Adds the points counted in process to the shared counters, in one statement, and reads the totals back. */
  flush(): Promise<void> {
    this.flushing ??= this.flushPending().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async flushPending(): Promise<void> {
    const now = Date.now();
    const batch: { key: string; window: LocalWindow }[] = [];
    for (const [key, window] of this.windows) {
      if (window.pending > 0) {
        window.inFlight = window.pending;
        window.pending = 0;
        batch.push({ key, window });
      } else if (window.endsAt <= now) {
        this.windows.delete(key);
      }
    }
    if (batch.length === 0) return;
    try {
      const rows = await this.dataSource.query<{ key: string; points: number; ms: string }[]>(
        `INSERT INTO rate_limit_counter AS c (key, points, resets_at)
         SELECT d.key, d.points, now() + make_interval(secs => d.secs)
         FROM unnest($1::text[], $2::int[], $3::int[]) AS d (key, points, secs)
         ON CONFLICT (key) DO UPDATE SET
           points = CASE WHEN c.resets_at <= now() THEN excluded.points ELSE c.points + excluded.points END,
           resets_at = CASE WHEN c.resets_at <= now() THEN excluded.resets_at ELSE c.resets_at END
         RETURNING key, points, ceil(extract(epoch FROM (resets_at - now())) * 1000)::bigint AS ms`,
        [
          batch.map(({ key }) => key),
          batch.map(({ window }) => window.inFlight),
          batch.map(({ window }) => window.windowSeconds),
        ],
      );
      const answered = Date.now();
      for (const row of rows) {
        const window = this.windows.get(row.key);
        if (!window) continue;
        window.shared = Number(row.points);
        window.inFlight = 0;
        window.endsAt = answered + Math.max(0, Number(row.ms));
      }
    } catch (error) {
      // The database is unreachable: keep counting in process and add these points at the next flush.
      for (const { window } of batch) {
        window.pending += window.inFlight;
        window.inFlight = 0;
      }
      this.logger.warn(`Rate counters not flushed: ${(error as Error).message}`);
    }
  }

  /** Adds `points` to the key's fixed window of `windowSeconds`, starting a new window when it ran out. */
  async consume(key: string, points: number, windowSeconds: number): Promise<WindowCount> {
    const [row] = await this.dataSource.query<{ points: number; ms: string }[]>(
      `INSERT INTO rate_limit_counter AS c (key, points, resets_at)
       VALUES ($1, $2, now() + make_interval(secs => $3))
       ON CONFLICT (key) DO UPDATE SET
         points = CASE WHEN c.resets_at <= now() THEN $2 ELSE c.points + $2 END,
         resets_at = CASE WHEN c.resets_at <= now() THEN now() + make_interval(secs => $3) ELSE c.resets_at END
       RETURNING points, ceil(extract(epoch FROM (resets_at - now())) * 1000)::bigint AS ms`,
      [key, points, windowSeconds],
    );
    return { points: Number(row.points), msUntilReset: Math.max(0, Number(row.ms)) };
  }

  /**
   * Counts one failure of each key; once a key has `limit` failures, it is blocked for a delay that
   * doubles with every further failure (1 s, 2 s, 4 s, …) up to `maxDelaySeconds`. With `manager`, in
   * that transaction (as `blockedSeconds` and `clearFailures`): a caller that serialises attempts under
   * a row lock counts them in the same transaction as the check.
   */
  async recordFailure(
    keys: { key: string; backOff: FailureBackOff }[],
    manager: EntityManager | DataSource = this.dataSource,
  ): Promise<void> {
    for (const { key, backOff } of keys) {
      const failures = `CASE WHEN t.last_failure_at < now() - make_interval(secs => $4) THEN 1 ELSE t.failures + 1 END`;
      await manager.query(
        `INSERT INTO login_throttle AS t (key, failures, last_failure_at, blocked_until)
         VALUES ($1, 1, now(), CASE WHEN 1 >= $2 THEN now() + make_interval(secs => 1) END)
         ON CONFLICT (key) DO UPDATE SET
           failures = ${failures},
           last_failure_at = now(),
           blocked_until = CASE WHEN ${failures} >= $2
             THEN now() + make_interval(secs => least($3::float8, power(2, ${failures} - $2)::float8)) END`,
        [key, backOff.limit, backOff.maxDelaySeconds, backOff.forgetAfterSeconds],
      );
    }
  }

  /** Whole seconds until the longest block among the keys ends; 0 when none is blocked. */
  async blockedSeconds(
    keys: string[],
    manager: EntityManager | DataSource = this.dataSource,
  ): Promise<number> {
    const [row] = await manager.query<{ seconds: string | null }[]>(
      `SELECT ceil(max(extract(epoch FROM (blocked_until - now())))) AS seconds
       FROM login_throttle WHERE key = ANY($1) AND blocked_until > now()`,
      [keys],
    );
    return row?.seconds ? Math.max(1, Number(row.seconds)) : 0;
  }

  async clearFailures(key: string, manager: EntityManager | DataSource = this.dataSource): Promise<void> {
    await manager.query('DELETE FROM login_throttle WHERE key = $1', [key]);
  }

  /** Removes counters whose window ended and failures older than `forgetAfterSeconds`. */
  async purgeExpired(forgetAfterSeconds: number): Promise<number> {
    // TypeORM answers a DELETE with [rows, affected count].
    const [, windows] = await this.dataSource.query<[unknown[], number]>(
      'DELETE FROM rate_limit_counter WHERE resets_at < now()',
    );
    const [, failures] = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM login_throttle WHERE last_failure_at < now() - make_interval(secs => $1)
         AND (blocked_until IS NULL OR blocked_until < now())`,
      [forgetAfterSeconds],
    );
    return windows + failures;
  }
}
