import { UserEntity } from '@app/identity';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import type { TeamRole } from '../case-status';
import { CertificationCaseEntity } from './certification-case.entity';

/** A user assigned to a case: the mission team (lead rater, raters) or the certification committee. */
@Entity({ name: 'case_team_member' })
@Index('case_team_member_user_idx', ['userId', 'caseId'])
@Check('case_team_member_role_check', `"team_role" IN ('lead_rater', 'rater', 'committee_member')`)
export class CaseTeamMemberEntity {
  @PrimaryColumn('uuid')
  caseId: string;

  @PrimaryColumn('uuid')
  userId: string;

  @Column({ type: 'text' })
  teamRole: TeamRole;

  @ManyToOne(() => CertificationCaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'case_team_member_case_fk' })
  case?: CertificationCaseEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'case_team_member_user_fk' })
  user?: UserEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  assignedAt: Date;
}
