/**
 * Scores per item and the path to the next level, computed from a flat list of indicators. Pure and
 * independent of the edition document's shape: the caller lists each indicator with the codes of the
 * items above it, its tag, whether it applies and its rating.
 */

/** One indicator of the edition as the scores see it. */
export interface ScoredIndicator {
  code: string;
  /** The codes of the items above the indicator, outermost first (e.g. principle `1`, standard `1.1`). */
  itemCodes: readonly string[];
  /** `entry`, `progress`, `advanced`… in tiered editions; null when untagged. */
  tag: string | null;
  /** Whether the profile makes the indicator apply (a `not_applicable` rating is excluded below). */
  applicableByProfile: boolean;
  /** The rating value, null while unrated. */
  rating: string | null;
}

/** A value of the edition's rating scale; `score` is optional (defaults: met 1, partially met 0.5, else 0). */
export interface ScaleRatingScore {
  value: string;
  compliant: boolean;
  notApplicable: boolean;
  score?: number;
}

/** A tier of a tiered decision rule. */
export interface TierThreshold {
  level: string;
  requiredIndicatorLevels: readonly string[];
  minShare?: Readonly<Record<string, number>>;
}

export interface ItemScore {
  /** An item code, or `tag:<tag>` for a tag. */
  code: string;
  /** The mean score of the applicable indicators (0..1, four decimals); null when none applies. */
  score: number | null;
  applicable: number;
  met: number;
}

export interface MissingShare {
  tag: string;
  /** How many more applicable indicators of the tag must be met. */
  count: number;
  /** The share the level asks for. */
  minShare: number;
}

export interface NextLevel {
  level: string;
  /** Applicable indicators not met that stand between the case and this level, in edition order. */
  blockers: string[];
  /** For tags with a minimum share: how many more indicators of the tag are needed (only short ones). */
  missing: MissingShare[];
}

export interface ScoreResults {
  scores: ItemScore[];
  /** The highest tier reached (tiered editions), null otherwise or when none is reached. */
  levelReached: string | null;
  nextLevels: NextLevel[];
}

const DEFAULT_SCORES: Readonly<Record<string, number>> = { met: 1, partially_met: 0.5, not_met: 0 };

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

interface Evaluated {
  code: string;
  itemCodes: readonly string[];
  tag: string | null;
  applicable: boolean;
  compliant: boolean;
  score: number;
}

function scoreOf(indicators: Evaluated[], code: string): ItemScore {
  const applicable = indicators.filter((indicator) => indicator.applicable);
  const total = applicable.reduce((sum, indicator) => sum + indicator.score, 0);
  return {
    code,
    score: applicable.length === 0 ? null : round(total / applicable.length),
    applicable: applicable.length,
    met: applicable.filter((indicator) => indicator.compliant).length,
  };
}

/** What stands between the ratings and a tier: unmet required indicators and shares not reached. */
function shortfallOf(indicators: Evaluated[], tier: TierThreshold): NextLevel {
  const blockers = new Set<string>();
  const missing: MissingShare[] = [];
  for (const indicator of indicators) {
    if (
      indicator.applicable &&
      !indicator.compliant &&
      indicator.tag !== null &&
      tier.requiredIndicatorLevels.includes(indicator.tag)
    ) {
      blockers.add(indicator.code);
    }
  }
  for (const [tag, share] of Object.entries(tier.minShare ?? {})) {
    const ofTag = indicators.filter((indicator) => indicator.applicable && indicator.tag === tag);
    const met = ofTag.filter((indicator) => indicator.compliant).length;
    // A small tolerance so that 0.8 × 10 asks for 8, not 9.
    const needed = Math.ceil(share * ofTag.length - 1e-9);
    if (met < needed) {
      missing.push({ tag, count: needed - met, minShare: share });
      for (const indicator of ofTag) if (!indicator.compliant) blockers.add(indicator.code);
    }
  }
  return {
    level: tier.level,
    blockers: indicators.map((indicator) => indicator.code).filter((code) => blockers.has(code)),
    missing,
  };
}

/**
 * Scores per item of every level (in the order items first appear) and per tag (`tag:<tag>`), and, when
 * `tiers` are given, the level reached and what blocks each higher level. Not applicable indicators
 * (by profile or rating) are left out; an unrated applicable one scores 0 and blocks.
 */
export function scoreResults(
  indicators: readonly ScoredIndicator[],
  scale: readonly ScaleRatingScore[],
  tiers: readonly TierThreshold[] | null,
): ScoreResults {
  const ratings = new Map(scale.map((rating) => [rating.value, rating]));
  const evaluated: Evaluated[] = indicators.map((indicator) => {
    const definition = indicator.rating === null ? undefined : ratings.get(indicator.rating);
    const applicable = indicator.applicableByProfile && definition?.notApplicable !== true;
    const score =
      definition === undefined
        ? 0
        : typeof definition.score === 'number'
          ? definition.score
          : (DEFAULT_SCORES[definition.value] ?? (definition.compliant ? 1 : 0));
    return {
      code: indicator.code,
      itemCodes: indicator.itemCodes,
      tag: indicator.tag,
      applicable,
      compliant: applicable && definition?.compliant === true,
      score,
    };
  });

  const itemCodes: string[] = [];
  const seen = new Set<string>();
  for (const indicator of evaluated) {
    for (const code of indicator.itemCodes) {
      if (!seen.has(code)) {
        seen.add(code);
        itemCodes.push(code);
      }
    }
  }
  const scores = itemCodes.map((code) =>
    scoreOf(
      evaluated.filter((indicator) => indicator.itemCodes.includes(code)),
      code,
    ),
  );
  if (tiers) {
    const tags = [...new Set(evaluated.flatMap((indicator) => (indicator.tag ? [indicator.tag] : [])))];
    for (const tag of tags) {
      scores.push(
        scoreOf(
          evaluated.filter((indicator) => indicator.tag === tag),
          `tag:${tag}`,
        ),
      );
    }
  }

  if (!tiers) return { scores, levelReached: null, nextLevels: [] };
  let reachedIndex = -1;
  // Tiers are ordered lowest first; a level counts only when every lower one is reached too.
  for (const [index, tier] of tiers.entries()) {
    const shortfall = shortfallOf(evaluated, tier);
    const hasRequired = evaluated.some(
      (indicator) =>
        indicator.applicable &&
        indicator.tag !== null &&
        (tier.requiredIndicatorLevels.includes(indicator.tag) || indicator.tag in (tier.minShare ?? {})),
    );
    if (!hasRequired || shortfall.blockers.length > 0 || shortfall.missing.length > 0) break;
    reachedIndex = index;
  }
  return {
    scores,
    levelReached: reachedIndex >= 0 ? tiers[reachedIndex].level : null,
    nextLevels: tiers.slice(reachedIndex + 1).map((tier) => shortfallOf(evaluated, tier)),
  };
}
