import { CertificationCaseEntity } from '@app/cases';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A committee decision (or an appeal's overturning decision) with its sealed package: the canonical
 * JSON of what was decided on, stored as text so that re-hashing it reproduces `packageSha256`.
 */
@Entity({ name: 'case_decision' })
@Index('case_decision_case_idx', ['caseId', 'decidedAt'])
@Check('case_decision_kind_check', `"kind" IN ('decision', 'appeal_resolution')`)
@Check('case_decision_outcome_check', `"outcome" IN ('certified', 'not_certified')`)
export class CaseDecisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CertificationCaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'case_decision_case_fk' })
  case?: CertificationCaseEntity;

  @Column({ type: 'text' })
  kind: 'decision' | 'appeal_resolution';

  @Column({ type: 'text' })
  outcome: 'certified' | 'not_certified';

  @Column({ type: 'text', nullable: true })
  level: string | null;

  @Column({ type: 'text' })
  rationale: string;

  @Column({ type: 'uuid' })
  decidedBy: string;

  @Column({ type: 'text' })
  decidedByName: string;

  @Column({ type: 'timestamptz' })
  decidedAt: Date;

  @Column({ type: 'text' })
  packageJson: string;

  @Column({ type: 'char', length: 64 })
  packageSha256: string;

  /** How many counted votes disagreed with the decision (outcome or level); 0 for a decision by one. */
  @Column({ type: 'integer', default: 0 })
  dissentCount: number;
}
