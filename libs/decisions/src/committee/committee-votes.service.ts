import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import {
  CaseAccessService,
  CaseEditWindow,
  CaseRelation,
  type CaseSnapshot,
  CertificationCaseEntity,
  type DecisionData,
  GuardFailedError,
  ImpartialityService,
} from '@app/cases';
import { type Actor, ErrorCode, ForbiddenError, isSecretariat, StaleVersionError } from '@app/common';
import { runUseCaseTransaction } from '@app/database';
import { OrganizationEntity, UserEntity } from '@app/identity';
import { DataSource, type EntityManager, In } from 'typeorm';
import { DecisionLevelResolver } from '../decision-level.resolver';
import type { CastVoteRequestDto, CommitteeVotesDto } from '../dto/committee-vote.dto';
import { CaseDecisionEntity } from '../entities/case-decision.entity';
import { CommitteeVoteEntity } from '../entities/committee-vote.entity';

/** A counted vote, as the sealed package records it. */
export interface CountedVote {
  voterId: string;
  voterName: string;
  version: number;
  outcome: DecisionData['outcome'];
  /** The level the vote supports (the earned level when the member named none). */
  level: string | null;
  rationale: string;
  castAt: string;
}

/** The committee's decision on one referral. */
export interface CommitteeTally {
  decision: DecisionData;
  round: number;
  quorum: number;
  chairId: string | null;
  decidedByCastingVote: boolean;
  votes: CountedVote[];
  dissent: CountedVote[];
}

/**
 * Committee votes: each committee member of the case, declared and conflict-free, votes while the case is
 * in `committee_review` (a changed vote is a new version); `decide` seals the majority once the quorum has
 * voted. The institution never sees the votes: only, once decided, the outcome and how many dissented.
 */
@Injectable()
export class CommitteeVotesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly impartiality: ImpartialityService,
    private readonly levels: DecisionLevelResolver,
    private readonly audit: AuditService,
  ) {}

  async cast(actor: Actor, caseId: string, request: CastVoteRequestDto): Promise<CommitteeVotesDto> {
    const visible = await this.access.findVisible(actor, caseId);
    if (!CaseRelation.isCommitteeMember(actor, visible)) {
      throw new ForbiddenError('Only a committee member of the case votes');
    }
    await runUseCaseTransaction(this.dataSource, async (manager) => {
      await CaseEditWindow.lockForEdit(manager, caseId, 'votes');
      const snapshot = (await this.access.load(caseId, manager)) ?? visible;
      await this.record(manager, actor, snapshot, {
        outcome: request.outcome,
        level: request.level ?? null,
        rationale: request.rationale,
      });
    });
    return this.list(actor, caseId);
  }

  /**
   * Records the actor's vote on the current referral, inside the caller's transaction (the case row
   * locked): a new version when it differs from their latest. `decide` calls it with the decider's vote.
   */
  async record(
    manager: EntityManager,
    actor: Actor,
    snapshot: CaseSnapshot,
    vote: DecisionData,
  ): Promise<void> {
    const voterId = actor.userId;
    if (!voterId || !CaseRelation.isCommitteeMember(actor, snapshot)) {
      throw new ForbiddenError('Only a committee member of the case votes');
    }
    await this.assertDeclaredWithoutConflict(manager, snapshot.id, [voterId]);
    // A certified vote obeys the decision rule on the frozen ratings, as the decision will.
    await this.levels.resolve(manager, snapshot, vote);
    const round = await this.roundOf(manager, snapshot.id);
    const latest = await manager
      .getRepository(CommitteeVoteEntity)
      .findOne({ where: { caseId: snapshot.id, round, voterId }, order: { version: 'DESC' } });
    if (
      latest &&
      latest.outcome === vote.outcome &&
      latest.level === vote.level &&
      latest.rationale === vote.rationale
    ) {
      return;
    }
    const version = (latest?.version ?? 0) + 1;
    const inserted = await manager.query<{ id: string }[]>(
      `INSERT INTO committee_vote (case_id, round, voter_id, version, outcome, level, rationale)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ON CONSTRAINT committee_vote_version_key DO NOTHING RETURNING id`,
      [snapshot.id, round, voterId, version, vote.outcome, vote.level, vote.rationale],
    );
    // The same member voting twice at once: the second answers 409 and may vote again.
    if (inserted.length === 0) throw new StaleVersionError('Vote', version - 1);
    await this.audit.record(manager, actor, {
      entityType: 'committee_vote',
      entityId: inserted[0].id,
      caseId: snapshot.id,
      action: 'committee.vote_cast',
      data: { round, version, outcome: vote.outcome, level: vote.level, rationale: vote.rationale },
    });
  }

  /**
   * The committee's decision on the current referral: the latest vote of each committee member; refuses
   * (422) below the quorum (QUORUM_NOT_REACHED) and on a tie without a chair's vote (COMMITTEE_TIED).
   * The majority's outcome wins; a certified majority certifies at the lowest level its votes support.
   */
  async tally(manager: EntityManager, snapshot: CaseSnapshot): Promise<CommitteeTally> {
    const caseRow = await manager.getRepository(CertificationCaseEntity).findOneByOrFail({ id: snapshot.id });
    const certifier = await manager
      .getRepository(OrganizationEntity)
      .findOneByOrFail({ id: snapshot.certifierId });
    const quorum = certifier.committeeQuorum;
    const round = caseRow.committeeRound;
    const rows = await this.latestVotes(manager, snapshot.id, round, snapshot.team.committeeMemberIds);
    // The impartiality rules apply to every vote that counts, at the moment of the decision.
    await this.assertDeclaredWithoutConflict(
      manager,
      snapshot.id,
      rows.map((row) => row.voterId),
    );
    if (rows.length < quorum) {
      throw new GuardFailedError(
        ErrorCode.QuorumNotReached,
        `${rows.length} of the ${quorum} committee votes the quorum needs have been cast`,
        [{ field: 'votes', message: `${rows.length} of ${quorum}`, quorum, votes: rows.length }],
      );
    }
    const names = await this.namesOf(
      manager,
      rows.map((row) => row.voterId),
    );
    const votes: CountedVote[] = [];
    for (const row of rows) {
      votes.push({
        voterId: row.voterId,
        voterName: names.get(row.voterId) ?? 'unknown user',
        version: row.version,
        outcome: row.outcome,
        level: await this.levels.resolve(manager, snapshot, row),
        rationale: row.rationale,
        castAt: row.castAt.toISOString(),
      });
    }
    const certified = votes.filter((vote) => vote.outcome === 'certified');
    const notCertified = votes.filter((vote) => vote.outcome === 'not_certified');
    const chairId = caseRow.committeeChairId;
    let outcome: DecisionData['outcome'];
    let decidedByCastingVote = false;
    if (certified.length !== notCertified.length) {
      outcome = certified.length > notCertified.length ? 'certified' : 'not_certified';
    } else {
      const chairVote = votes.find((vote) => vote.voterId === chairId);
      if (!chairVote) {
        throw new GuardFailedError(
          ErrorCode.CommitteeTied,
          chairId
            ? 'The committee is tied and its chair has not voted: the chair casts the deciding vote'
            : 'The committee is tied and has no chair: return the case to the team or name a chair',
          [
            {
              field: 'votes',
              message: `${certified.length} certified, ${notCertified.length} not certified`,
            },
          ],
        );
      }
      outcome = chairVote.outcome;
      decidedByCastingVote = true;
    }
    const majority = outcome === 'certified' ? certified : notCertified;
    const level = outcome === 'certified' ? await this.lowestLevel(manager, snapshot, majority) : null;
    const dissent = votes.filter((vote) => vote.outcome !== outcome || vote.level !== level);
    return {
      decision: {
        outcome,
        level,
        rationale: majority.map((vote) => vote.rationale).join('\n\n'),
      },
      round,
      quorum,
      chairId,
      decidedByCastingVote,
      votes,
      dissent,
    };
  }

  /** What the caller may see of the votes on the case (see CommitteeVotesDto). */
  async list(actor: Actor, caseId: string): Promise<CommitteeVotesDto> {
    const snapshot = await this.access.findVisible(actor, caseId);
    const isInstitution = CaseRelation.isInstitutionUser(actor, snapshot);
    const seesVotes =
      isSecretariat(actor) ||
      CaseRelation.isCertifierAdmin(actor, snapshot) ||
      CaseRelation.isCommitteeMember(actor, snapshot);
    if (!isInstitution && !seesVotes) {
      throw new ForbiddenError(
        "Only the committee, the certification body's admin and the secretariat see votes",
      );
    }
    const caseRow = await this.dataSource
      .getRepository(CertificationCaseEntity)
      .findOneByOrFail({ id: caseId });
    const certifier = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneByOrFail({ id: snapshot.certifierId });
    const decision = await this.dataSource
      .getRepository(CaseDecisionEntity)
      .findOne({ where: { caseId }, order: { decidedAt: 'DESC' } });
    const rows = seesVotes
      ? await this.dataSource
          .getRepository(CommitteeVoteEntity)
          .find({ where: { caseId }, order: { round: 'ASC', castAt: 'ASC', version: 'ASC' } })
      : [];
    const names = await this.namesOf(
      this.dataSource.manager,
      rows.map((row) => row.voterId),
    );
    const latestVersion = new Map<string, number>();
    for (const row of rows) {
      const key = `${row.round}:${row.voterId}`;
      latestVersion.set(key, Math.max(latestVersion.get(key) ?? 0, row.version));
    }
    return {
      round: caseRow.committeeRound,
      quorum: certifier.committeeQuorum,
      chairId: caseRow.committeeChairId,
      votes: rows.map((row) => ({
        round: row.round,
        voter: { id: row.voterId, name: names.get(row.voterId) ?? 'unknown user' },
        version: row.version,
        isLatest: latestVersion.get(`${row.round}:${row.voterId}`) === row.version,
        outcome: row.outcome,
        level: row.level,
        rationale: row.rationale,
        castAt: row.castAt.toISOString(),
      })),
      summary: decision
        ? {
            outcome: decision.outcome,
            level: decision.level,
            dissentCount: decision.dissentCount,
            decidedAt: decision.decidedAt.toISOString(),
          }
        : null,
    };
  }

  private async roundOf(manager: EntityManager, caseId: string): Promise<number> {
    const row = await manager
      .getRepository(CertificationCaseEntity)
      .findOne({ where: { id: caseId }, select: { id: true, committeeRound: true } });
    return row?.committeeRound ?? 0;
  }

  private async latestVotes(
    manager: EntityManager,
    caseId: string,
    round: number,
    memberIds: string[],
  ): Promise<CommitteeVoteEntity[]> {
    if (memberIds.length === 0) return [];
    const rows = await manager
      .getRepository(CommitteeVoteEntity)
      .find({ where: { caseId, round, voterId: In(memberIds) }, order: { version: 'DESC' } });
    const latest = new Map<string, CommitteeVoteEntity>();
    for (const row of rows) if (!latest.has(row.voterId)) latest.set(row.voterId, row);
    return [...latest.values()].sort((a, b) => a.castAt.getTime() - b.castAt.getTime());
  }

  /** The lowest level every vote of the majority supports (each vote supports its level and those below). */
  private async lowestLevel(
    manager: EntityManager,
    snapshot: CaseSnapshot,
    majority: CountedVote[],
  ): Promise<string | null> {
    const levels = await this.levels.levelsOf(manager, snapshot);
    if (levels.length === 0) return null;
    return majority
      .map((vote) => vote.level)
      .filter((level): level is string => level !== null)
      .reduce<string | null>(
        (lowest, level) =>
          lowest === null || levels.indexOf(level) < levels.indexOf(lowest) ? level : lowest,
        null,
      );
  }

  private async namesOf(manager: EntityManager, userIds: string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const users = await manager.getRepository(UserEntity).findBy({ id: In([...new Set(userIds)]) });
    return new Map(users.map((user) => [user.id, user.name]));
  }

  /** Every voter has declared on the case, and declared no conflict. */
  private async assertDeclaredWithoutConflict(
    manager: EntityManager,
    caseId: string,
    userIds: string[],
  ): Promise<void> {
    const declarations = await this.impartiality.latestDeclarations(manager, caseId);
    const undeclared = userIds.filter((userId) => !declarations.has(userId));
    if (undeclared.length > 0) {
      throw new GuardFailedError(
        ErrorCode.TeamConflictUndeclared,
        'A committee member must declare conflicts of interest for the case before voting',
        undeclared.map((userId) => ({ field: 'votes', message: 'has not declared', userId })),
      );
    }
    await this.impartiality.assertNoDeclaredConflict(manager, caseId, userIds);
  }
}
