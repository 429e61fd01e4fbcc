import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CaseAccessService, type CaseSnapshot } from '@app/cases';
import type { Actor } from '@app/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ResultsDto } from '../dto/ratings.dto';
import { SelfAssessmentAnswerEntity } from '../entities/self-assessment-answer.entity';
import { computeResults, type IndicatorInput, type Results } from '../results/compute-results';
import {
  type ScoredIndicator,
  type ScoreResults,
  scoreResults,
  type TierThreshold,
} from '../results/score-results';
import { type CaseRatings, CaseRatingsLoader } from './case-ratings.loader';
import { assertRatingsVisible } from './ratings-visibility';

/** The roll-up of a case's ratings and the outcome its edition's decision rule gives. */
@Injectable()
export class ResultsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly loader: CaseRatingsLoader,
  ) {}

  async get(actor: Actor, caseId: string): Promise<ResultsDto> {
    // The visibility check, the ratings context and the self-assessment answers side by side; nothing
    // read is answered unless the case is visible and its ratings are.
    const [{ snapshot, context }, answers] = await Promise.all([
      this.loader.loadBeside(this.dataSource.manager, caseId, this.access.findVisible(actor, caseId)),
      this.dataSource.getRepository(SelfAssessmentAnswerEntity).findBy({ caseId, confirmed: true }),
    ]);
    assertRatingsVisible(actor, snapshot);
    // Only what the institution confirmed: a pre-filled answer it never confirmed is not its self-assessment.
    const selfAnswers = answers.filter((answer) => answer.editionId === snapshot.editionId);
    const results = this.resultsOf(context);
    const scored = this.scoresOf(context);
    const ratingOf = new Map(
      results.indicators.map((indicator) => [indicator.code, indicator.rating] as const),
    );
    return {
      outcome: results.outcome,
      principles: results.principles.map((principle) => ({
        code: principle.code,
        met: principle.met,
        standards: principle.standards.map((standard) => ({
          code: standard.code,
          met: standard.met,
          indicators: standard.indicators.map(({ code, applicable, rating, compliant }) => ({
            code,
            applicable,
            rating,
            compliant,
          })),
        })),
      })),
      items: results.items,
      gaps: results.gaps,
      scores: scored.scores,
      nextLevels: scored.nextLevels,
      selfAssessmentDeltas: selfAnswers
        .filter(
          (answer) =>
            ratingOf.has(answer.indicatorCode) && ratingOf.get(answer.indicatorCode) !== answer.rating,
        )
        .map((answer) => ({
          code: answer.indicatorCode,
          selfRating: answer.rating,
          rating: ratingOf.get(answer.indicatorCode) ?? null,
        }))
        .sort((a, b) => a.code.localeCompare(b.code, 'en', { numeric: true })),
    };
  }

  /** Results inside a transaction, for guards and sealing a decision. */
  async compute(manager: EntityManager, snapshot: CaseSnapshot): Promise<Results> {
    return this.resultsOf(await this.loader.load(manager, snapshot));
  }

  /** Scores per item and tag, and the path to the next level (tiered editions). */
  async computeScores(manager: EntityManager, snapshot: CaseSnapshot): Promise<ScoreResults> {
    return this.scoresOf(await this.loader.load(manager, snapshot));
  }

  private scoresOf(context: CaseRatings): ScoreResults {
    const { edition } = context;
    const indicators: ScoredIndicator[] = [];
    const applicability = new Map(
      context.applicability.map(({ indicator, applicable }) => [indicator.code, applicable]),
    );
    const { tree } = context;
    for (const indicator of tree.indicators()) {
      // The top level and the level above the indicators, as the results report them.
      const ancestors = tree.ancestors(indicator.code);
      const itemCodes = [ancestors[0]?.code, ancestors[ancestors.length - 1]?.code].filter(
        (code, index, all): code is string => code !== undefined && all.indexOf(code) === index,
      );
      indicators.push({
        code: indicator.code,
        itemCodes,
        tag: indicator.tag ?? null,
        applicableByProfile:
          (applicability.get(indicator.code) ?? true) || context.stored.has(indicator.code),
        rating: context.stored.get(indicator.code)?.rating ?? null,
      });
    }
    const rule = edition.decisionRule as { type: string; tiers?: TierThreshold[] };
    return scoreResults(
      indicators,
      edition.scale.ratings,
      rule.type === 'tiered' ? (rule.tiers ?? []) : null,
    );
  }

  private resultsOf(context: CaseRatings): Results {
    const inputs = new Map<string, IndicatorInput>(
      context.applicability.map(({ indicator, applicable }) => [
        indicator.code,
        {
          applicableByProfile: applicable || context.stored.has(indicator.code),
          rating: context.stored.get(indicator.code)?.rating ?? null,
        },
      ]),
    );
    return computeResults(context.edition, inputs);
  }
}
