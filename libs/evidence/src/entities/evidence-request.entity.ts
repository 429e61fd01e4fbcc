import { CertificationCaseEntity } from '@app/cases';
import { UserEntity } from '@app/identity';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * A rater's request for evidence on given indicators by a due date. It is fulfilled once evidence
 * uploaded after it covers each of its indicators (see `evidence_request_fulfilment`).
 */
@Entity({ name: 'evidence_request' })
@Index('evidence_request_case_idx', ['caseId', 'createdAt'])
export class EvidenceRequestEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'evidence_request_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CertificationCaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'evidence_request_case_fk' })
  case?: CertificationCaseEntity;

  @Column({ type: 'text', array: true })
  indicatorCodes: string[];

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'date' })
  dueOn: string;

  @Column({ type: 'uuid' })
  requestedBy: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'requested_by', foreignKeyConstraintName: 'evidence_request_requester_fk' })
  requester?: UserEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
