import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorDetail } from '@app/common';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { describeSchemaError } from '../edition-validator';
import type { EditionTree } from '../v2/edition-tree';
import { type CrosswalkDocument, USSEPM_TARGET } from './crosswalk';

export const CROSSWALK_SCHEMA_FILE = join('schema', 'crosswalk.schema.json');

/** What the semantic rules need to know of the catalog. */
export interface CrosswalkCatalog {
  /** The tree of an edition, or undefined when the catalog has no such edition. */
  tree(editionId: string): EditionTree | undefined;
  /** Every Universal Standards code the catalog's items name in `refs.ussepm`. */
  ussepmCodes(): ReadonlySet<string>;
}

/**
 * Rules of a crosswalk JSON Schema cannot express, every problem with its path: the two sides differ, both
 * editions exist, every code is an item of its edition (or a Universal Standards code the catalog knows), no
 * (from, to) pair twice. Runs only on a document the schema accepts.
 */
export function crosswalkProblems(document: CrosswalkDocument, catalog: CrosswalkCatalog): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const problem = (field: string, message: string): void => {
    problems.push({ field, message });
  };
  if (document.from === document.to) problem('to', 'must differ from from');
  if (document.from === USSEPM_TARGET) problem('from', 'must be an edition (ussepm is only a target)');
  const fromTree = document.from === USSEPM_TARGET ? undefined : catalog.tree(document.from);
  if (document.from !== USSEPM_TARGET && !fromTree)
    problem('from', `edition ${document.from} does not exist`);
  const toUssepm = document.to === USSEPM_TARGET;
  const toTree = toUssepm ? undefined : catalog.tree(document.to);
  if (!toUssepm && !toTree) problem('to', `edition ${document.to} does not exist`);
  const ussepm = toUssepm ? catalog.ussepmCodes() : new Set<string>();

  const pairs = new Map<string, number>();
  document.mappings.forEach((mapping, index) => {
    const path = `mappings[${index}]`;
    if (fromTree && !fromTree.item(mapping.from)) {
      problem(`${path}.from`, `${mapping.from} is not an item of ${document.from}`);
    }
    if (toTree && !toTree.item(mapping.to)) {
      problem(`${path}.to`, `${mapping.to} is not an item of ${document.to}`);
    } else if (toUssepm && !ussepm.has(mapping.to)) {
      problem(
        `${path}.to`,
        `${mapping.to} is not a Universal Standards code named by the catalog's editions`,
      );
    }
    const key = `${mapping.from}\u0000${mapping.to}`;
    const first = pairs.get(key);
    if (first !== undefined) {
      problem(`${path}`, `maps ${mapping.from} to ${mapping.to} again (first at mappings[${first}])`);
    } else {
      pairs.set(key, index);
    }
  });
  return problems;
}

export type NormalizedCrosswalk =
  { ok: true; document: CrosswalkDocument } | { ok: false; problems: ErrorDetail[] };

/** Validates crosswalk documents against `standards/schema/crosswalk.schema.json` and the semantic rules. */
export class CrosswalkValidator {
  private readonly validateSchema: ValidateFunction;
  readonly schema: object;

  constructor(standardsDirectory: string) {
    this.schema = JSON.parse(readFileSync(join(standardsDirectory, CROSSWALK_SCHEMA_FILE), 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    this.validateSchema = ajv.compile(this.schema);
  }

  validate(candidate: unknown, catalog: CrosswalkCatalog): NormalizedCrosswalk {
    if (!this.validateSchema(candidate)) {
      const details = (this.validateSchema.errors ?? []).map(describeSchemaError);
      const unique = new Map(details.map((detail) => [`${detail.field}|${detail.message}`, detail]));
      return { ok: false, problems: [...unique.values()] };
    }
    const document = candidate as CrosswalkDocument;
    const problems = crosswalkProblems(document, catalog);
    return problems.length ? { ok: false, problems } : { ok: true, document };
  }
}
