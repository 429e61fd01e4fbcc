import { type EditionDocumentV2, type EditionItem, resolveText } from './edition-v2';

function itemSubstance(item: EditionItem): unknown {
  return {
    code: item.code,
    title: item.title === undefined ? null : resolveText(item.title, 'en'),
    statement: item.statement === undefined ? null : resolveText(item.statement, 'en'),
    guidance: item.guidance === undefined ? null : resolveText(item.guidance, 'en'),
    tag: item.tag ?? null,
    appliesWhen: item.appliesWhen ?? null,
    children: (item.children ?? []).map(itemSubstance),
  };
}

/**
 * What cases and sealed packages depend on: ids, codes and their tree, English texts, tags, conditions, the
 * rating scale's meaning, the rule and validity. Translations, labels, level keys, drivers' labels, refs and
 * the `modelled` note are not part of it.
 */
export function editionSubstance(document: EditionDocumentV2): unknown {
  return {
    id: document.id,
    title: resolveText(document.title, 'en'),
    effectiveFrom: document.effectiveFrom,
    validityMonths: document.validityMonths,
    checkInMonths: document.checkInMonths,
    checkInGraceDays: document.checkInGraceDays ?? null,
    ratings: document.scale.ratings.map(({ value, compliant, requiresJustification, notApplicable }) => ({
      value,
      compliant,
      requiresJustification,
      notApplicable,
    })),
    decisionRule:
      document.decisionRule.type === 'tiered'
        ? document.decisionRule.tiers.map((tier) => ({
            level: tier.level,
            required: tier.requiredIndicatorLevels,
            minShare: tier.minShare ?? null,
          }))
        : document.decisionRule.type,
    rated: Math.max(-1, ...document.levels.map((level, index) => (level.rated ? index : -1))),
    items: document.items.map(itemSubstance),
  };
}

/** Whether two documents differ at most in translations and wrapping (see `editionSubstance`). */
export function sameSubstance(a: EditionDocumentV2, b: EditionDocumentV2): boolean {
  return JSON.stringify(editionSubstance(a)) === JSON.stringify(editionSubstance(b));
}
