import { DomainError, ErrorCode } from '@app/common';

/** The case to pre-fill from is missing or another institution's (the same answer for both): 422. */
export class PrefillSourceNotFoundError extends DomainError {
  constructor() {
    super(ErrorCode.PrefillSourceNotFound, 'fromCaseId is not a case of this institution', [
      { field: 'fromCaseId', message: 'is not a case of the institution of this case' },
    ]);
  }
}
