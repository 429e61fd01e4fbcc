import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One append-only audit event. Events form a hash chain in `sequence` order: each `hash` is the SHA-256
 * of the event's canonical JSON, which includes the previous event's hash. A database trigger refuses
 * UPDATE and DELETE on the table.
 */
@Entity({ name: 'audit_event' })
@Index('audit_event_entity_idx', ['entityType', 'entityId', 'sequence'])
@Index('audit_event_case_idx', ['caseId', 'sequence'])
export class AuditEventEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ type: 'bigint', generated: 'increment', unique: true })
  sequence: string;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'text' })
  actorName: string;

  @Column({ type: 'text' })
  entityType: string;

  @Column({ type: 'text' })
  entityId: string;

  @Column({ type: 'uuid', nullable: true })
  caseId: string | null;

  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text', nullable: true })
  fromStatus: string | null;

  @Column({ type: 'text', nullable: true })
  toStatus: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  @Column({ type: 'char', length: 64, nullable: true })
  previousHash: string | null;

  @Column({ type: 'char', length: 64 })
  hash: string;
}
