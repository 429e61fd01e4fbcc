import { type ArgumentMetadata, Injectable, type PipeTransform, ValidationPipe } from '@nestjs/common';
import {
  type ErrorDetail,
  safeFieldName,
  validBodyByFastPath,
  ValidationError as DomainValidationError,
} from '@app/common';
import type { ValidationError } from 'class-validator';

function describe(constraint: string, message: string, property: string): string {
  if (constraint === 'whitelistValidation') return 'is not a known field';
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

function flatten(errors: ValidationError[], parentPath = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const segment = /^\d+$/.test(error.property) ? `[${error.property}]` : error.property;
    const path =
      parentPath && !segment.startsWith('[') ? `${parentPath}.${segment}` : `${parentPath}${segment}`;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      // An unknown field's name is the caller's: repeated only made safe and short.
      field: constraint === 'whitelistValidation' ? safeFieldName(path) : path,
      message: describe(constraint, message, error.property),
    }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/** Validation errors as `400 VALIDATION_FAILED` with one detail per field path (`ratings[3].rating`). */
export function toValidationError(errors: ValidationError[]): DomainValidationError {
  const details = flatten(errors);
  return new DomainValidationError(
    details.length === 1
      ? `${details[0].field} ${details[0].message}`
      : `${details.length} fields are invalid`,
    details,
  );
}

const KEPT_QUERIES_PER_CLASS = 1_000;

/**
 * The global pipe: a body its class's fast path vouches for is taken as it makes it (RequestFastPath),
 * and a query string already found valid for its class is not validated again. A query DTO's checks are
 * pure functions of the query (strings and lists of strings as the query parser makes them), so the
 * instance once made of the same query is answered again, as a copy; a query found invalid is never
 * kept (it is checked again, to report every problem). A list read page after page by the same caller
 * repeats its query; class-transformer and class-validator were 4% of a case list's request.
 */
class RequestValidationPipe extends ValidationPipe {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- keyed by DTO class
  private readonly validQueries = new WeakMap<Function, Map<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      const valid = validBodyByFastPath(metadata.metatype, value);
      return valid === undefined ? super.transform(value, metadata) : valid;
    }
    const type = metadata.metatype;
    if (metadata.type !== 'query' || !type || !this.toValidate(metadata) || !isPlainObject(value)) {
      return super.transform(value, metadata);
    }
    const key = JSON.stringify(value);
    let kept = this.validQueries.get(type);
    const known = kept?.get(key);
    if (known) return copyOf(known);
    const made: unknown = await super.transform(value, metadata);
    if (typeof made !== 'object' || made === null) return made;
    if (!kept) this.validQueries.set(type, (kept = new Map<string, object>()));
    if (kept.size >= KEPT_QUERIES_PER_CLASS) kept.delete(kept.keys().next().value as string);
    kept.set(key, copyOf(made));
    return made;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** A copy of a query DTO instance (its class, its own fields; lists copied, not shared). */
function copyOf<T extends object>(instance: T): T {
  const copy = Object.create(Object.getPrototypeOf(instance) as object) as T;
  for (const [field, fieldValue] of Object.entries(instance) as [string, unknown][]) {
    (copy as Record<string, unknown>)[field] = Array.isArray(fieldValue) ? fieldValue.slice() : fieldValue;
  }
  return copy;
}

/** Rejects unknown fields, converts to the DTO classes, reports every problem with its path. */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: toValidationError,
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A route parameter that must be a UUID: 400 naming the parameter otherwise. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  static readonly openApiSchema = { format: 'uuid', pattern: UUID.source, minLength: 36, maxLength: 36 };

  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string' || !UUID.test(value)) {
      const field = metadata.data ?? 'id';
      throw new DomainValidationError(`${field} must be a UUID`, [{ field, message: 'must be a UUID' }]);
    }
    return value.toLowerCase();
  }
}
