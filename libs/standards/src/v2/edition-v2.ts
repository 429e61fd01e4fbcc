/**
 * The edition document v2 (see `standards/schema/edition-v2.schema.json` and the README's "Standards
 * editions"): named levels, an item tree with string codes, texts per language, applicability drivers and
 * conditions, and decision rules with thresholds.
 */

/** An item code (`1.1.1`, `4A.1.1`, `1.1.1.a`): the schema's pattern; codes are never parsed. */
export const ITEM_CODE_PATTERN = /^[0-9A-Za-z]+([.-][0-9A-Za-z]+)*$/;
/** The longest item code a request may name (as evidence's indicator codes). */
export const MAX_ITEM_CODE_LENGTH = 50;

/** A text: a plain string (English) or one string per language, `en` required. */
export type Text = string | ({ en: string } & Record<string, string>);

export interface LevelDefinition {
  key: string;
  label: Text;
  /** The last rated level is the indicator level (the one ratings, evidence and findings refer to). */
  rated?: boolean;
}

export type DriverDefinition =
  | { key: string; type: 'boolean'; label: Text }
  | { key: string; type: 'number'; label: Text }
  | { key: string; type: 'enum'; values: string[]; label: Text };

export type ConditionOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in';

export interface ConditionLeaf {
  field: string;
  op: ConditionOp;
  value: boolean | number | string | (boolean | number | string)[];
}

export interface ConditionGroup {
  allOf?: Condition[];
  anyOf?: Condition[];
  noneOf?: Condition[];
}

export type Condition = ConditionLeaf | ConditionGroup;

/** The v1 flag list, still valid: boolean driver keys. */
export interface FlagList {
  anyOf?: string[];
  allOf?: string[];
}

export type AppliesWhenV2 = FlagList | ConditionGroup;

export interface EditionItem {
  code: string;
  level: string;
  title?: Text;
  statement?: Text;
  guidance?: Text;
  tag?: string;
  mandatory?: boolean;
  refs?: Record<string, string>;
  appliesWhen?: AppliesWhenV2;
  children?: EditionItem[];
}

export interface RatingDefinitionV2 {
  value: string;
  label: Text;
  compliant: boolean;
  /** Weight of the rating in a score (0..1); absent only on the not-applicable rating. */
  score?: number;
  requiresJustification: boolean;
  notApplicable: boolean;
}

export interface TierV2 {
  level: string;
  label?: Text;
  requiredIndicatorLevels: string[];
  minShare?: Record<string, number>;
}

export type DecisionRuleV2 = { type: 'all_applicable_standards_met' } | { type: 'tiered'; tiers: TierV2[] };

export interface EditionDocumentV2 {
  schemaVersion: 2;
  id: string;
  title: Text;
  languages: string[];
  modelled?: Text;
  effectiveFrom: string;
  openForNewCasesUntil?: string | null;
  retiredOn?: string | null;
  validityMonths: number;
  checkInMonths: number | null;
  checkInGraceDays?: number;
  levels: LevelDefinition[];
  drivers: DriverDefinition[];
  scale: { ratings: RatingDefinitionV2[] };
  decisionRule: DecisionRuleV2;
  items: EditionItem[];
}

/** The text in the given language, falling back to English per text. */
export function resolveText(text: Text | undefined, lang = 'en'): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[lang] ?? text.en;
}

export function isConditionLeaf(condition: Condition): condition is ConditionLeaf {
  return typeof (condition as ConditionLeaf).field === 'string';
}

/** Whether `appliesWhen` is the v1 flag list (arrays of strings) rather than a condition group. */
export function isFlagList(appliesWhen: AppliesWhenV2): appliesWhen is FlagList {
  const lists = [appliesWhen.anyOf, appliesWhen.allOf].filter((list) => list !== undefined);
  return (
    !('noneOf' in appliesWhen) &&
    lists.length > 0 &&
    lists.every((list) => Array.isArray(list) && list.every((entry) => typeof entry === 'string'))
  );
}

/** A profile: the institution's driver values by key (booleans, numbers, strings). */
export type DriverValues = Record<string, unknown> | null | undefined;

function compare(op: ConditionOp, actual: unknown, expected: ConditionLeaf['value']): boolean {
  if (actual === undefined || actual === null) return op === 'ne';
  switch (op) {
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'in':
      return Array.isArray(expected) && expected.includes(actual as never);
    case 'gt':
      return typeof actual === 'number' && typeof expected === 'number' && actual > expected;
    case 'gte':
      return typeof actual === 'number' && typeof expected === 'number' && actual >= expected;
    case 'lt':
      return typeof actual === 'number' && typeof expected === 'number' && actual < expected;
    case 'lte':
      return typeof actual === 'number' && typeof expected === 'number' && actual <= expected;
  }
}

/** Evaluates a condition over driver values; a missing value satisfies only `ne`. */
export function evaluateCondition(condition: Condition, profile: DriverValues): boolean {
  if (isConditionLeaf(condition)) return compare(condition.op, profile?.[condition.field], condition.value);
  const all = condition.allOf ? condition.allOf.every((entry) => evaluateCondition(entry, profile)) : true;
  const any = condition.anyOf ? condition.anyOf.some((entry) => evaluateCondition(entry, profile)) : true;
  const none = condition.noneOf ? !condition.noneOf.some((entry) => evaluateCondition(entry, profile)) : true;
  return all && any && none;
}

/** Whether an item applies to an institution with these driver values. */
export function appliesTo(appliesWhen: AppliesWhenV2 | undefined, profile: DriverValues): boolean {
  if (!appliesWhen) return true;
  if (isFlagList(appliesWhen)) {
    const isSet = (flag: string): boolean => profile?.[flag] === true;
    return (
      (!appliesWhen.anyOf || appliesWhen.anyOf.some(isSet)) &&
      (!appliesWhen.allOf || appliesWhen.allOf.every(isSet))
    );
  }
  return evaluateCondition(appliesWhen, profile);
}

function describeCondition(condition: Condition): string {
  if (isConditionLeaf(condition)) {
    return `${condition.field} ${condition.op} ${JSON.stringify(condition.value)}`;
  }
  const parts: string[] = [];
  if (condition.allOf) parts.push(`all of (${condition.allOf.map(describeCondition).join(', ')})`);
  if (condition.anyOf) parts.push(`any of (${condition.anyOf.map(describeCondition).join(', ')})`);
  if (condition.noneOf) parts.push(`none of (${condition.noneOf.map(describeCondition).join(', ')})`);
  return parts.join(' and ');
}

/** A readable account of an applicability condition, for the not-applicable reason. */
export function describeAppliesWhen(appliesWhen: AppliesWhenV2): string {
  if (isFlagList(appliesWhen)) {
    const parts: string[] = [];
    if (appliesWhen.anyOf) parts.push(`any of ${appliesWhen.anyOf.join(', ')}`);
    if (appliesWhen.allOf) parts.push(`all of ${appliesWhen.allOf.join(', ')}`);
    return parts.join(' and ');
  }
  return describeCondition(appliesWhen);
}
