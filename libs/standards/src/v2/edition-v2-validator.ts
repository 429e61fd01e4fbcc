import type { ErrorDetail } from '@app/common';
import {
  type Condition,
  type ConditionGroup,
  type DriverDefinition,
  type EditionDocumentV2,
  type EditionItem,
  isConditionLeaf,
  type Text,
  type TierV2,
} from './edition-v2';

const NUMBER_OPS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in']);
const EQUALITY_OPS = new Set(['eq', 'ne', 'in']);

/**
 * Rules of a v2 document that JSON Schema cannot express, every problem with its path (the schema's
 * description lists them). Runs only on a document the schema accepts.
 */
export function semanticProblemsV2(document: EditionDocumentV2): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ field, message });
  };

  // Levels.
  const levelKeys = new Map<string, number>();
  document.levels.forEach((level, index) => {
    if (levelKeys.has(level.key)) problem(`levels[${index}].key`, `duplicate level ${level.key}`);
    else levelKeys.set(level.key, index);
  });
  const ratedIndexes = document.levels.flatMap((level, index) => (level.rated ? [index] : []));
  if (ratedIndexes.length === 0) problem('levels', 'must contain a rated level (the indicator level)');
  const indicatorDepth = ratedIndexes.length
    ? ratedIndexes[ratedIndexes.length - 1]
    : document.levels.length - 1;

  // Drivers.
  const drivers = new Map<string, DriverDefinition>();
  document.drivers.forEach((driver, index) => {
    const path = `drivers[${index}]`;
    if (drivers.has(driver.key)) problem(`${path}.key`, `duplicate driver ${driver.key}`);
    else drivers.set(driver.key, driver);
    const values = (driver as { values?: string[] }).values;
    if (driver.type === 'enum') {
      if (!values) problem(`${path}.values`, 'is required for an enum driver');
      else if (new Set(values).size !== values.length) problem(`${path}.values`, 'must not repeat a value');
    } else if (values !== undefined) {
      problem(`${path}.values`, `is only allowed on enum drivers, not ${driver.type}`);
    }
  });

  // Scale.
  const ratings = document.scale.ratings;
  const ratingValues = new Set<string>();
  ratings.forEach((rating, index) => {
    const path = `scale.ratings[${index}]`;
    if (ratingValues.has(rating.value)) problem(`${path}.value`, `duplicate rating ${rating.value}`);
    ratingValues.add(rating.value);
    if (rating.notApplicable) {
      if (rating.compliant) problem(path, 'a not-applicable rating cannot be compliant');
      if (!rating.requiresJustification) problem(path, 'not applicable always needs a justification');
      if (rating.score !== undefined) problem(`${path}.score`, 'a not-applicable rating has no score');
    } else if (rating.score === undefined) {
      problem(`${path}.score`, 'is required on every rating but the not-applicable one');
    }
  });
  if (!ratings.some((rating) => rating.compliant))
    problem('scale.ratings', 'must contain a compliant rating');
  if (ratings.filter((rating) => rating.notApplicable).length !== 1) {
    problem('scale.ratings', 'must contain exactly one not-applicable rating');
  }
  const lowestCompliant = Math.min(
    ...ratings
      .filter((rating) => rating.compliant && rating.score !== undefined)
      .map((rating) => rating.score!),
  );
  ratings.forEach((rating, index) => {
    if (
      !rating.compliant &&
      !rating.notApplicable &&
      rating.score !== undefined &&
      rating.score >= lowestCompliant
    ) {
      problem(`scale.ratings[${index}].score`, 'must be below the score of every compliant rating');
    }
  });

  // Lifecycle.
  if (document.checkInMonths !== null && document.checkInMonths >= document.validityMonths) {
    problem('checkInMonths', 'must fall before the end of validityMonths');
  }
  if (
    typeof document.openForNewCasesUntil === 'string' &&
    document.openForNewCasesUntil < document.effectiveFrom
  ) {
    problem('openForNewCasesUntil', 'must not be before effectiveFrom');
  }
  if (typeof document.retiredOn === 'string' && document.retiredOn < document.effectiveFrom) {
    problem('retiredOn', 'must not be before effectiveFrom');
  }

  // Conditions.
  const checkLeafValue = (path: string, driver: DriverDefinition, op: string, value: unknown): void => {
    const fits = (entry: unknown): boolean => {
      if (driver.type === 'boolean') return typeof entry === 'boolean';
      if (driver.type === 'number') return typeof entry === 'number';
      return typeof entry === 'string' && driver.values.includes(entry);
    };
    const allowed = driver.type === 'number' ? NUMBER_OPS : EQUALITY_OPS;
    if (!allowed.has(op)) {
      problem(`${path}.op`, `${op} does not apply to the ${driver.type} driver ${driver.key}`);
      return;
    }
    if (op === 'in') {
      if (!Array.isArray(value) || value.length === 0)
        problem(`${path}.value`, 'must be a non-empty array for in');
      else
        value.forEach((entry, index) => {
          if (!fits(entry))
            problem(`${path}.value[${index}]`, `does not fit the ${driver.type} driver ${driver.key}`);
        });
    } else if (!fits(value)) {
      problem(`${path}.value`, `does not fit the ${driver.type} driver ${driver.key}`);
    }
  };
  const checkCondition = (condition: Condition, path: string): void => {
    const mixed = condition as Record<string, unknown>;
    if ('field' in mixed && ('allOf' in mixed || 'anyOf' in mixed || 'noneOf' in mixed)) {
      problem(path, 'is either a comparison (field, op, value) or a group (allOf, anyOf, noneOf), not both');
      return;
    }
    if (isConditionLeaf(condition)) {
      const driver = drivers.get(condition.field);
      if (!driver) problem(`${path}.field`, `${condition.field} is not a declared driver`);
      else checkLeafValue(path, driver, condition.op, condition.value);
      return;
    }
    const group = condition as ConditionGroup & Record<string, unknown>;
    if ('field' in group || 'op' in group || 'value' in group) {
      problem(path, 'is either a comparison (field, op, value) or a group (allOf, anyOf, noneOf), not both');
    }
    for (const key of ['allOf', 'anyOf', 'noneOf'] as const) {
      group[key]?.forEach((entry, index) => {
        const entryPath = `${path}.${key}[${index}]`;
        if (typeof entry === 'string') problem(entryPath, 'a flag name is only allowed in a flag list');
        else checkCondition(entry, entryPath);
      });
    }
  };
  const checkAppliesWhen = (appliesWhen: Record<string, unknown[]>, path: string): void => {
    const entries = Object.entries(appliesWhen).flatMap(([key, list]) =>
      list.map((entry, index) => ({ key, entry, index })),
    );
    const strings = entries.filter(({ entry }) => typeof entry === 'string');
    if (strings.length > 0 && strings.length === entries.length && !('noneOf' in appliesWhen)) {
      // The v1 flag list: boolean drivers.
      for (const { key, entry, index } of strings) {
        const driver = drivers.get(entry as string);
        if (!driver) problem(`${path}.${key}[${index}]`, `${String(entry)} is not a declared driver`);
        else if (driver.type !== 'boolean') {
          problem(
            `${path}.${key}[${index}]`,
            `${String(entry)} is a ${driver.type} driver; a flag list names boolean drivers`,
          );
        }
      }
      return;
    }
    checkCondition(appliesWhen, path);
  };

  // Items.
  const codes = new Map<string, string>();
  const usedTags = new Set<string>();
  const walk = (items: EditionItem[], depth: number, parentPath: string): void => {
    items.forEach((item, index) => {
      const path = `${parentPath}[${index}]`;
      const first = codes.get(item.code);
      if (first) problem(`${path}.code`, `duplicate code ${item.code} (first used at ${first})`);
      else codes.set(item.code, `${path}.code`);
      const expected = document.levels[depth];
      if (!expected) {
        problem(
          `${path}.level`,
          `is below the last level ${document.levels[document.levels.length - 1].key}`,
        );
        return;
      }
      if (item.level !== expected.key) {
        problem(
          `${path}.level`,
          levelKeys.has(item.level)
            ? `must be ${expected.key} (the level after its parent's), not ${item.level}`
            : `${item.level} is not a declared level`,
        );
      }
      const isIndicator = depth === indicatorDepth;
      if (depth < indicatorDepth) {
        if (item.title === undefined) problem(`${path}.title`, 'is required above the indicator level');
        if (!item.children || item.children.length === 0) {
          problem(`${path}.children`, `must hold at least one ${document.levels[depth + 1]?.key ?? 'item'}`);
        }
      } else if (item.statement === undefined) {
        problem(`${path}.statement`, 'is required on indicators and the items below them');
      }
      if (!isIndicator) {
        for (const field of ['tag', 'mandatory', 'appliesWhen'] as const) {
          if (item[field] !== undefined) problem(`${path}.${field}`, 'is only allowed on indicators');
        }
      }
      if (item.tag) usedTags.add(item.tag);
      if (item.appliesWhen)
        checkAppliesWhen(item.appliesWhen as Record<string, unknown[]>, `${path}.appliesWhen`);
      if (item.children) walk(item.children, depth + 1, `${path}.children`);
    });
  };
  walk(document.items, 0, 'items');

  // Decision rule.
  const rule = document.decisionRule as { type: string; tiers?: TierV2[] };
  if (rule.type === 'tiered') {
    if (!rule.tiers) problem('decisionRule.tiers', 'is required for a tiered rule');
    const seenLevels = new Set<string>();
    let previous: { required: Set<string>; minShare: Record<string, number> } | null = null;
    (rule.tiers ?? []).forEach((tier, t) => {
      const path = `decisionRule.tiers[${t}]`;
      if (seenLevels.has(tier.level)) problem(`${path}.level`, `duplicate level ${tier.level}`);
      seenLevels.add(tier.level);
      tier.requiredIndicatorLevels.forEach((tag, l) => {
        if (!usedTags.has(tag))
          problem(`${path}.requiredIndicatorLevels[${l}]`, `no indicator has level ${tag}`);
      });
      const minShare = tier.minShare ?? {};
      for (const tag of Object.keys(minShare)) {
        if (!usedTags.has(tag)) problem(`${path}.minShare.${tag}`, `no indicator has tag ${tag}`);
        if (tier.requiredIndicatorLevels.includes(tag)) {
          problem(`${path}.minShare.${tag}`, `${tag} is already required in full by this tier`);
        }
      }
      if (tier.requiredIndicatorLevels.length === 0 && Object.keys(minShare).length === 0) {
        problem(path, 'must require some indicators (requiredIndicatorLevels or minShare)');
      }
      if (previous) {
        for (const tag of previous.required) {
          if (!tier.requiredIndicatorLevels.includes(tag)) {
            problem(
              `${path}.requiredIndicatorLevels`,
              `must include ${tag}, required by the tier below (tiers are ordered lowest first)`,
            );
          }
        }
        for (const [tag, share] of Object.entries(previous.minShare)) {
          if (!tier.requiredIndicatorLevels.includes(tag) && (minShare[tag] ?? 0) < share) {
            problem(
              `${path}.minShare`,
              `must require at least ${share} of ${tag}, as the tier below does (tiers are ordered lowest first)`,
            );
          }
        }
      }
      previous = { required: new Set(tier.requiredIndicatorLevels), minShare };
    });
  } else {
    if (rule.tiers !== undefined) problem('decisionRule.tiers', 'is only allowed on a tiered rule');
    if (indicatorDepth < 1) {
      problem('decisionRule.type', 'all_applicable_standards_met needs a level above the indicator level');
    }
  }
  return problems;
}

/** Texts that lack a language the edition lists (they fall back to English): warnings, not errors. */
export function missingTranslations(document: EditionDocumentV2): ErrorDetail[] {
  const warnings: ErrorDetail[] = [];
  const others = document.languages.filter((lang) => lang !== 'en');
  const check = (text: Text | undefined, path: string): void => {
    if (text === undefined) return;
    const missing = others.filter((lang) => typeof text === 'string' || text[lang] === undefined);
    if (missing.length)
      warnings.push({ field: path, message: `no ${missing.join(', ')} text; English is used` });
  };
  check(document.title, 'title');
  const walk = (items: EditionItem[], parentPath: string): void =>
    items.forEach((item, index) => {
      const path = `${parentPath}[${index}]`;
      check(item.title, `${path}.title`);
      check(item.statement, `${path}.statement`);
      check(item.guidance, `${path}.guidance`);
      if (item.children) walk(item.children, `${path}.children`);
    });
  walk(document.items, 'items');
  return warnings;
}
