import { CertificationCaseEntity } from '@app/cases';
import { OrganizationEntity } from '@app/identity';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';

export const CERTIFICATE_STATUSES = ['active', 'suspended', 'revoked', 'expired', 'superseded'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** `issued` by the product; `recorded`: issued outside it (the historical registry) and recorded here. */
export const CERTIFICATE_ORIGINS = ['issued', 'recorded'] as const;
export type CertificateOrigin = (typeof CERTIFICATE_ORIGINS)[number];

/** A certificate issued when a certified case is published; numbered per year without gaps. */
@Entity({ name: 'certificate' })
@Index('certificate_registry_idx', ['status', 'issuedOn'])
@Check(
  'certificate_origin_fields_check',
  `("origin" = 'issued' AND "case_id" IS NOT NULL AND "institution_id" IS NOT NULL AND "certifier_id" IS NOT NULL AND "package_sha256" IS NOT NULL) OR ("origin" = 'recorded' AND "certifier_name" IS NOT NULL AND "holder_key" IS NOT NULL)`,
)
@Check('certificate_origin_check', `"origin" IN ('issued', 'recorded')`)
@Index('certificate_holder_key_idx', ['holderKey', 'holderCountry'])
@Check('certificate_status_check', `"status" IN ('active', 'suspended', 'revoked', 'expired', 'superseded')`)
export class CertificateEntity {
  /** e.g. CPC-2026-0042 */
  @PrimaryColumn({ type: 'text' })
  number: string;

  /** Null for a recorded (historical) certificate: no case of the product stands behind it. */
  @Index('certificate_case_key', { unique: true })
  @Column({ type: 'uuid', nullable: true })
  caseId: string | null;

  @ManyToOne(() => CertificationCaseEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'certificate_case_fk' })
  case?: CertificationCaseEntity;

  // The registry filters by the institution's country and name, and organizations list their own.
  @Index('certificate_institution_idx')
  @Column({ type: 'uuid', nullable: true })
  institutionId: string | null;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'institution_id', foreignKeyConstraintName: 'certificate_institution_fk' })
  institution?: OrganizationEntity;

  /** Null for a recorded certificate: its certification body is named in `certifierName`. */
  @Index('certificate_certifier_idx')
  @Column({ type: 'uuid', nullable: true })
  certifierId: string | null;

  /** The certification body of a recorded certificate, as the historical registry names it. */
  @Column({ type: 'text', nullable: true })
  certifierName: string | null;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'certifier_id', foreignKeyConstraintName: 'certificate_certifier_fk' })
  certifier?: OrganizationEntity;

  @Column({ type: 'text' })
  editionId: string;

  @Column({ type: 'text', nullable: true })
  level: string | null;

  /** The holder's name as certified; a later rename of the organization does not change it. */
  @Column({ type: 'text' })
  holderName: string;

  /** The holder's country (ISO 3166-1 alpha-2) as certified. */
  @Column({ type: 'char', length: 2 })
  holderCountry: string;

  /** The committee's decision (or the appeal's resolution that changed it). */
  @Column({ type: 'date' })
  decidedOn: string;

  /** The date validity counts from: the decision date (publication date for certificates issued before). */
  @Column({ type: 'date' })
  issuedOn: string;

  /** The day the secretariat published the certificate. */
  @Column({ type: 'date' })
  publishedOn: string;

  /** When a certified check-in of this certificate was published. */
  @Column({ type: 'date', nullable: true })
  checkedInOn: string | null;

  /** Set by the worker when the check-in date passed without a certified check-in. */
  @Column({ type: 'date', nullable: true })
  checkInOverdueSince: string | null;

  @Column({ type: 'date', nullable: true })
  checkInDueOn: string | null;

  @Column({ type: 'date' })
  validUntil: string;

  /** The SHA-256 of the sealed decision package the certificate rests on. */
  @Column({ type: 'char', length: 64, nullable: true })
  packageSha256: string | null;

  @Column({ type: 'text' })
  status: CertificateStatus;

  @Column({ type: 'text', nullable: true })
  statusReason: string | null;

  @Column({ type: 'text', nullable: true })
  supersededBy: string | null;

  @Column({ type: 'text', default: 'issued' })
  origin: CertificateOrigin;

  /** Recorded certificates: the holder's normalized name, which links them to the commitments list. */
  @Column({ type: 'text', nullable: true })
  holderKey: string | null;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
