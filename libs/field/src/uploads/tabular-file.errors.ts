import { DomainError, ErrorCode } from '@app/common';

/** An import file with more data rows than an import takes: 413, refused before it is parsed whole. */
export class ImportFileTooManyRowsError extends DomainError {
  constructor(maxRows: number) {
    super(ErrorCode.PayloadTooLarge, `The file has more than ${maxRows} rows; split it`, [
      { field: 'file', message: `must have at most ${maxRows} rows after the header`, maxRows },
    ]);
  }
}
