import { hash } from 'node:crypto';
import { canonicalJson } from '@app/common';

export interface HashedEventFields {
  id: string;
  occurredAt: Date;
  actorId: string | null;
  actorName: string;
  entityType: string;
  entityId: string;
  caseId: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  reason: string | null;
  data: Record<string, unknown>;
  previousHash: string | null;
}

/**
 * An event's fields as text, the way the hash covers them: `occurredAt` as its ISO 8601 string (UTC,
 * milliseconds) and `data` already in canonical JSON (RFC 8785).
 */
export interface CanonicalEventText {
  id: string;
  occurredAt: string;
  actorId: string | null;
  actorName: string;
  entityType: string;
  entityId: string;
  caseId: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  reason: string | null;
  canonicalData: string;
  previousHash: string | null;
}

const text = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));

/**
 * The canonical JSON (RFC 8785) of an event, written out member by member: the members in JCS order
 * (UTF-16 code units: action, actorId, actorName, caseId, data, entityId, entityType, fromStatus, id,
 * occurredAt, previousHash, reason, toStatus), each string as JSON.stringify writes it, which is JCS's
 * string encoding. Byte for byte what `canonicalJson` makes of the same object (a unit test holds both
 * to it), without building the object and sorting its keys for every event of a verification walk.
 */
export function canonicalAuditEventJson(event: CanonicalEventText): string {
  return (
    canonicalAuditEventJsonBeforePreviousHash(event) +
    text(event.previousHash) +
    canonicalAuditEventJsonAfterPreviousHash(event)
  );
}

/** canonicalAuditEventJson up to the previous hash's value: what an append completes in SQL. */
export function canonicalAuditEventJsonBeforePreviousHash(
  event: Omit<CanonicalEventText, 'previousHash'>,
): string {
  return (
    `{"action":${text(event.action)},"actorId":${text(event.actorId)},"actorName":${text(event.actorName)}` +
    `,"caseId":${text(event.caseId)},"data":${event.canonicalData},"entityId":${text(event.entityId)}` +
    `,"entityType":${text(event.entityType)},"fromStatus":${text(event.fromStatus)},"id":${text(event.id)}` +
    `,"occurredAt":${text(event.occurredAt)},"previousHash":`
  );
}

/** canonicalAuditEventJson after the previous hash's value. */
export function canonicalAuditEventJsonAfterPreviousHash(
  event: Pick<CanonicalEventText, 'reason' | 'toStatus'>,
): string {
  return `,"reason":${text(event.reason)},"toStatus":${text(event.toStatus)}}`;
}

/** SHA-256 in hex, one shot (node:crypto `hash`: no Hash object per event). */
export function sha256HexOf(text: string): string {
  return hash('sha256', text, 'hex');
}

/** The SHA-256 (hex) of an event given as text: what `hashAuditEvent` computes for the same event. */
export function hashCanonicalAuditEvent(event: CanonicalEventText): string {
  return sha256HexOf(canonicalAuditEventJson(event));
}

/** The SHA-256 of an event's canonical JSON encoding; it covers the previous event's hash. */
export function hashAuditEvent(event: HashedEventFields): string {
  return hashCanonicalAuditEvent({
    id: event.id,
    occurredAt: event.occurredAt.toISOString(),
    actorId: event.actorId,
    actorName: event.actorName,
    entityType: event.entityType,
    entityId: event.entityId,
    caseId: event.caseId,
    action: event.action,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    reason: event.reason,
    canonicalData: canonicalJson(event.data),
    previousHash: event.previousHash,
  });
}
