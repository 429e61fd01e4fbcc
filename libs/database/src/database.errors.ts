import { QueryFailedError } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

/** The SQLSTATE of a PostgreSQL error (as TypeORM wraps it, or as the driver throws it). */
export function sqlStateOf(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const driverError = (error as { driverError?: { code?: unknown } }).driverError;
  const code = error instanceof QueryFailedError ? driverError?.code : (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** True when the error is PostgreSQL refusing a duplicate on the named constraint (any, when omitted). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return (
    driverError.code === UNIQUE_VIOLATION &&
    (constraint === undefined || driverError.constraint === constraint)
  );
}

/** 40P01 deadlock_detected, 40001 serialization_failure: the whole transaction may simply run again. */
export function isTransientConflict(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state === '40P01' || state === '40001';
}

/**
 * The SQLSTATE `abort_unless` (migration WholeOrNothing) ends a statement with when its checks fail:
 * nothing the statement wrote is kept.
 */
export const STATEMENT_CHECKS_FAILED = 'CP409';

/** True when a statement ended itself through `abort_unless`. */
export function isStatementChecksFailed(error: unknown): boolean {
  return sqlStateOf(error) === STATEMENT_CHECKS_FAILED;
}
