import { type ErrorDetail, safeFieldName, ValidationError } from '@app/common';
import type { NextFunction, Request, Response } from 'express';

export const MAX_JSON_DEPTH = 32;
const MAX_REPORTED = 20;
// NUL cannot be stored by PostgreSQL; an unpaired surrogate is not valid Unicode.
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  // Field names are the caller's: repeated in an error only made safe and short.
  const name = safeFieldName(key);
  return parent ? `${parent}.${name}` : name;
}

/** Problems no DTO can catch: nesting too deep to validate safely, and text PostgreSQL cannot store. */
export function inspectJsonBody(body: unknown): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (pending.length > 0 && problems.length < MAX_REPORTED) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) {
        problems.push({
          field: path || '(body)',
          message: 'must not contain NUL or unpaired surrogate characters',
        });
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      problems.push({ field: path || '(body)', message: `is nested deeper than ${MAX_JSON_DEPTH} levels` });
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) =>
        pending.push({ value: item, path: childPath(path, index), depth: depth + 1 }),
      );
      continue;
    }
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
      if (UNSTORABLE.test(key)) {
        problems.push({
          field: path || '(body)',
          message: 'has a field name with NUL or unpaired surrogate characters',
        });
        continue;
      }
      pending.push({ value: member, path: childPath(path, key), depth: depth + 1 });
    }
  }
  return problems;
}

/** Runs after the JSON body parser: refuses such bodies with 400 before any handler sees them. */
export function jsonBodyGuard(request: Request, _response: Response, next: NextFunction): void {
  const problems = request.body === undefined ? [] : inspectJsonBody(request.body);
  if (problems.length === 0) {
    next();
    return;
  }
  next(
    new ValidationError(
      problems.length === 1
        ? `${problems[0].field} ${problems[0].message}`
        : 'The request body has unusable content',
      problems,
    ),
  );
}
