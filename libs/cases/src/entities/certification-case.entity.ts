import { type InstitutionProfile, OrganizationEntity, UserEntity } from '@app/identity';
import { StandardsEditionEntity } from '@app/standards';
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
import type { CaseOutcome, CaseStatus, CaseType } from '../case-status';

export interface MissionDetails {
  startsOn: string;
  endsOn: string;
  branchesVisited: string[];
  interviews: { clients: number; staff: number; management: number };
  /** Interview and focus-group counts per branch visited (absent in missions set before they were kept). */
  branches?: { name: string; interviews: number; focusGroups: number }[];
}

/** One certification case: one institution, one certification body, one standards edition. */
@Entity({ name: 'certification_case' })
@Index('certification_case_institution_idx', ['institutionId', 'status'])
@Index('certification_case_certifier_idx', ['certifierId', 'status'])
@Check(
  'certification_case_status_check',
  `"status" IN ('draft', 'submitted', 'desk_review', 'onsite', 'findings_issued', 'committee_review', 'decided', 'under_appeal', 'closed', 'declined', 'withdrawn', 'under_escalation')`,
)
@Check('certification_case_type_check', `"type" IN ('certification', 'check_in', 'renewal')`)
export class CertificationCaseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  type: CaseType;

  @Column({ type: 'text' })
  status: CaseStatus;

  @Column({ type: 'uuid' })
  institutionId: string;

  @Column({ type: 'uuid' })
  certifierId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'institution_id', foreignKeyConstraintName: 'certification_case_institution_fk' })
  institution?: OrganizationEntity;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'certifier_id', foreignKeyConstraintName: 'certification_case_certifier_fk' })
  certifier?: OrganizationEntity;

  /** The edition the case is pinned to; published editions never change. */
  @Column({ type: 'text' })
  editionId: string;

  @ManyToOne(() => StandardsEditionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'edition_id', foreignKeyConstraintName: 'certification_case_edition_fk' })
  edition?: StandardsEditionEntity;

  /** For a check-in or a renewal: the certificate it concerns. */
  @Column({ type: 'text', nullable: true })
  certificateNumber: string | null;

  /** The certificate the publication of this case issued; null before (and for a check-in). */
  @Column({ type: 'text', nullable: true })
  issuedCertificateNumber: string | null;

  @Column({ type: 'jsonb', nullable: true })
  mission: MissionDetails | null;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  /**
   * The institution profile as submitted: snapshotted at `submit`, amended only by the lead rater with a
   * reason. It decides applicability for the whole case; null until the case is submitted.
   */
  @Column({ type: 'jsonb', nullable: true })
  profile: InstitutionProfile | null;

  /** Set when findings are issued: the institution answers them by then. */
  @Column({ type: 'date', nullable: true })
  responseDueOn: string | null;

  /** The committee's current outcome, once decided (and as an appeal left it). */
  @Column({ type: 'text', nullable: true })
  outcome: CaseOutcome | null;

  @Column({ type: 'text', nullable: true })
  level: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** The institution may appeal until then (10 working days after the decision). */
  @Column({ type: 'date', nullable: true })
  appealDueOn: string | null;

  /** The committee member whose vote breaks a tie; null when the committee has no chair. */
  @Column({ type: 'uuid', nullable: true })
  committeeChairId: string | null;

  /** The certification body answers an appeal by this day (14 calendar days after it). */
  @Column({ type: 'date', nullable: true })
  appealResponseDueOn: string | null;

  /** After an appeal's resolution: the institution may escalate to the secretariat until this day. */
  @Column({ type: 'date', nullable: true })
  escalationDueOn: string | null;

  /** An upheld appeal or escalation reopened these indicators: only their ratings may change. */
  @Column({ type: 'text', array: true, nullable: true })
  reopenedIndicatorCodes: string[] | null;

  /** The certification body postponed the engagement until this day. */
  @Column({ type: 'date', nullable: true })
  postponedUntil: string | null;

  /** A confidential pre-assessment: it never publishes a certificate. */
  @Column({ type: 'boolean', default: false })
  isPreAssessment: boolean;

  /** How many times the case was referred to the committee: votes belong to one referral. */
  @Column({ type: 'integer', default: 0 })
  committeeRound: number;

  /** The institution accepted the decision, waiving its appeal. */
  @Column({ type: 'timestamptz', nullable: true })
  decisionAcceptedAt: Date | null;

  @Column({ type: 'timestamptz' })
  statusChangedAt: Date;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ type: 'uuid' })
  createdBy: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'certification_case_creator_fk' })
  creator?: UserEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
