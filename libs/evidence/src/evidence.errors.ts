import { DomainError, ErrorCode } from '@app/common';

/** The case's status no longer allows this change to its evidence: 409. */
export class EvidenceLockedError extends DomainError {
  constructor(what: string, status: string) {
    super(ErrorCode.EvidenceLocked, `${what} is not possible while the case is ${status}`, [
      { message: what, status },
    ]);
  }
}

export class UnknownIndicatorCodesError extends DomainError {
  constructor(codes: string[], editionId: string) {
    super(
      ErrorCode.UnknownIndicatorCodes,
      `Not indicators of the case's edition ${editionId}: ${codes.join(', ')}`,
      codes.map((code) => ({
        field: 'indicatorCodes',
        message: `${code} is not an indicator of ${editionId}`,
        code,
      })),
    );
  }
}

/** Over EVIDENCE_MAX_BYTES: 413; the partial upload is discarded. */
export class FileTooLargeError extends DomainError {
  constructor(readonly maxBytes: number) {
    super(ErrorCode.PayloadTooLarge, `The file is larger than the limit of ${maxBytes} bytes`, [
      { field: 'file', message: `must be at most ${maxBytes} bytes`, maxBytes },
    ]);
  }
}

/** The content is none of the accepted types, or not the type its name or declared type claims: 415. */
export class UnsupportedFileTypeError extends DomainError {
  constructor(reason: string) {
    super(
      ErrorCode.UnsupportedMediaType,
      `${reason}. Accepted: PDF, PNG, JPEG, GIF, WebP, Word/Excel/PowerPoint (Office Open XML), ` +
        'OpenDocument, CSV or plain UTF-8 text, MP4',
      [{ field: 'file', message: reason }],
    );
  }
}

/** The body is not usable multipart/form-data (wrong content type, no boundary, cut short): 400. */
export class MalformedMultipartError extends DomainError {
  constructor(message: string) {
    super(ErrorCode.MalformedMultipart, message);
  }
}

/** Over EVIDENCE_QUOTA_BYTES for the case: 413; nothing is stored. */
export class EvidenceQuotaExceededError extends DomainError {
  constructor(quotaBytes: number, remainingBytes: number) {
    super(
      ErrorCode.EvidenceQuotaExceeded,
      `The case's evidence quota of ${quotaBytes} bytes would be exceeded; ${remainingBytes} bytes are left`,
      [{ field: 'file', message: `must be at most ${remainingBytes} bytes`, quotaBytes, remainingBytes }],
    );
  }
}
