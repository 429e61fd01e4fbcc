import { DomainError, type ErrorDetail, ErrorCode } from '@app/common';

export class InvalidEditionDocumentError extends DomainError {
  constructor(details: ErrorDetail[]) {
    super(ErrorCode.InvalidEditionDocument, `The edition document has ${details.length} problem(s)`, details);
  }
}

export class EditionExistsError extends DomainError {
  constructor(id: string) {
    super(ErrorCode.AlreadyExists, `An edition with id ${id} already exists`, [
      { field: 'id', message: 'is already used by another edition' },
    ]);
  }
}

export class EditionAlreadyPublishedError extends DomainError {
  constructor(id: string) {
    super(
      ErrorCode.EditionAlreadyPublished,
      `Edition ${id} is already published; published editions never change`,
    );
  }
}
