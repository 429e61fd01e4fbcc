import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, LessThan } from 'typeorm';
import { IdempotencyRecordEntity } from './entities/idempotency-record.entity';

// A claim whose request never finished (the process died) is given up after this long.
const ABANDONED_AFTER_MS = 10 * 60_000;
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
      const inserted = await repository
        .createQueryBuilder()
        .insert()
        .values({ scope, key, requestSha256, statusCode: null, responseBody: null })
        .orIgnore()
        .returning(['scope'])
        .execute();
      if (inserted.raw && (inserted.raw as unknown[]).length > 0) return { state: 'claimed' };
      const existing = await repository.findOneBy({ scope, key });
      if (!existing) continue;
      if (existing.requestSha256 !== requestSha256) return { state: 'mismatch' };
      if (existing.statusCode !== null) {
        return { state: 'replay', statusCode: existing.statusCode, body: existing.responseBody };
      }
      if (Date.now() - existing.createdAt.getTime() < ABANDONED_AFTER_MS) return { state: 'in_progress' };
      await repository.delete({ scope, key, statusCode: IsNull(), createdAt: existing.createdAt });
    }
    return { state: 'in_progress' };
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
