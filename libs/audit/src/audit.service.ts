import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Actor } from '@app/common';
import { DataSource, type EntityManager, MoreThan } from 'typeorm';
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

/** Appends events to the audit chain and verifies it. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records an event inside the caller's transaction: the event exists exactly when the change does. */
  async record(manager: EntityManager, actor: Actor, input: AuditEventInput): Promise<AuditEventEntity> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('Audit events must be recorded inside the transaction that makes the change');
    }
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK_KEY]);
    const last = await manager
      .getRepository(AuditEventEntity)
      .createQueryBuilder('event')
      .select('event.hash', 'hash')
      .orderBy('event.sequence', 'DESC')
      .limit(1)
      .getRawOne<{ hash: string }>();

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
      previousHash: last?.hash ?? null,
    });
    event.hash = hashAuditEvent(event);
    // jsonb `data` is opaque to TypeORM's deep-partial type.
    await manager.insert(AuditEventEntity, event as QueryDeepPartialEntity<AuditEventEntity>);
    return event;
  }

  /** Walks the whole chain in order and names the first event whose link or hash does not match. */
  async verifyChain(): Promise<ChainVerification> {
    const repository = this.dataSource.getRepository(AuditEventEntity);
    let previousHash: string | null = null;
    let afterSequence = '0';
    let count = 0;
    for (;;) {
      const batch = await repository.find({
        where: { sequence: MoreThan(afterSequence) },
        order: { sequence: 'ASC' },
        take: VERIFY_BATCH_SIZE,
      });
      for (const event of batch) {
        count += 1;
        const isLinked = event.previousHash === previousHash;
        const isIntact = hashAuditEvent(event) === event.hash;
        if (!isLinked || !isIntact) {
          const events = await repository.count();
          return { valid: false, events, firstBrokenEventId: event.id };
        }
        previousHash = event.hash;
      }
      if (batch.length < VERIFY_BATCH_SIZE) break;
      afterSequence = batch[batch.length - 1].sequence;
    }
    return { valid: true, events: count };
  }
}
