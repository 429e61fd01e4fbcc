import { CertificationCaseEntity } from '@app/cases';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { FindingEntity } from './finding.entity';

export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'verified', 'not_verified'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** The statuses the institution sets; `verified` and `not_verified` are the raters' verification. */
export const INSTITUTION_ACTION_STATUSES = ['open', 'in_progress', 'done'] as const;

/**
 * A corrective action: one per finding, or a recommendation for the next level without a finding. Actions
 * still open at the decision are carried into the certificate's improvement plan (`carriedFromCaseId`).
 */
@Entity({ name: 'corrective_action' })
@Index('corrective_action_case_idx', ['caseId'])
@Check(
  'corrective_action_status_check',
  `"status" IN ('open', 'in_progress', 'done', 'verified', 'not_verified')`,
)
export class CorrectiveActionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The case whose finding (or recommendation) created the action. */
  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CertificationCaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'corrective_action_case_fk' })
  case?: CertificationCaseEntity;

  @Column({ type: 'uuid', nullable: true })
  findingId: string | null;

  @ManyToOne(() => FindingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'finding_id', foreignKeyConstraintName: 'corrective_action_finding_fk' })
  finding?: FindingEntity;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  indicatorCodes: string[];

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text', nullable: true })
  ownerName: string | null;

  @Column({ type: 'date', nullable: true })
  dueOn: string | null;

  @Column({ type: 'text', default: 'open' })
  status: ActionStatus;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  evidenceIds: string[];

  /** The case whose decision carried the action into the improvement plan; null while not carried. */
  @Column({ type: 'uuid', nullable: true })
  carriedFromCaseId: string | null;

  @ManyToOne(() => CertificationCaseEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'carried_from_case_id', foreignKeyConstraintName: 'corrective_action_carried_from_fk' })
  carriedFromCase?: CertificationCaseEntity;

  @Column({ type: 'timestamptz', nullable: true })
  carriedAt: Date | null;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
