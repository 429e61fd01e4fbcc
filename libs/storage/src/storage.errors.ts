import { Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/common';

const logger = new Logger('EvidenceStorage');

/** What a client is told to wait before retrying when the evidence store fails. */
export const STORAGE_RETRY_AFTER_SECONDS = 10;

/** The evidence store did not answer or refused to work: 503 with `Retry-After`, nothing was stored. */
export class StorageUnavailableError extends DomainError {
  readonly retryAfterSeconds = STORAGE_RETRY_AFTER_SECONDS;

  constructor(
    message = 'The evidence storage is unavailable; try again shortly',
    override readonly cause?: unknown,
  ) {
    super(ErrorCode.StorageUnavailable, message);
    // The answer says only "unavailable"; the operator needs the reason.
    if (cause !== undefined) logger.warn({ err: cause }, message);
  }
}
