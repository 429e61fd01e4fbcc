import { canonicalJson, sha256Hex } from '@app/common';

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

/** The SHA-256 of an event's canonical JSON encoding; it covers the previous event's hash. */
export function hashAuditEvent(event: HashedEventFields): string {
  return sha256Hex(
    canonicalJson({
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
      data: event.data,
      previousHash: event.previousHash,
    }),
  );
}
