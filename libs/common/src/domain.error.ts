import { ErrorCode } from './error-code';

export interface ErrorDetail {
  field?: string;
  message: string;
  [key: string]: unknown;
}

/** Base of every error a lib throws on purpose; the API filter maps `code` to an HTTP status. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(ErrorCode.NotFound, `${what} not found`);
  }
}

export class StaleVersionError extends DomainError {
  constructor(what: string, expectedVersion: number) {
    super(
      ErrorCode.StaleVersion,
      `${what} changed since version ${expectedVersion} was read; reload it and try again`,
    );
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'Your role does not allow this action') {
    super(ErrorCode.Forbidden, message);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details: ErrorDetail[]) {
    super(ErrorCode.ValidationFailed, message, details);
  }
}
