import { CertificationCaseEntity } from '@app/cases';
import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** The institution's appeal of a decision (one per case) and its resolution. */
@Entity({ name: 'case_appeal' })
@Check('case_appeal_result_check', `"result" IS NULL OR "result" IN ('upheld', 'overturned')`)
export class CaseAppealEntity {
  @PrimaryColumn('uuid')
  caseId: string;

  @ManyToOne(() => CertificationCaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'case_appeal_case_fk' })
  case?: CertificationCaseEntity;

  @Column({ type: 'text' })
  grounds: string;

  @Column({ type: 'uuid' })
  appealedBy: string;

  @Column({ type: 'timestamptz' })
  appealedAt: Date;

  @Column({ type: 'text', nullable: true })
  result: 'upheld' | 'overturned' | null;

  @Column({ type: 'text', nullable: true })
  rationale: string | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedBy: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  /** The institution's escalation of the appeal to the secretariat, and the secretariat's finding. */
  @Column({ type: 'jsonb', nullable: true })
  escalation: AppealEscalation | null;
}

export interface AppealEscalation {
  grounds: string;
  escalatedBy: string;
  escalatedAt: string;
  result: 'upheld' | 'overturned' | null;
  rationale: string | null;
  reopenIndicators: string[] | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}
