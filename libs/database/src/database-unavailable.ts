import { DomainError, ErrorCode } from '@app/common';

/** What a client is told to wait before retrying when the database cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// Node socket errors of a connection that cannot be opened or was cut.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
// SQLSTATE: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
// node-postgres and TypeORM messages of a lost or unobtainable connection (they carry no code).
const CONNECTION_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connection is not queryable|Client was closed and is not queryable|the database system is (starting up|shutting down|in recovery)/i;

/**
 * True when `error` says that the database could not be reached or dropped the connection — not that
 * a statement was wrong. Looks through TypeORM's `driverError` and `cause` chains.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === 'object' && !seen.has(current);) {
    seen.add(current);
    const { code, message, driverError, cause } = current as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string') {
      if (SOCKET_CODES.has(code) || SERVER_CODES.has(code)) return true;
      // SQLSTATE class 08: connection exception.
      if (/^08[0-9A-Z]{3}$/.test(code)) return true;
    }
    if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return true;
    current = driverError ?? cause;
  }
  return false;
}

/** The database did not answer: 503 `DATABASE_UNAVAILABLE` with `Retry-After`; nothing was done. */
export class DatabaseUnavailableError extends DomainError {
  readonly retryAfterSeconds = DATABASE_RETRY_AFTER_SECONDS;

  constructor(override readonly cause?: unknown) {
    super(ErrorCode.DatabaseUnavailable, 'The database is unavailable; try again shortly');
  }
}
