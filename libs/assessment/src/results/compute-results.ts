import {
  EditionTree,
  type DecisionRuleV2,
  type EditionDocumentV2,
  type RatingDefinitionV2,
} from '@app/standards';

export interface IndicatorInput {
  /** Whether the institution profile makes the indicator apply. */
  applicableByProfile: boolean;
  /** The current rating value, if rated. */
  rating: string | null;
}

export interface IndicatorResult {
  code: string;
  /** The indicator's tag (`entry`, `progress`, `advanced`), null when untagged. */
  level: string | null;
  applicable: boolean;
  rating: string | null;
  compliant: boolean;
}

/** One item of any level of the edition. */
export interface ItemResult {
  code: string;
  /** The item's level key (e.g. `principle`, `essential_practice`, `indicator`). */
  level: string;
  /** null when no indicator under (or at) the item applies. */
  met: boolean | null;
  applicableIndicators: number;
  metIndicators: number;
  /** Mean score of the applicable indicators under the item (unrated counts 0); null when none applies. */
  score: number | null;
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
  /**
   * The legacy three-level view: the edition's top level as principles, the level right above the
   * indicators as standards, then indicators.
   */
  principles: PrincipleResult[];
  /** Every item of every level, in document order. */
  items: ItemResult[];
  /** Every indicator, in document order. */
  indicators: IndicatorResult[];
  /** Applicable indicators that are not compliant (unrated ones included). */
  gaps: string[];
  unratedCount: number;
}

function outcomeOf(
  rule: DecisionRuleV2,
  standardLevel: ItemResult[],
  indicators: IndicatorResult[],
): Outcome {
  switch (rule.type) {
    case 'all_applicable_standards_met':
      return {
        eligible:
          standardLevel.some((item) => item.met !== null) &&
          standardLevel.every((item) => item.met !== false),
      };
    case 'tiered': {
      let level: string | undefined;
      const applicable = indicators.filter((indicator) => indicator.applicable);
      // Tiers are ordered lowest first; a level counts only when every lower one is reached too.
      for (const tier of rule.tiers) {
        const required = applicable.filter(
          (indicator) => indicator.level !== null && tier.requiredIndicatorLevels.includes(indicator.level),
        );
        if (required.length === 0 || !required.every((indicator) => indicator.compliant)) break;
        const sharesHold = Object.entries(tier.minShare ?? {}).every(([tag, share]) => {
          const ofTag = applicable.filter((indicator) => indicator.level === tag);
          // An empty set counts as fully met.
          return (
            ofTag.length === 0 ||
            ofTag.filter((indicator) => indicator.compliant).length / ofTag.length >= share
          );
        });
        if (!sharesHold) break;
        level = tier.level;
      }
      return level === undefined ? { eligible: false } : { eligible: true, level };
    }
  }
}

/**
 * Rolls ratings up over the edition's tree (every level) and applies the edition's decision rule, read
 * from the edition document: a new edition with a rule of a known kind needs no code change.
 */
export function computeResults(
  edition: EditionDocumentV2,
  inputs: ReadonlyMap<string, IndicatorInput>,
): Results {
  const tree = EditionTree.of(edition);
  const scale = new Map<string, RatingDefinitionV2>(
    edition.scale.ratings.map((rating) => [rating.value, rating]),
  );
  const indicatorDepth = tree.indicatorDepth;
  const byCode = new Map<string, IndicatorResult>();
  const scores = new Map<string, number>();
  const indicators = tree.indicators().map((indicator) => {
    const input = inputs.get(indicator.code) ?? { applicableByProfile: true, rating: null };
    const definition = input.rating === null ? undefined : scale.get(input.rating);
    const applicable = input.applicableByProfile && definition?.notApplicable !== true;
    const result: IndicatorResult = {
      code: indicator.code,
      level: indicator.tag ?? null,
      applicable,
      rating: input.rating,
      compliant: applicable && definition?.compliant === true,
    };
    byCode.set(indicator.code, result);
    scores.set(indicator.code, definition?.score ?? 0);
    return result;
  });

  // Aggregate every item over the indicators under it (itself when it is one), in one pass up the tree.
  const totals = new Map<string, { applicable: number; met: number; score: number }>();
  for (const node of tree.nodes()) {
    if (node.depth !== indicatorDepth) continue;
    const result = byCode.get(node.item.code)!;
    if (!result.applicable) continue;
    const score = scores.get(node.item.code) ?? 0;
    for (let current: typeof node | null = node; current; current = current.parent) {
      const total = totals.get(current.item.code) ?? { applicable: 0, met: 0, score: 0 };
      total.applicable += 1;
      if (result.compliant) total.met += 1;
      total.score += score;
      totals.set(current.item.code, total);
    }
  }
  const items: ItemResult[] = tree
    .nodes()
    .filter((node) => node.depth <= indicatorDepth)
    .map((node) => {
      const total = totals.get(node.item.code);
      return {
        code: node.item.code,
        level: node.item.level,
        met: total ? total.met === total.applicable : null,
        applicableIndicators: total?.applicable ?? 0,
        metIndicators: total?.met ?? 0,
        score: total ? Math.round((total.score / total.applicable) * 1000) / 1000 : null,
      };
    });
  const itemByCode = new Map(items.map((item) => [item.code, item]));

  // The legacy view.
  const standardDepth = indicatorDepth - 1;
  const principles: PrincipleResult[] =
    indicatorDepth < 1
      ? []
      : tree.atLevel(0).map((top) => {
          const standards = tree
            .nodes()
            .filter(
              (node) =>
                node.depth === standardDepth &&
                (node.item === top || tree.ancestors(node.item.code)[0]?.code === top.code),
            )
            .map((node) => ({
              code: node.item.code,
              met: itemByCode.get(node.item.code)?.met ?? null,
              indicators: (node.item.children ?? []).map((child) => byCode.get(child.code)!),
            }));
          return { code: top.code, met: itemByCode.get(top.code)?.met ?? null, standards };
        });

  return {
    outcome: outcomeOf(
      edition.decisionRule,
      items.filter((item) => tree.node(item.code)?.depth === standardDepth),
      indicators,
    ),
    principles,
    items,
    indicators,
    gaps: indicators.filter((indicator) => indicator.applicable && !indicator.compliant).map((i) => i.code),
    unratedCount: indicators.filter((indicator) => indicator.applicable && indicator.rating === null).length,
  };
}
