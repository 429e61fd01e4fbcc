import { OrganizationEntity, UserEntity } from '@app/identity';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';

export const PRIOR_SERVICE_KINDS = ['consulting', 'pre_certification', 'other'] as const;
export type PriorServiceKind = (typeof PRIOR_SERVICE_KINDS)[number];

/**
 * A service a certification body (or one of its people) gave an institution. Within 24 months of its
 * end it blocks assignment to that institution's cases automatically.
 */
@Entity({ name: 'prior_service' })
@Index('prior_service_institution_idx', ['institutionId', 'certifierId'])
@Check('prior_service_kind_check', `"kind" IN ('consulting', 'pre_certification', 'other')`)
export class PriorServiceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  certifierId: string;

  @Column({ type: 'uuid' })
  institutionId: string;

  /** The person who served; null when the service was the certification body's as a whole. */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'text' })
  kind: PriorServiceKind;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'certifier_id', foreignKeyConstraintName: 'prior_service_certifier_fk' })
  certifier?: OrganizationEntity;

  @ManyToOne(() => OrganizationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'institution_id', foreignKeyConstraintName: 'prior_service_institution_fk' })
  institution?: OrganizationEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'prior_service_user_fk' })
  user?: UserEntity;

  @Column({ type: 'date' })
  endedOn: string;

  @Column({ type: 'uuid' })
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt: Date;
}
