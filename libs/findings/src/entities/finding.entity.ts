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

export const FINDING_SEVERITIES = ['major', 'minor', 'observation'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

export const FINDING_STATUSES = ['open', 'resolved', 'unresolved'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** A finding of the mission team on one or more indicators, answered by the institution. */
@Entity({ name: 'finding' })
@Index('finding_case_idx', ['caseId', 'createdAt'])
@Check('finding_severity_check', `"severity" IN ('major', 'minor', 'observation')`)
@Check('finding_status_check', `"status" IN ('open', 'resolved', 'unresolved')`)
export class FindingEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CertificationCaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'finding_case_fk' })
  case?: CertificationCaseEntity;

  @Column({ type: 'text', array: true })
  indicatorCodes: string[];

  @Column({ type: 'text' })
  severity: FindingSeverity;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'text' })
  recommendation: string;

  @Column({ type: 'date', nullable: true })
  correctiveActionDueOn: string | null;

  @Column({ type: 'text', default: 'open' })
  status: FindingStatus;

  @Column({ type: 'text', nullable: true })
  resolutionNote: string | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
