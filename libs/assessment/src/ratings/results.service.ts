import { Injectable } from '@nestjs/common';
import type { CaseSnapshot } from '@app/cases';
import { type Actor, RenderedAnswers, type RenderedJson } from '@app/common';
import type { EntityManager } from 'typeorm';
import type { ResultsDto } from '../dto/ratings.dto';
import { computeResults, type IndicatorInput, type Results } from '../results/compute-results';
import {
  type ScoredIndicator,
  type ScoreResults,
  scoreResults,
  type TierThreshold,
} from '../results/score-results';
import { type CaseRatings, CaseRatingsLoader, type VisibleCaseRatings } from './case-ratings.loader';

/** The roll-up of a case's ratings and the outcome its edition's decision rule gives. */
@Injectable()
export class ResultsService {
  /** `GET /results` answers rendered, one per case, for the state of its ratings they show. */
  private readonly renderedAnswers = new RenderedAnswers();

  constructor(private readonly loader: CaseRatingsLoader) {}

  /**
   * The case's results as the read route answers them, in one statement: the case as the caller may see
   * it, its ratings context and the self-assessment answers the institution confirmed for the case's
   * edition; nothing is answered unless its ratings are visible. Rendered once per state of all these.
   */
  rendered(actor: Actor, caseId: string): Promise<RenderedJson> {
    return this.loader.renderVisible(actor, caseId, {
      withConfirmedAnswers: true,
      answers: this.renderedAnswers,
      render: (read) => this.resultsDtoOf(read),
    });
  }

  private resultsDtoOf({ context, confirmedAnswers: selfAnswers }: VisibleCaseRatings): ResultsDto {
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
