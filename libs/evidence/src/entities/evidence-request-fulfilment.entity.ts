import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Column } from 'typeorm';
import { EvidenceItemEntity } from './evidence-item.entity';
import { EvidenceRequestEntity } from './evidence-request.entity';
import { EvidenceVersionEntity } from './evidence-version.entity';

/** Evidence (one uploaded version) that answers an evidence request. */
@Entity({ name: 'evidence_request_fulfilment' })
@Index('evidence_request_fulfilment_evidence_idx', ['evidenceId'])
export class EvidenceRequestFulfilmentEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'evidence_request_fulfilment_pkey' })
  requestId: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'evidence_request_fulfilment_pkey' })
  versionId: string;

  @Column({ type: 'uuid' })
  evidenceId: string;

  @ManyToOne(() => EvidenceRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'evidence_request_fulfilment_request_fk' })
  request?: EvidenceRequestEntity;

  @ManyToOne(() => EvidenceItemEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'evidence_id', foreignKeyConstraintName: 'evidence_request_fulfilment_evidence_fk' })
  evidence?: EvidenceItemEntity;

  @ManyToOne(() => EvidenceVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'version_id', foreignKeyConstraintName: 'evidence_request_fulfilment_version_fk' })
  version?: EvidenceVersionEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  linkedAt: Date;
}
