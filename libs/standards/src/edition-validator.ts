import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ErrorDetail, safeFieldName } from '@app/common';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { EditionDocument } from './edition-document';
import { convertV1ToV2, isV2Candidate } from './v2/convert-v1';
import type { EditionDocumentV2 } from './v2/edition-v2';
import { semanticProblemsV2 } from './v2/edition-v2-validator';

export const EDITION_SCHEMA_FILE = join('schema', 'edition.schema.json');
export const EDITION_V2_SCHEMA_FILE = join('schema', 'edition-v2.schema.json');

/** The outcome of reading a candidate document: its problems, or the v2 document it is. */
export type NormalizedEdition =
  { ok: true; document: EditionDocumentV2; convertedFrom: 1 | 2 } | { ok: false; problems: ErrorDetail[] };

/** `/principles/0/standards/1/code` → `principles[0].standards[1].code`. */
export function toFieldPath(pointer: string, child?: string): string {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) segments.push(child);
  return segments.reduce(
    (path, segment) =>
      /^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment,
    '',
  );
}

export function describeSchemaError(error: ErrorObject): ErrorDetail {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return {
        field: toFieldPath(error.instancePath, String(params.missingProperty)),
        message: 'is required',
      };
    case 'additionalProperties':
      return {
        field: toFieldPath(error.instancePath, safeFieldName(String(params.additionalProperty))),
        message: 'is not a known field',
      };
    default:
      return {
        field: toFieldPath(error.instancePath) || '(document)',
        message: error.message ?? 'is invalid',
      };
  }
}

function contiguityProblems(
  codes: string[],
  parentPath: string,
  what: string,
  prefix: string,
): ErrorDetail[] {
  const numbers = codes.map((code) => Number(code.slice(prefix.length)));
  const problems: ErrorDetail[] = [];
  const maximum = Math.max(0, ...numbers.filter(Number.isInteger));
  for (let expected = 1; expected <= maximum; expected += 1) {
    if (!numbers.includes(expected)) {
      problems.push({ field: parentPath, message: `${what} ${prefix}${expected} is missing` });
    }
  }
  return problems;
}

/** Rules JSON Schema cannot express: unique codes, codes that nest, numbering without gaps, a coherent scale and rule. */
export function semanticProblems(document: EditionDocument): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const seen = new Map<string, string>();
  const claim = (code: string, path: string): void => {
    const first = seen.get(code);
    if (first) problems.push({ field: path, message: `duplicate code ${code} (first used at ${first})` });
    else seen.set(code, path);
  };

  const ratings = document.scale.ratings;
  const values = new Set<string>();
  ratings.forEach((rating, index) => {
    if (values.has(rating.value)) {
      problems.push({ field: `scale.ratings[${index}].value`, message: `duplicate rating ${rating.value}` });
    }
    values.add(rating.value);
  });
  if (!ratings.some((rating) => rating.compliant)) {
    problems.push({ field: 'scale.ratings', message: 'must contain a compliant rating' });
  }
  if (ratings.filter((rating) => rating.notApplicable).length !== 1) {
    problems.push({ field: 'scale.ratings', message: 'must contain exactly one not-applicable rating' });
  }
  ratings.forEach((rating, index) => {
    if (rating.notApplicable && rating.compliant) {
      problems.push({
        field: `scale.ratings[${index}]`,
        message: 'a not-applicable rating cannot be compliant',
      });
    }
    if (rating.notApplicable && !rating.requiresJustification) {
      problems.push({
        field: `scale.ratings[${index}]`,
        message: 'not applicable always needs a justification',
      });
    }
  });
  if (document.checkInMonths !== null && document.checkInMonths >= document.validityMonths) {
    problems.push({ field: 'checkInMonths', message: 'must fall before the end of validityMonths' });
  }
  if (
    typeof document.openForNewCasesUntil === 'string' &&
    document.openForNewCasesUntil < document.effectiveFrom
  ) {
    problems.push({ field: 'openForNewCasesUntil', message: 'must not be before effectiveFrom' });
  }
  if (typeof document.retiredOn === 'string' && document.retiredOn < document.effectiveFrom) {
    problems.push({ field: 'retiredOn', message: 'must not be before effectiveFrom' });
  }

  problems.push(
    ...contiguityProblems(
      document.principles.map((principle) => principle.code),
      'principles',
      'principle',
      '',
    ),
  );
  const usedLevels = new Set<string>();
  document.principles.forEach((principle, p) => {
    const principlePath = `principles[${p}]`;
    claim(principle.code, `${principlePath}.code`);
    const standardPrefix = `${principle.code}.`;
    principle.standards.forEach((standard, s) => {
      const standardPath = `${principlePath}.standards[${s}]`;
      claim(standard.code, `${standardPath}.code`);
      if (!standard.code.startsWith(standardPrefix)) {
        problems.push({ field: `${standardPath}.code`, message: `must start with ${standardPrefix}` });
      }
      const indicatorPrefix = `${standard.code}.`;
      standard.indicators.forEach((indicator, i) => {
        const indicatorPath = `${standardPath}.indicators[${i}]`;
        claim(indicator.code, `${indicatorPath}.code`);
        if (!indicator.code.startsWith(indicatorPrefix)) {
          problems.push({ field: `${indicatorPath}.code`, message: `must start with ${indicatorPrefix}` });
        }
        if (indicator.level) usedLevels.add(indicator.level);
      });
      problems.push(
        ...contiguityProblems(
          standard.indicators.map((indicator) => indicator.code),
          `${standardPath}.indicators`,
          'indicator',
          indicatorPrefix,
        ),
      );
    });
    problems.push(
      ...contiguityProblems(
        principle.standards.map((standard) => standard.code),
        `${principlePath}.standards`,
        'standard',
        standardPrefix,
      ),
    );
  });

  if (document.decisionRule.type === 'tiered') {
    const tierLevels = new Set<string>();
    document.decisionRule.tiers.forEach((tier, t) => {
      if (tierLevels.has(tier.level)) {
        problems.push({ field: `decisionRule.tiers[${t}].level`, message: `duplicate level ${tier.level}` });
      }
      tierLevels.add(tier.level);
      tier.requiredIndicatorLevels.forEach((level, l) => {
        if (!usedLevels.has(level)) {
          problems.push({
            field: `decisionRule.tiers[${t}].requiredIndicatorLevels[${l}]`,
            message: `no indicator has level ${level}`,
          });
        }
      });
    });
  }
  return problems;
}

/**
 * Validates edition documents: v2 (`schemaVersion: 2`) against `standards/schema/edition-v2.schema.json`
 * and its semantic rules; a v1 document (no `schemaVersion`) against the v1 schema and rules, then
 * converted to v2 (and the result checked as v2 too).
 */
export class EditionValidator {
  private readonly validateSchema: ValidateFunction;
  private readonly validateV2Schema: ValidateFunction;
  /** The v2 JSON Schema, as served at GET /standards/schema. */
  readonly v2Schema: object;

  constructor(standardsDirectory: string) {
    const schema = JSON.parse(readFileSync(join(standardsDirectory, EDITION_SCHEMA_FILE), 'utf8')) as object;
    this.v2Schema = JSON.parse(
      readFileSync(join(standardsDirectory, EDITION_V2_SCHEMA_FILE), 'utf8'),
    ) as object;
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    this.validateSchema = ajv.compile(schema);
    this.validateV2Schema = ajv.compile(this.v2Schema);
  }

  /** Every problem with its path; empty when the document is a valid edition (v1 or v2). */
  problems(candidate: unknown): ErrorDetail[] {
    const result = this.normalize(candidate);
    return result.ok ? [] : result.problems;
  }

  /** The candidate as a valid v2 document, or every problem with its path. */
  normalize(candidate: unknown): NormalizedEdition {
    if (isV2Candidate(candidate)) {
      const problems = this.schemaProblems(this.validateV2Schema, candidate);
      if (problems.length) return { ok: false, problems };
      const semantic = semanticProblemsV2(candidate as EditionDocumentV2);
      return semantic.length
        ? { ok: false, problems: semantic }
        : { ok: true, document: candidate as EditionDocumentV2, convertedFrom: 2 };
    }
    const problems = this.schemaProblems(this.validateSchema, candidate);
    if (problems.length) return { ok: false, problems };
    const semantic = semanticProblems(candidate as EditionDocument);
    if (semantic.length) return { ok: false, problems: semantic };
    const converted = convertV1ToV2(candidate as EditionDocument);
    const v2Problems = semanticProblemsV2(converted);
    return v2Problems.length
      ? { ok: false, problems: v2Problems }
      : { ok: true, document: converted, convertedFrom: 1 };
  }

  private schemaProblems(validate: ValidateFunction, candidate: unknown): ErrorDetail[] {
    if (validate(candidate)) return [];
    const details = (validate.errors ?? []).map(describeSchemaError);
    const unique = new Map(details.map((detail) => [`${detail.field}|${detail.message}`, detail]));
    return [...unique.values()];
  }
}
