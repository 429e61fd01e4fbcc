import { type EditionDocumentV2, type EditionItem, resolveText, type Text } from './edition-v2';

const ITEM_TEXTS = ['title', 'statement', 'guidance'] as const;

function localizeItem(item: EditionItem, lang: string): EditionItem {
  const copy: Record<string, unknown> = { ...item };
  for (const field of ITEM_TEXTS) {
    if (item[field] !== undefined) copy[field] = resolveText(item[field], lang);
  }
  if (item.children) copy.children = item.children.map((child) => localizeItem(child, lang));
  return copy as unknown as EditionItem;
}

const label = <T extends { label?: Text }>(entry: T, lang: string): T =>
  entry.label === undefined ? entry : { ...entry, label: resolveText(entry.label, lang) };

/** The document with every text resolved to one language, falling back to English per text. */
export function localizeDocument(document: EditionDocumentV2, lang: string): EditionDocumentV2 {
  return {
    ...document,
    title: resolveText(document.title, lang),
    ...(document.modelled !== undefined ? { modelled: resolveText(document.modelled, lang) } : {}),
    levels: document.levels.map((level) => label(level, lang)),
    drivers: document.drivers.map((driver) => label(driver, lang)),
    scale: { ratings: document.scale.ratings.map((rating) => label(rating, lang)) },
    decisionRule:
      document.decisionRule.type === 'tiered'
        ? { ...document.decisionRule, tiers: document.decisionRule.tiers.map((tier) => label(tier, lang)) }
        : document.decisionRule,
    items: document.items.map((item) => localizeItem(item, lang)),
  };
}
