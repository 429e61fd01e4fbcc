import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Actor } from '@app/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { hashAuditEvent } from './audit-hash.util';
import { AuditEventEntity } from './entities/audit-event.entity';

export interface AuditEventInput {
  entityType: string;
  entityId: string;
  action: string;
  caseId?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  reason?: string | null;
  data?: Record<string, unknown>;
}

export interface ChainVerification {
  valid: boolean;
  events: number;
  firstBrokenEventId?: string;
}

/** The advisory lock that serialises appends, so that each event links to the one before it. */
export const AUDIT_CHAIN_LOCK_KEY = 2_026_112_301;
const VERIFY_BATCH_SIZE = 1000;

/** An audit event as `verifyChain` reads it: the columns the hash covers, as PostgreSQL answers them. */
interface VerifyRow {
  id: string;
  sequence: string;
  occurred_at: Date;
  actor_id: string | null;
  actor_name: string;
  entity_type: string;
  entity_id: string;
  case_id: string | null;
  action: string;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
  data: Record<string, unknown>;
  previous_hash: string | null;
  hash: string;
}

/** Appends events to the audit chain and verifies it. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records an event inside the caller's transaction: the event exists exactly when the change does. */
  async record(manager: EntityManager, actor: Actor, input: AuditEventInput): Promise<AuditEventEntity> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('Audit events must be recorded inside the transaction that makes the change');
    }
    // The chain's lock and the last event's hash in one round trip (migration AuditChainHead).
    const [head] = await manager.query<{ hash: string | null }[]>('SELECT audit_chain_head($1) AS hash', [
      AUDIT_CHAIN_LOCK_KEY,
    ]);

    const event = manager.getRepository(AuditEventEntity).create({
      id: randomUUID(),
      occurredAt: new Date(),
      actorId: actor.userId,
      actorName: actor.name,
      entityType: input.entityType,
      entityId: input.entityId,
      caseId: input.caseId ?? null,
      action: input.action,
      fromStatus: input.fromStatus ?? null,
      toStatus: input.toStatus ?? null,
      reason: input.reason ?? null,
      data: input.data ?? {},
      previousHash: head?.hash ?? null,
    });
    event.hash = hashAuditEvent(event);
    // jsonb `data` is opaque to TypeORM's deep-partial type.
    await manager.insert(AuditEventEntity, event as QueryDeepPartialEntity<AuditEventEntity>);
    return event;
  }

  /**
   * Walks the whole chain in order and names the first event whose link or hash does not match. Streams
   * in constant memory: batches of VERIFY_BATCH_SIZE by keyset on `sequence` (never OFFSET), read as
   * plain rows (no entity hydration), the next batch fetched while this one is hashed.
   */
  async verifyChain(): Promise<ChainVerification> {
    let previousHash: string | null = null;
    let count = 0;
    let next: Promise<VerifyRow[]> | undefined = this.verifyBatch('0');
    while (next) {
      const batch: VerifyRow[] = await next;
      next =
        batch.length === VERIFY_BATCH_SIZE ? this.verifyBatch(batch[batch.length - 1].sequence) : undefined;
      for (const row of batch) {
        count += 1;
        const isLinked = row.previous_hash === previousHash;
        const isIntact =
          hashAuditEvent({
            id: row.id,
            occurredAt: row.occurred_at,
            actorId: row.actor_id,
            actorName: row.actor_name,
            entityType: row.entity_type,
            entityId: row.entity_id,
            caseId: row.case_id,
            action: row.action,
            fromStatus: row.from_status,
            toStatus: row.to_status,
            reason: row.reason,
            data: row.data,
            previousHash: row.previous_hash,
          }) === row.hash;
        if (!isLinked || !isIntact) {
          await next?.catch(() => undefined);
          const events = await this.dataSource.getRepository(AuditEventEntity).count();
          return { valid: false, events, firstBrokenEventId: row.id };
        }
        previousHash = row.hash;
      }
    }
    return { valid: true, events: count };
  }

  private verifyBatch(afterSequence: string): Promise<VerifyRow[]> {
    return this.dataSource.query<VerifyRow[]>(
      `SELECT id, sequence::text AS sequence, occurred_at, actor_id, actor_name, entity_type, entity_id, case_id,
              action, from_status, to_status, reason, data, previous_hash, hash
       FROM audit_event WHERE audit_event.sequence > $1 ORDER BY audit_event.sequence LIMIT $2`,
      [afterSequence, VERIFY_BATCH_SIZE],
    );
  }
}
