import { CertificationCaseEntity } from '@app/cases';
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

  @Column({ type: 'uuid' })
  updatedBy: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
