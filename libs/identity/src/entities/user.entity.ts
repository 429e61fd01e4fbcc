import type { Role } from '@app/common';
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
import { OrganizationEntity } from './organization.entity';

@Entity({ name: 'user_account' })
@Check(
  'user_account_role_check',
  `"role" IN ('institution_admin', 'institution_member', 'certifier_admin', 'rater', 'committee_member', 'secretariat_admin', 'secretariat_officer')`,
)
@Index('user_account_organization_idx', ['organizationId'])
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'user_account_organization_fk' })
  organization?: OrganizationEntity;

  /** Stored lower-case; unique across the product. */
  @Index('user_account_email_key', { unique: true })
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  role: Role;

  /** argon2id, in the PHC string format. */
  @Column({ type: 'text' })
  passwordHash: string;

  @Column({ type: 'timestamptz' })
  passwordChangedAt: Date;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  /** The TOTP secret once enrolment is complete, encrypted (AES-256-GCM, key derived from JWT_SECRET). */
  @Column({ type: 'text', nullable: true, select: false })
  mfaSecret: string | null;

  /** The TOTP secret of an enrolment not yet confirmed by a code, encrypted likewise. */
  @Column({ type: 'text', nullable: true, select: false })
  mfaPendingSecret: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  mfaEnabledAt: Date | null;

  /** The last accepted TOTP time step: a code is never accepted twice. */
  @Column({ type: 'bigint', nullable: true, select: false })
  mfaLastTimeStep: string | null;

  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
