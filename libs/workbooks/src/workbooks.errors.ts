import { DomainError, type ErrorDetail, ErrorCode } from '@app/common';

/** The upload is not a readable .xlsx workbook: 422 WORKBOOK_UNREADABLE. */
export class WorkbookUnreadableError extends DomainError {
  constructor(reason: string) {
    super(ErrorCode.WorkbookUnreadable, `The file is not a usable workbook: ${reason}`, [
      { field: 'file', message: reason },
    ]);
  }
}

/** Over a size, entry, expansion or row limit, refused before it is parsed: 413 PAYLOAD_TOO_LARGE. */
export class WorkbookTooLargeError extends DomainError {
  constructor(reason: string, limit: number) {
    super(ErrorCode.PayloadTooLarge, `The workbook is refused: ${reason}`, [
      { field: 'file', message: reason, limit },
    ]);
  }
}

/** A workbook of another case, another edition or of the other kind: 422 WORKBOOK_NOT_FOR_CASE. */
export class WorkbookNotForCaseError extends DomainError {
  constructor(reason: string) {
    super(ErrorCode.WorkbookNotForCase, `The workbook was not exported for this case: ${reason}`, [
      { field: 'file', message: reason },
    ]);
  }
}

/** Rows moved, deleted or added, or codes edited: 422 WORKBOOK_STRUCTURE_CHANGED. */
export class WorkbookStructureChangedError extends DomainError {
  constructor(details: ErrorDetail[]) {
    super(
      ErrorCode.WorkbookStructureChanged,
      'The rows of the workbook no longer match the exported structure (moved, deleted or added rows, or edited codes); export it again',
      details.slice(0, 50),
    );
  }
}

/** Applying a workbook with invalid rows: 422 WORKBOOK_ROWS_INVALID, nothing applied. */
export class WorkbookRowsInvalidError extends DomainError {
  constructor(details: ErrorDetail[]) {
    super(
      ErrorCode.WorkbookRowsInvalid,
      `${details.length} row(s) of the workbook are invalid; nothing was applied`,
      details.slice(0, 200),
    );
  }
}

/** Applying a workbook with rows changed on the server since export: 409 STALE_VERSION, nothing applied. */
export class WorkbookConflictError extends DomainError {
  constructor(details: ErrorDetail[]) {
    super(
      ErrorCode.StaleVersion,
      `${details.length} row(s) changed on the server since the workbook was exported; nothing was applied`,
      details.slice(0, 200),
    );
  }
}

/**
 * An edition workbook whose layout, cells or document are invalid: 422 WORKBOOK_ROWS_INVALID, nothing
 * imported; every problem names its sheet, row and column (and the document path where there is one).
 */
export class EditionWorkbookInvalidError extends DomainError {
  constructor(details: ErrorDetail[]) {
    super(
      ErrorCode.WorkbookRowsInvalid,
      `The edition workbook has ${details.length} problem(s); nothing was imported`,
      details.slice(0, 200),
    );
  }
}
