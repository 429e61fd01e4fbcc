import { Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/common';

const logger = new Logger('EvidenceStorage');

/** The evidence store did not answer or refused to work: 503, nothing was stored. */
export class StorageUnavailableError extends DomainError {
  constructor(
    message = 'The evidence storage is unavailable; try again shortly',
    override readonly cause?: unknown,
  ) {
    super(ErrorCode.StorageUnavailable, message);
    // The answer says only "unavailable"; the operator needs the reason.
    if (cause !== undefined) logger.warn({ err: cause }, message);
  }
}
