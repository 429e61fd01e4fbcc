import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan } from 'typeorm';
import { IdempotencyRecordEntity } from './entities/idempotency-record.entity';

/**
 * How long a claim holds its key without being renewed. The process running the request renews it
 * every third of this (`IDEMPOTENCY_LEASE_RENEW_MS`); when that process dies the key is free again
 * after at most this long, and a retry runs.
 */
export const IDEMPOTENCY_LEASE_SECONDS = 30;
export const IDEMPOTENCY_LEASE_RENEW_MS = (IDEMPOTENCY_LEASE_SECONDS * 1000) / 3;
const RETENTION_MS = 7 * 86_400_000;

export type IdempotencyClaim =
  | { state: 'claimed' }
  | { state: 'replay'; statusCode: number; body: unknown }
  | { state: 'mismatch' }
  | { state: 'in_progress' };

/** Remembers the first answer to each (caller, Idempotency-Key) so that a repeat creates nothing new. */
@Injectable()
export class IdempotencyStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async claim(scope: string, key: string, requestSha256: string): Promise<IdempotencyClaim> {
    const repository = this.dataSource.getRepository(IdempotencyRecordEntity);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      // Lease times are the database's clock, so processes with skewed clocks agree on them.
      const inserted = await this.dataSource.query<unknown[]>(
        `INSERT INTO idempotency_record (scope, key, request_sha256, status_code, response_body, lease_expires_at)
         VALUES ($1, $2, $3, NULL, NULL, now() + make_interval(secs => $4))
         ON CONFLICT DO NOTHING
         RETURNING scope`,
        [scope, key, requestSha256, IDEMPOTENCY_LEASE_SECONDS],
      );
      if (inserted.length > 0) return { state: 'claimed' };
      const existing = await repository.findOneBy({ scope, key });
      if (!existing) continue;
      if (existing.requestSha256 !== requestSha256) return { state: 'mismatch' };
      if (existing.statusCode !== null) {
        return { state: 'replay', statusCode: existing.statusCode, body: existing.responseBody };
      }
      // Still running unless its lease ran out: then its process died, and the claim is given up.
      const abandoned = await this.dataSource.query<unknown[]>(
        `DELETE FROM idempotency_record
         WHERE scope = $1 AND key = $2 AND status_code IS NULL AND lease_expires_at < now()
         RETURNING scope`,
        [scope, key],
      );
      if (abandoned.length === 0) return { state: 'in_progress' };
    }
    return { state: 'in_progress' };
  }

  /** The request still runs: its claim holds the key for another lease. */
  async renew(scope: string, key: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_record SET lease_expires_at = now() + make_interval(secs => $3)
       WHERE scope = $1 AND key = $2 AND status_code IS NULL`,
      [scope, key, IDEMPOTENCY_LEASE_SECONDS],
    );
  }

  async complete(scope: string, key: string, statusCode: number, body: unknown): Promise<void> {
    await this.dataSource
      .getRepository(IdempotencyRecordEntity)
      .update({ scope, key }, { statusCode, responseBody: body ?? null });
  }

  /** The request failed: the key may be used again. */
  async release(scope: string, key: string): Promise<void> {
    await this.dataSource.getRepository(IdempotencyRecordEntity).delete({ scope, key });
  }

  async purgeOlderThanRetention(now: Date = new Date()): Promise<number> {
    const result = await this.dataSource
      .getRepository(IdempotencyRecordEntity)
      .delete({ createdAt: LessThan(new Date(now.getTime() - RETENTION_MS)) });
    return result.affected ?? 0;
  }
}
