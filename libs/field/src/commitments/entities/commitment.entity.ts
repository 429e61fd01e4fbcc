import { OrganizationEntity } from '@app/identity';
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

export const COMMITMENT_KINDS = [
  'institution',
  'investor',
  'network',
  'donor',
  'certification_body',
  'other',
] as const;
export type CommitmentKind = (typeof COMMITMENT_KINDS)[number];

/** How the entry came: the institution declared itself, the secretariat recorded or imported it. */
export const COMMITMENT_SOURCES = ['self_declared', 'recorded', 'imported'] as const;
export type CommitmentSource = (typeof COMMITMENT_SOURCES)[number];

export const COMMITMENT_APPROVALS = ['pending', 'approved', 'rejected'] as const;
export type CommitmentApproval = (typeof COMMITMENT_APPROVALS)[number];

/** An institution's way from its commitment to certification; other kinds have none. */
export const PATHWAY_STATUSES = ['committed', 'assessment_submitted', 'certified', 'inactive'] as const;
export type PathwayStatus = (typeof PATHWAY_STATUSES)[number];

/** An organization's public commitment to (or endorsement of) the Client Protection Principles. */
@Entity({ name: 'commitment' })
// Unique among the entries that count: a rejected entry blocks nothing, a pending one only its organization.
@Index('commitment_name_country_key', ['normalizedName', 'country'], {
  unique: true,
  where: `"approval" = 'approved'`,
})
@Index('commitment_organization_key', ['organizationId'], {
  unique: true,
  where: `"organization_id" IS NOT NULL AND "approval" <> 'rejected'`,
})
@Index('commitment_public_idx', ['approval', 'country', 'kind'])
@Check(
  'commitment_kind_check',
  `"kind" IN ('institution', 'investor', 'network', 'donor', 'certification_body', 'other')`,
)
@Check('commitment_source_check', `"source" IN ('self_declared', 'recorded', 'imported')`)
@Check('commitment_approval_check', `"approval" IN ('pending', 'approved', 'rejected')`)
@Check(
  'commitment_pathway_status_check',
  `"pathway_status" IN ('committed', 'assessment_submitted', 'certified', 'inactive')`,
)
export class CommitmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The organization when it uses the product; null for signatories that do not. */
  @Column({ type: 'uuid', nullable: true })
  organizationId: string | null;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'commitment_organization_fk' })
  organization?: OrganizationEntity;

  @Column({ type: 'text' })
  name: string;

  /** The name duplicates are detected by: see `normalizeOrganizationName`. */
  @Column({ type: 'text' })
  normalizedName: string;

  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'text' })
  kind: CommitmentKind;

  @Column({ type: 'date' })
  committedOn: string;

  @Column({ type: 'text', nullable: true })
  statement: string | null;

  @Column({ type: 'text' })
  source: CommitmentSource;

  @Column({ type: 'text' })
  approval: CommitmentApproval;

  @Column({ type: 'text', nullable: true })
  approvalReason: string | null;

  /** Institutions only; kept by the pathway job. */
  @Column({ type: 'text', nullable: true })
  pathwayStatus: PathwayStatus | null;

  /** The first reminder before the entry turns inactive; cleared when a new assessment moves the date. */
  @Column({ type: 'date', nullable: true })
  remindersStartedOn: string | null;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
