import { CertificationCaseEntity } from '@app/cases';
import { UserEntity } from '@app/identity';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/** The mission team's rating of one indicator of a case. */
@Entity({ name: 'indicator_rating' })
export class IndicatorRatingEntity {
  @PrimaryColumn('uuid')
  caseId: string;

  @PrimaryColumn({ type: 'text' })
  indicatorCode: string;

  @ManyToOne(() => CertificationCaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'indicator_rating_case_fk' })
  case?: CertificationCaseEntity;

  @Column({ type: 'text' })
  rating: string;

  @Column({ type: 'text', nullable: true })
  justification: string | null;

  /** Evidence items of the same case that support the rating. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  evidenceIds: string[];

  /** How the rating was verified: document, interview, focus_group, observation, system_check. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  verifiedBy: string[];

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'uuid' })
  ratedBy: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'rated_by', foreignKeyConstraintName: 'indicator_rating_rated_by_fk' })
  rater?: UserEntity;

  @Column({ type: 'timestamptz' })
  ratedAt: Date;
}
