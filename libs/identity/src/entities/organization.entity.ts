import type { OrganizationKind } from '@app/common';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export interface InstitutionProfile {
  legalForm: string;
  offersCredit: boolean;
  offersSavings: boolean;
  offersInsurance: boolean;
  offersPayments: boolean;
  usesDigitalChannels: boolean;
  usesAgents: boolean;
  groupLending: boolean;
  creditBureauAvailable: boolean;
  clientCount: number;
  branchCount: number;
  /** Values of drivers editions declare beyond the fields above, by driver key. */
  drivers?: Record<string, boolean | number | string>;
}

export interface PendingOrganizationChange {
  name: string;
  country: string;
  requestedAt: string;
  requestedBy: string | null;
}

@Entity({ name: 'organization' })
@Check('organization_kind_check', `"kind" IN ('institution', 'certifier', 'secretariat')`)
@Check('organization_license_order_check', `"license_valid_from" <= "license_valid_until"`)
@Index('organization_kind_name_idx', ['kind', 'name'])
export class OrganizationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: OrganizationKind;

  @Column({ type: 'text' })
  name: string;

  /** ISO 3166-1 alpha-2. */
  @Column({ type: 'char', length: 2 })
  country: string;

  /** Institutions only: what the institution offers, which decides the indicators that apply. */
  @Column({ type: 'jsonb', nullable: true })
  profile: InstitutionProfile | null;

  /** Certifiers only: the license granted by the secretariat. */
  @Column({ type: 'date', nullable: true })
  licenseValidFrom: string | null;

  @Column({ type: 'date', nullable: true })
  licenseValidUntil: string | null;

  /** A name or country change of a certificate holder, waiting for the secretariat. */
  @Column({ type: 'jsonb', nullable: true })
  pendingChange: PendingOrganizationChange | null;

  /** Certifiers only: how many committee members must vote before a decision is sealed (1 for small bodies). */
  @Column({ type: 'integer', default: 2 })
  committeeQuorum: number;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
