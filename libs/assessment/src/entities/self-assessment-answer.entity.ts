import { CertificationCaseEntity } from '@app/cases';
import type { PrefillMappingKind } from '../prefill/prefill-plan';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The institution's own rating of one indicator of its case. */
@Entity({ name: 'self_assessment_answer' })
export class SelfAssessmentAnswerEntity {
  @PrimaryColumn('uuid')
  caseId: string;

  @PrimaryColumn({ type: 'text' })
  indicatorCode: string;

  @ManyToOne(() => CertificationCaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'self_assessment_answer_case_fk' })
  case?: CertificationCaseEntity;

  /** The edition the answer was given under: a draft may change edition, and codes differ between editions. */
  @Column({ type: 'text' })
  editionId: string;

  @Column({ type: 'text' })
  rating: string;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  /**
   * Whether the institution stands by the answer: saved by it (true), or pre-filled from a previous case or a
   * workbook and not confirmed yet (false). Only confirmed answers count (completeness, submit, deltas).
   */
  @Column({ type: 'boolean', default: true })
  confirmed: boolean;

  /** Where a pre-filled answer came from: `case` (ref: the case id) or `workbook` (ref: its SHA-256). */
  @Column({ type: 'text', nullable: true })
  sourceKind: 'case' | 'workbook' | null;

  @Column({ type: 'text', nullable: true })
  sourceRef: string | null;

  @Column({ type: 'text', nullable: true })
  sourceEditionId: string | null;

  /** The source indicators the answer was taken from. */
  @Column({ type: 'text', array: true, nullable: true })
  sourceCodes: string[] | null;

  /** `identical` (same edition and code) or the crosswalk mapping kind. */
  @Column({ type: 'text', nullable: true })
  mappingKind: PrefillMappingKind | null;

  @Column({ type: 'text', nullable: true })
  crosswalkId: string | null;

  /** A pre-filled answer to look at closely (not an equivalent mapping, or disagreeing sources). */
  @Column({ type: 'boolean', default: false })
  needsReview: boolean;

  @Column({ type: 'uuid' })
  updatedBy: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
