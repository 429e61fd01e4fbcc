import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** The first answer to a create request sent with an Idempotency-Key, replayed for repeats. */
@Entity({ name: 'idempotency_record' })
@Index('idempotency_record_created_idx', ['createdAt'])
export class IdempotencyRecordEntity {
  /** Whose key it is: the user id, or `anonymous`. Keys of different callers never collide. */
  @PrimaryColumn({ type: 'text' })
  scope: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  /** SHA-256 of method, path and canonical body: a repeat must be the same request. */
  @Column({ type: 'char', length: 64 })
  requestSha256: string;

  /** Null while the first request is still being processed. */
  @Column({ type: 'integer', nullable: true })
  statusCode: number | null;

  @Column({ type: 'jsonb', nullable: true })
  responseBody: object | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  /**
   * While the first request runs, its process renews this lease; a claim whose lease ran out belongs to a
   * request whose process died, and a retry with the same key then runs.
   */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  leaseExpiresAt: Date;
}
