import { CertificationCaseEntity } from '@app/cases';
import { UserEntity } from '@app/identity';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CorrectiveActionEntity } from './corrective-action.entity';

export const VERIFICATION_RESULTS = ['verified', 'not_verified'] as const;
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];

/** The raters' verification of an action in the case it is worked in (one per action and case). */
@Entity({ name: 'action_verification' })
@Index('action_verification_action_case_key', ['actionId', 'caseId'], { unique: true })
@Check('action_verification_result_check', `"result" IN ('verified', 'not_verified')`)
export class ActionVerificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  actionId: string;

  @ManyToOne(() => CorrectiveActionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'action_id', foreignKeyConstraintName: 'action_verification_action_fk' })
  action?: CorrectiveActionEntity;

  @Column({ type: 'uuid' })
  caseId: string;

  @ManyToOne(() => CertificationCaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'action_verification_case_fk' })
  case?: CertificationCaseEntity;

  @Column({ type: 'text' })
  result: VerificationResult;

  @Column({ type: 'text' })
  note: string;

  @Column({ type: 'uuid' })
  verifiedBy: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'verified_by', foreignKeyConstraintName: 'action_verification_verified_by_fk' })
  verifier?: UserEntity;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  verifiedAt: Date;
}
