import { CertificationCaseEntity } from '@app/cases';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CorrectiveActionEntity } from './corrective-action.entity';

/** A case an action is worked in: its own, then each check-in or renewal it was carried into. */
@Entity({ name: 'corrective_action_case' })
@Index('corrective_action_case_case_idx', ['caseId'])
export class CorrectiveActionCaseEntity {
  @PrimaryColumn('uuid')
  actionId: string;

  @PrimaryColumn('uuid')
  caseId: string;

  @ManyToOne(() => CorrectiveActionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'action_id', foreignKeyConstraintName: 'corrective_action_case_action_fk' })
  action?: CorrectiveActionEntity;

  @ManyToOne(() => CertificationCaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'corrective_action_case_case_fk' })
  case?: CertificationCaseEntity;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  addedAt: Date;
}
