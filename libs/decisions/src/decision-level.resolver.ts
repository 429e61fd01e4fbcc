import { Injectable } from '@nestjs/common';
import { ResultsService } from '@app/assessment';
import { type CaseSnapshot, type DecisionData, GuardFailedError } from '@app/cases';
import { ErrorCode } from '@app/common';
import { StandardsService } from '@app/standards';
import type { EntityManager } from 'typeorm';

/** The edition's decision rule applied to a proposed outcome and level, on the case's ratings. */
@Injectable()
export class DecisionLevelResolver {
  constructor(
    private readonly results: ResultsService,
    private readonly standards: StandardsService,
  ) {}

  /**
   * `certified` only when the edition's rule holds on the ratings, at a level no higher than computed;
   * returns the level to record (the computed one when a tiered certification names none).
   */
  async resolve(
    manager: EntityManager,
    snapshot: CaseSnapshot,
    decision: Pick<DecisionData, 'outcome' | 'level'>,
  ): Promise<string | null> {
    if (decision.outcome === 'not_certified') return null;
    const results = await this.results.compute(manager, snapshot);
    if (!results.outcome.eligible) {
      throw new GuardFailedError(
        ErrorCode.DecisionRuleNotMet,
        "The edition's decision rule does not hold on the ratings; only not_certified can be decided",
        results.gaps.slice(0, 100).map((code) => ({
          field: 'data.outcome',
          message: 'indicator not compliant',
          indicatorCode: code,
        })),
      );
    }
    const levels = await this.levelsOf(manager, snapshot);
    if (levels.length === 0) {
      if (decision.level !== null) {
        throw new GuardFailedError(ErrorCode.LevelNotEarned, 'This edition certifies without levels', [
          { field: 'data.level', message: 'must be omitted for this edition' },
        ]);
      }
      return null;
    }
    const earned = results.outcome.level ?? null;
    const requested = decision.level ?? earned;
    if (
      requested === null ||
      !levels.includes(requested) ||
      levels.indexOf(requested) > levels.indexOf(earned ?? '')
    ) {
      throw new GuardFailedError(
        ErrorCode.LevelNotEarned,
        `The ratings earn ${earned ?? 'no level'}; ${requested} cannot be decided`,
        [{ field: 'data.level', message: `must be at most ${earned ?? 'none'}`, earnedLevel: earned }],
      );
    }
    return requested;
  }

  /** The edition's levels from the lowest to the highest; empty for an edition without levels. */
  async levelsOf(manager: EntityManager, snapshot: CaseSnapshot): Promise<string[]> {
    const rule = (await this.standards.requireDocument(snapshot.editionId, manager)).decisionRule;
    return rule.type === 'tiered' ? rule.tiers.map((tier) => tier.level) : [];
  }
}
