import { CertificationCaseEntity } from '@app/cases';
import { UserEntity } from '@app/identity';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';

/**
 * One piece of evidence of a case, linked to the indicators it supports. Its bytes live in versions;
 * `version` is the number of the latest one. Deleting hides the item and keeps its bytes.
 */
@Entity({ name: 'evidence_item' })
@Index('evidence_item_case_idx', ['caseId', 'createdAt'])
@Check('evidence_item_version_check', '"version" >= 1')
export class EvidenceItemEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'evidence_item_pkey' })
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CertificationCaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'evidence_item_case_fk' })
  case?: CertificationCaseEntity;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** The number of the latest version. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ type: 'uuid' })
  createdBy: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'evidence_item_creator_fk' })
  creator?: UserEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  deletedBy: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'deleted_by', foreignKeyConstraintName: 'evidence_item_deleter_fk' })
  deleter?: UserEntity;
}
