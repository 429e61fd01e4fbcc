import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ResultsService } from '@app/assessment';
import {
  CaseAccessService,
  type DecisionData,
  GuardFailedError,
  ImpartialityService,
  CertificationCaseEntity,
  type TransitionContext,
  TransitionGuardRegistry,
} from '@app/cases';
import { type Actor, ErrorCode, NotFoundError } from '@app/common';
import { StandardsService } from '@app/standards';
import { DataSource } from 'typeorm';
import { type CommitteeTally, CommitteeVotesService } from './committee/committee-votes.service';
import { DecisionLevelResolver } from './decision-level.resolver';
import { DecisionPackageBuilder } from './decision-package.builder';
import type { DecisionDto } from './dto/decision.dto';
import { type AppealEscalation, CaseAppealEntity } from './entities/case-appeal.entity';
import { CaseDecisionEntity } from './entities/case-decision.entity';
import { CommitteeVoteEntity } from './entities/committee-vote.entity';

/**
 * Decisions and appeals: the rules they add to the case state machine (the decision rule, the
 * independence of the appeal reviewer), the sealed decision package, and reading the decision.
 */
@Injectable()
export class DecisionsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly guards: TransitionGuardRegistry,
    private readonly results: ResultsService,
    private readonly standards: StandardsService,
    private readonly impartiality: ImpartialityService,
    private readonly packages: DecisionPackageBuilder,
    private readonly levels: DecisionLevelResolver,
    private readonly votes: CommitteeVotesService,
  ) {}

  onModuleInit(): void {
    this.guards.registerEffect('decide', 'decisions.seal_decision_package', async (context) => {
      // The deciding member's vote, when given, counts like any other; then the committee's majority seals.
      if (context.payload.vote) {
        await this.votes.record(context.manager, context.actor, context.snapshot, context.payload.vote);
      }
      const tally = await this.votes.tally(context.manager, context.snapshot);
      return this.seal(context, 'decision', tally.decision, tally);
    });
    this.guards.register('appeal', 'decisions.one_appeal_per_case', async ({ manager, snapshot }) => {
      if (await manager.getRepository(CaseAppealEntity).existsBy({ caseId: snapshot.id })) {
        throw new GuardFailedError(
          ErrorCode.AppealAlreadyMade,
          'The decision was already appealed; a further appeal goes to the standard owner',
        );
      }
    });
    this.guards.registerEffect(
      'appeal',
      'decisions.record_appeal',
      async ({ manager, snapshot, actor, reason }) => {
        await manager.getRepository(CaseAppealEntity).insert({
          caseId: snapshot.id,
          grounds: reason ?? '',
          appealedBy: actor.userId!,
          appealedAt: new Date(),
          result: null,
          rationale: null,
          resolvedBy: null,
          resolvedAt: null,
        });
        return { grounds: reason };
      },
    );
    this.guards.registerEffect('escalate_appeal', 'decisions.record_escalation', async (context) => {
      const escalation: AppealEscalation = {
        grounds: context.reason ?? '',
        escalatedBy: context.actor.userId!,
        escalatedAt: new Date().toISOString(),
        result: null,
        rationale: null,
        reopenIndicators: null,
        resolvedBy: null,
        resolvedAt: null,
      };
      await context.manager
        .getRepository(CaseAppealEntity)
        .update({ caseId: context.snapshot.id }, { escalation });
      return { grounds: context.reason };
    });
    this.guards.registerEffect(
      'resolve_escalation',
      'decisions.record_escalation_resolution',
      async (context) => {
        const resolution = context.payload;
        const appeal = await context.manager
          .getRepository(CaseAppealEntity)
          .findOneByOrFail({ caseId: context.snapshot.id });
        await context.manager.getRepository(CaseAppealEntity).update(
          { caseId: context.snapshot.id },
          {
            escalation: {
              ...appeal.escalation!,
              result: resolution.result,
              rationale: resolution.rationale,
              reopenIndicators: resolution.reopenIndicators,
              resolvedBy: context.actor.userId,
              resolvedAt: new Date().toISOString(),
            },
          },
        );
        const sealed = resolution.decision
          ? await this.seal(context, 'appeal_resolution', resolution.decision)
          : {};
        return { result: resolution.result, rationale: resolution.rationale, ...sealed };
      },
    );
    this.guards.register('resolve_appeal', 'decisions.independent_reviewer', (context) =>
      this.assertIndependentReviewer(context),
    );
    this.guards.registerEffect('resolve_appeal', 'decisions.record_appeal_resolution', async (context) => {
      const resolution = context.payload;
      await context.manager.getRepository(CaseAppealEntity).update(
        { caseId: context.snapshot.id },
        {
          result: resolution.result,
          rationale: resolution.rationale,
          resolvedBy: context.actor.userId,
          resolvedAt: new Date(),
        },
      );
      const sealed = resolution.decision
        ? await this.seal(context, 'appeal_resolution', resolution.decision)
        : {};
      return { result: resolution.result, rationale: resolution.rationale, ...sealed };
    });
  }

  async get(actor: Actor, caseId: string): Promise<DecisionDto> {
    await this.access.findVisible(actor, caseId);
    const decision = await this.dataSource
      .getRepository(CaseDecisionEntity)
      .findOne({ where: { caseId }, order: { decidedAt: 'DESC' } });
    if (!decision) throw new NotFoundError('Decision');
    const appeal = await this.dataSource.getRepository(CaseAppealEntity).findOneBy({ caseId });
    return {
      outcome: decision.outcome,
      level: decision.level,
      rationale: decision.rationale,
      decidedBy: { id: decision.decidedBy, name: decision.decidedByName },
      decidedAt: decision.decidedAt.toISOString(),
      packageSha256: decision.packageSha256,
      kind: decision.kind,
      ...(appeal
        ? {
            appeal: {
              grounds: appeal.grounds,
              appealedAt: appeal.appealedAt.toISOString(),
              result: appeal.result,
              rationale: appeal.rationale,
              resolvedBy: appeal.resolvedBy,
              resolvedAt: appeal.resolvedAt?.toISOString() ?? null,
              escalation: appeal.escalation
                ? {
                    grounds: appeal.escalation.grounds,
                    escalatedAt: appeal.escalation.escalatedAt,
                    result: appeal.escalation.result,
                    rationale: appeal.escalation.rationale,
                    reopenIndicators: appeal.escalation.reopenIndicators,
                    resolvedAt: appeal.escalation.resolvedAt,
                  }
                : null,
            },
          }
        : {}),
    };
  }

  /**
   * Checks the decision against the edition's rule, writes the outcome and the level on the case (the one
   * place that writes them) and seals the decision package.
   */
  private async seal(
    context: TransitionContext,
    kind: 'decision' | 'appeal_resolution',
    decision: DecisionData,
    tally?: CommitteeTally,
  ): Promise<Record<string, unknown>> {
    const { manager, snapshot, actor } = context;
    const level = await this.levels.resolve(manager, snapshot, decision);
    const committee = tally
      ? {
          round: tally.round,
          quorum: tally.quorum,
          chairId: tally.chairId,
          decidedByCastingVote: tally.decidedByCastingVote,
          votes: tally.votes,
          dissent: tally.dissent,
        }
      : undefined;
    await manager
      .getRepository(CertificationCaseEntity)
      .update({ id: snapshot.id }, { outcome: decision.outcome, level });
    const decidedAt = new Date();
    const sealed = await this.packages.seal(manager, snapshot, {
      ...decision,
      level,
      kind,
      decidedBy: actor.userId!,
      decidedAt,
      committee,
    });
    await manager.getRepository(CaseDecisionEntity).insert({
      caseId: snapshot.id,
      kind,
      outcome: decision.outcome,
      level,
      rationale: decision.rationale,
      decidedBy: actor.userId!,
      decidedByName: actor.name,
      decidedAt,
      packageJson: sealed.json,
      packageSha256: sealed.sha256,
      dissentCount: tally?.dissent.length ?? 0,
    });
    return {
      outcome: decision.outcome,
      level,
      rationale: decision.rationale,
      packageSha256: sealed.sha256,
      ...(tally
        ? {
            votes: tally.votes.length,
            dissentCount: tally.dissent.length,
            decidedByCastingVote: tally.decidedByCastingVote,
          }
        : {}),
    };
  }

  /**
   * An appeal is resolved by someone who took no part in the decision (neither decided it nor voted on
   * it, in any round) and did not evaluate the case.
   */
  private async assertIndependentReviewer({ manager, snapshot, actor }: TransitionContext): Promise<void> {
    const decided =
      (await manager
        .getRepository(CaseDecisionEntity)
        .existsBy({ caseId: snapshot.id, decidedBy: actor.userId! })) ||
      (await manager
        .getRepository(CommitteeVoteEntity)
        .existsBy({ caseId: snapshot.id, voterId: actor.userId! }));
    const evaluated = (await this.impartiality.formerMissionMembers(manager, snapshot.id)).has(actor.userId!);
    if (decided || evaluated) {
      throw new GuardFailedError(
        ErrorCode.AppealReviewerNotIndependent,
        decided ? 'You took part in the decision under appeal' : 'You evaluated this case',
      );
    }
  }
}
