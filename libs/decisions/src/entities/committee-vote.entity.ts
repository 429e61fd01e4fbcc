import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * One version of a committee member's vote on one referral (`round`) of a case; a changed vote is a new
 * version, the latest counts. Votes are never updated or deleted.
 */
@Entity({ name: 'committee_vote' })
@Unique('committee_vote_version_key', ['caseId', 'round', 'voterId', 'version'])
@Check('committee_vote_outcome_check', `"outcome" IN ('certified', 'not_certified')`)
export class CommitteeVoteEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  caseId: string;

  @Column({ type: 'integer' })
  round: number;

  @Column({ type: 'uuid' })
  voterId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'text' })
  outcome: 'certified' | 'not_certified';

  @Column({ type: 'text', nullable: true })
  level: string | null;

  @Column({ type: 'text' })
  rationale: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  castAt: Date;
}
