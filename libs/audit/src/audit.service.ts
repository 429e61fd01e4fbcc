import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { canonicalJson, type Actor } from '@app/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  canonicalAuditEventJsonAfterPreviousHash,
  canonicalAuditEventJsonBeforePreviousHash,
  hashCanonicalAuditEvent,
} from './audit-hash.util';
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

/** An audit event and the SQL that appends it, for a statement of the caller's (AuditService.prepare). */
export interface PreparedAuditAppend {
  /** The event as it will be stored, without its sequence, previous hash and hash (the database's). */
  event: AuditEventEntity;
  /** An INSERT … SELECT of the event, its parameters numbered from `$first`, appending only when `condition` holds. */
  sql(first: number, condition?: string): string;
  parameters: unknown[];
}

export interface ChainVerification {
  valid: boolean;
  events: number;
  firstBrokenEventId?: string;
}

/** The advisory lock that serialises appends, so that each event links to the one before it. */
export const AUDIT_CHAIN_LOCK_KEY = 2_026_112_301;
/** Events per keyset batch of `verifyChain`: a few thousand rows, some MiB of text at most. */
export const VERIFY_BATCH_SIZE = 1000;

/**
 * The columns the hash covers, in this order, each as PostgreSQL's text: `occurred_at` rendered in SQL
 * as the ISO 8601 string the hash covers (UTC, milliseconds, as Date#toISOString writes it), `data` as
 * the stored jsonb's text (parsed and canonicalised here: jsonb's own key order is not RFC 8785's).
 */
const VERIFY_COLUMNS = `audit_event.sequence::text AS after, id::text,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), actor_id::text, actor_name,
  entity_type, entity_id, case_id::text, action, from_status, to_status, reason, data::text,
  previous_hash::text, hash::text`;
type VerifyRow = [
  sequence: string,
  id: string,
  occurredAt: string,
  actorId: string | null,
  actorName: string,
  entityType: string,
  entityId: string,
  caseId: string | null,
  action: string,
  fromStatus: string | null,
  toStatus: string | null,
  reason: string | null,
  data: string,
  previousHash: string | null,
  hash: string,
];
/** Every column as the text PostgreSQL sent: no Date, no JSON, no number parsing by the driver. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

/** The part of node-postgres' client that the verification walk uses. */
interface RawClient {
  query<Row extends unknown[]>(config: {
    text: string;
    values: unknown[];
    rowMode: 'array';
    types: typeof RAW_TEXT;
  }): Promise<{ rows: Row[] }>;
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
    const append = this.prepare(actor, input);
    const [appended] = await manager.query<{ sequence: string; previousHash: string | null; hash: string }[]>(
      `${append.sql(1)} RETURNING sequence, previous_hash AS "previousHash", hash`,
      append.parameters,
    );
    const { event } = append;
    event.sequence = appended.sequence;
    event.previousHash = appended.previousHash;
    event.hash = appended.hash;
    return event;
  }

  /**
   * An event ready to be appended by a statement of the caller's, in the transaction that makes the
   * change (as `record` appends it, which uses it): for a change whose own statement can append its event
   * too, one round trip instead of two.
   */
  prepare(actor: Actor, input: AuditEventInput): PreparedAuditAppend {
    const event = new AuditEventEntity();
    event.id = randomUUID();
    event.occurredAt = new Date();
    event.actorId = actor.userId;
    event.actorName = actor.name;
    event.entityType = input.entityType;
    event.entityId = input.entityId;
    event.caseId = input.caseId ?? null;
    event.action = input.action;
    event.fromStatus = input.fromStatus ?? null;
    event.toStatus = input.toStatus ?? null;
    event.reason = input.reason ?? null;
    event.data = input.data ?? {};
    const canonical = {
      ...event,
      occurredAt: event.occurredAt.toISOString(),
      canonicalData: canonicalJson(event.data),
    };
    return {
      event,
      // The chain's lock and head (migration AuditChainHead), and the event linked to it. The hash is the
      // SHA-256 of the canonical JSON written here around the previous hash, which only the database
      // knows under the lock: byte for byte what hashAuditEvent computes (hex of the UTF-8 bytes).
      sql: (first, condition) => {
        const $ = (index: number) => `$${first + index}`;
        return `INSERT INTO audit_event (id, occurred_at, actor_id, actor_name, entity_type, entity_id, case_id,
                                         action, from_status, to_status, reason, data, previous_hash, hash)
          SELECT ${$(0)}::uuid, ${$(1)}::timestamptz, ${$(2)}::uuid, ${$(3)}::text, ${$(4)}::text, ${$(5)}::text,
                 ${$(6)}::uuid, ${$(7)}::text, ${$(8)}::text, ${$(9)}::text, ${$(10)}::text, ${$(11)}::jsonb, head.hash,
                 encode(sha256(convert_to(${$(12)}::text || coalesce('"' || head.hash || '"', 'null') || ${$(13)}::text,
                                          'UTF8')), 'hex')
            FROM (SELECT audit_chain_head(${$(14)}) AS hash) AS head
           ${condition ? `WHERE ${condition}` : ''}`;
      },
      parameters: [
        event.id,
        event.occurredAt,
        event.actorId,
        event.actorName,
        event.entityType,
        event.entityId,
        event.caseId,
        event.action,
        event.fromStatus,
        event.toStatus,
        event.reason,
        JSON.stringify(event.data),
        canonicalAuditEventJsonBeforePreviousHash(canonical),
        canonicalAuditEventJsonAfterPreviousHash(canonical),
        AUDIT_CHAIN_LOCK_KEY,
      ],
    };
  }

  /**
   * Walks the whole chain in `sequence` order, recomputes every event's hash from its content and the
   * previous event's hash, and names the first event whose link or hash does not match. Streams in
   * constant memory: keyset batches of VERIFY_BATCH_SIZE on one connection (never OFFSET), every column
   * read as text in array rows (no entity hydration, no Date parsing), the canonical JSON written member
   * by member (`canonicalAuditEventJson`, byte-identical to canonicalJson over the event), the next batch
   * requested before this one is hashed so that the database reads while Node hashes.
   */
  async verifyChain(): Promise<ChainVerification> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as RawClient;
      const batchAfter = (sequence: string) =>
        client.query<VerifyRow>({
          text: `SELECT ${VERIFY_COLUMNS} FROM audit_event WHERE audit_event.sequence > $1 ORDER BY audit_event.sequence LIMIT ${VERIFY_BATCH_SIZE}`,
          values: [sequence],
          rowMode: 'array',
          types: RAW_TEXT,
        });
      let previousHash: string | null = null;
      let count = 0;
      let next: Promise<{ rows: VerifyRow[] }> | undefined = batchAfter('0');
      while (next) {
        const { rows }: { rows: VerifyRow[] } = await next;
        next = rows.length === VERIFY_BATCH_SIZE ? batchAfter(rows[rows.length - 1][0]) : undefined;
        for (const row of rows) {
          count += 1;
          const hash = row[14];
          const isLinked = row[13] === previousHash;
          if (!isLinked || !this.isIntact(row, hash)) {
            await next?.catch(() => undefined);
            const counted = await client.query<[count: string]>({
              text: 'SELECT count(*) FROM audit_event',
              values: [],
              rowMode: 'array',
              types: RAW_TEXT,
            });
            const events = Number(counted.rows[0][0]);
            return { valid: false, events, firstBrokenEventId: row[1] };
          }
          previousHash = hash;
        }
      }
      return { valid: true, events: count };
    } finally {
      await runner.release();
    }
  }

  private isIntact(row: VerifyRow, hash: string): boolean {
    let canonicalData: string;
    try {
      canonicalData = canonicalJson(JSON.parse(row[12]));
    } catch {
      return false;
    }
    return (
      hashCanonicalAuditEvent({
        id: row[1],
        occurredAt: row[2],
        actorId: row[3],
        actorName: row[4],
        entityType: row[5],
        entityId: row[6],
        caseId: row[7],
        action: row[8],
        fromStatus: row[9],
        toStatus: row[10],
        reason: row[11],
        canonicalData,
        previousHash: row[13],
      }) === hash
    );
  }
}
