import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { StorageConfig } from '@app/config';
import { DataSource, type EntityManager } from 'typeorm';
import { EvidenceQuotaExceededError } from './evidence.errors';

/**
 * With the case id's hash, serialises the quota checks of one case: evidence writes only share-lock the
 * case row (so that no transition runs meanwhile), and share locks do not exclude each other.
 */
const EVIDENCE_QUOTA_LOCK_KEY = 2_026_113_018;

/**
 * EVIDENCE_QUOTA_BYTES per case: the bytes of every version of the case's evidence that is not deleted.
 * Checked before an upload is read (against its Content-Length) and again, with the case row locked,
 * against the bytes actually received.
 */
@Injectable()
export class EvidenceQuota {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: StorageConfig,
  ) {}

  get quotaBytes(): number {
    return this.config.evidenceQuotaBytes;
  }

  /** Bytes still free for the case (0 or more). */
  async remainingBytes(caseId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query<{ used: string }[]>(
      `SELECT coalesce(sum(v.size), 0)::text AS used
       FROM evidence_version v JOIN evidence_item i ON i.id = v.evidence_id
       WHERE i.case_id = $1 AND i.deleted_at IS NULL`,
      [caseId],
    );
    return Math.max(0, this.quotaBytes - Number(row.used));
  }

  /**
   * In the transaction that records the file, the case row locked: the received bytes must still fit.
   * Concurrent uploads to one case are counted one after the other: each waits here until the previous
   * one's transaction ends, then sees its file.
   */
  async assertFits(manager: EntityManager, caseId: string, receivedBytes: number): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1::int4, hashtext($2))', [
      EVIDENCE_QUOTA_LOCK_KEY,
      caseId,
    ]);
    const remaining = await this.remainingBytes(caseId, manager);
    if (receivedBytes > remaining) throw new EvidenceQuotaExceededError(this.quotaBytes, remaining);
  }
}
