import { DomainError, type ErrorDetail, ErrorCode } from '@app/common';

/** An import with rows that cannot be applied: 422, nothing written; `details` name each bad line. */
export class ImportRowsInvalidError extends DomainError {
  constructor(invalidRows: { line: number; problems: string[] }[]) {
    super(
      ErrorCode.ImportRowsInvalid,
      `${invalidRows.length} row(s) cannot be imported; nothing was written (run a dry run for the report)`,
      invalidRows.slice(0, 200).map((row): ErrorDetail => ({
        field: `line ${row.line}`,
        message: row.problems.join('; '),
        line: row.line,
      })),
    );
  }
}

/** The uploaded file is neither CSV text nor an .xlsx workbook: 415. */
export class ImportFileUnreadableError extends DomainError {
  constructor(reason: string) {
    super(ErrorCode.UnsupportedMediaType, `The file is not a readable CSV or .xlsx workbook: ${reason}`, [
      { field: 'file', message: reason },
    ]);
  }
}

export class ImportFileTooLargeError extends DomainError {
  constructor(maxBytes: number) {
    super(ErrorCode.PayloadTooLarge, `The file is larger than the limit of ${maxBytes} bytes`, [
      { field: 'file', message: `must be at most ${maxBytes} bytes`, maxBytes },
    ]);
  }
}

export class MalformedUploadError extends DomainError {
  constructor(message: string) {
    super(ErrorCode.MalformedMultipart, message);
  }
}
