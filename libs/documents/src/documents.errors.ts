import { Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@app/common';

const logger = new Logger('PdfRenderer');

/** Chromium is missing, stopped during the render, too slow or too busy: 503, try again. */
export class PdfRendererUnavailableError extends DomainError {
  constructor(message: string, cause?: unknown) {
    super(ErrorCode.PdfRendererUnavailable, message);
    // The answer says only what the caller can act on; the operator needs the reason.
    logger.warn(cause === undefined ? { message } : { err: cause, message }, message);
  }
}
