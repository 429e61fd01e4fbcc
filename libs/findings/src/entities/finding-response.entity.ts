import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { FindingEntity } from './finding.entity';

/** The institution's answer to a finding, with corrective evidence. */
@Entity({ name: 'finding_response' })
@Index('finding_response_finding_idx', ['findingId', 'respondedAt'])
export class FindingResponseEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  findingId: string;

  @ManyToOne(() => FindingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'finding_id', foreignKeyConstraintName: 'finding_response_finding_fk' })
  finding?: FindingEntity;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  evidenceIds: string[];

  @Column({ type: 'uuid' })
  respondedBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  respondedAt: Date;
}
