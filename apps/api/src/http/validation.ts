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

/** The global pipe: a body its class's fast path vouches for is taken as it makes it (RequestFastPath). */
class RequestValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const valid = metadata.type === 'body' ? validBodyByFastPath(metadata.metatype, value) : undefined;
    return valid === undefined ? super.transform(value, metadata) : Promise.resolve(valid);
  }
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
