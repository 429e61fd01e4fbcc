import { UserEntity } from '@app/identity';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { CertificationCaseEntity } from './certification-case.entity';

/** A conflict-of-interest declaration of one user for one case; the latest one counts. */
@Entity({ name: 'coi_declaration' })
@Index('coi_declaration_case_user_idx', ['caseId', 'userId', 'declaredAt'])
export class CoiDeclarationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'boolean' })
  hasConflict: boolean;

  @Column({ type: 'text' })
  statement: string;

  @ManyToOne(() => CertificationCaseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id', foreignKeyConstraintName: 'coi_declaration_case_fk' })
  case?: CertificationCaseEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'coi_declaration_user_fk' })
  user?: UserEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  declaredAt: Date;
}
