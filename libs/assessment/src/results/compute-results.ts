import type { DecisionRule, EditionDocument, IndicatorLevel, RatingDefinition } from '@app/standards';

export interface IndicatorInput {
  /** Whether the institution profile makes the indicator apply. */
  applicableByProfile: boolean;
  /** The current rating value, if rated. */
  rating: string | null;
}

export interface IndicatorResult {
  code: string;
  level: IndicatorLevel | null;
  applicable: boolean;
  rating: string | null;
  compliant: boolean;
}

export interface StandardResult {
  code: string;
  /** null when no indicator of the standard applies. */
  met: boolean | null;
  indicators: IndicatorResult[];
}

export interface PrincipleResult {
  code: string;
  met: boolean | null;
  standards: StandardResult[];
}

export interface Outcome {
  /** The decision rule holds: a certification may be decided. */
  eligible: boolean;
  /** Tiered rules: the highest level reached. */
  level?: string;
}

export interface Results {
  outcome: Outcome;
  principles: PrincipleResult[];
  /** Applicable indicators that are not compliant (unrated ones included). */
  gaps: string[];
  unratedCount: number;
}

function allMet(values: (boolean | null)[]): boolean | null {
  const applicable = values.filter((value): value is boolean => value !== null);
  return applicable.length === 0 ? null : applicable.every(Boolean);
}

function outcomeOf(
  rule: DecisionRule,
  principles: PrincipleResult[],
  indicators: IndicatorResult[],
): Outcome {
  switch (rule.type) {
    case 'all_applicable_standards_met': {
      const standards = principles.flatMap((principle) => principle.standards);
      return {
        eligible:
          standards.some((standard) => standard.met !== null) &&
          standards.every((standard) => standard.met !== false),
      };
    }
    case 'tiered': {
      let level: string | undefined;
      // Tiers are ordered lowest first; a level counts only when every lower one is reached too.
      for (const tier of rule.tiers) {
        const required = indicators.filter(
          (indicator) =>
            indicator.applicable &&
            indicator.level !== null &&
            tier.requiredIndicatorLevels.includes(indicator.level),
        );
        if (required.length === 0 || !required.every((indicator) => indicator.compliant)) break;
        level = tier.level;
      }
      return level === undefined ? { eligible: false } : { eligible: true, level };
    }
  }
}

/**
 * Rolls ratings up per indicator, standard and principle and applies the edition's decision rule, read
 * from the edition document: a new edition with a rule of a known kind needs no code change.
 */
export function computeResults(
  edition: EditionDocument,
  inputs: ReadonlyMap<string, IndicatorInput>,
): Results {
  const scale = new Map<string, RatingDefinition>(
    edition.scale.ratings.map((rating) => [rating.value, rating]),
  );
  const allIndicators: IndicatorResult[] = [];
  const principles = edition.principles.map((principle) => {
    const standards = principle.standards.map((standard) => {
      const indicators = standard.indicators.map((indicator) => {
        const input = inputs.get(indicator.code) ?? { applicableByProfile: true, rating: null };
        const definition = input.rating === null ? undefined : scale.get(input.rating);
        const applicable = input.applicableByProfile && definition?.notApplicable !== true;
        const result: IndicatorResult = {
          code: indicator.code,
          level: indicator.level ?? null,
          applicable,
          rating: input.rating,
          compliant: applicable && definition?.compliant === true,
        };
        allIndicators.push(result);
        return result;
      });
      const applicable = indicators.filter((indicator) => indicator.applicable);
      return {
        code: standard.code,
        met: applicable.length === 0 ? null : applicable.every((indicator) => indicator.compliant),
        indicators,
      };
    });
    return { code: principle.code, met: allMet(standards.map((standard) => standard.met)), standards };
  });
  const gaps = allIndicators
    .filter((indicator) => indicator.applicable && !indicator.compliant)
    .map((indicator) => indicator.code);
  return {
    outcome: outcomeOf(edition.decisionRule, principles, allIndicators),
    principles,
    gaps,
    unratedCount: allIndicators.filter((indicator) => indicator.applicable && indicator.rating === null)
      .length,
  };
}
