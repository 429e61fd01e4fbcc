import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

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

/**
 * Counters in PostgreSQL, so that every API instance sees the same counts. Each call is one atomic
 * statement (an upsert) through TypeORM's own pool, which also works on the embedded single-session
 * database; times come from the database clock, not the instances'.
 */
@Injectable()
export class RateCounterStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
   * doubles with every further failure (1 s, 2 s, 4 s, …) up to `maxDelaySeconds`.
   */
  async recordFailure(keys: { key: string; backOff: FailureBackOff }[]): Promise<void> {
    for (const { key, backOff } of keys) {
      const failures = `CASE WHEN t.last_failure_at < now() - make_interval(secs => $4) THEN 1 ELSE t.failures + 1 END`;
      await this.dataSource.query(
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
  async blockedSeconds(keys: string[]): Promise<number> {
    const [row] = await this.dataSource.query<{ seconds: string | null }[]>(
      `SELECT ceil(max(extract(epoch FROM (blocked_until - now())))) AS seconds
       FROM login_throttle WHERE key = ANY($1) AND blocked_until > now()`,
      [keys],
    );
    return row?.seconds ? Math.max(1, Number(row.seconds)) : 0;
  }

  async clearFailures(key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM login_throttle WHERE key = $1', [key]);
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
