import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { EvidenceItemEntity } from './evidence-item.entity';

/** An indicator (of the case's edition) that a piece of evidence supports. */
@Entity({ name: 'evidence_indicator' })
@Index('evidence_indicator_code_idx', ['indicatorCode'])
export class EvidenceIndicatorEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'evidence_indicator_pkey' })
  evidenceId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'evidence_indicator_pkey' })
  indicatorCode: string;

  @ManyToOne(() => EvidenceItemEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'evidence_id', foreignKeyConstraintName: 'evidence_indicator_evidence_fk' })
  evidence?: EvidenceItemEntity;
}
