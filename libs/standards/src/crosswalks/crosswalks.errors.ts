import { DomainError, type ErrorDetail, ErrorCode } from '@app/common';

export class InvalidCrosswalkError extends DomainError {
  constructor(details: ErrorDetail[]) {
    super(ErrorCode.InvalidCrosswalk, `The crosswalk has ${details.length} problem(s)`, details);
  }
}

export class CrosswalkExistsError extends DomainError {
  constructor(id: string) {
    super(ErrorCode.AlreadyExists, `A crosswalk with id ${id} already exists`, [
      { field: 'id', message: 'is already used by another crosswalk' },
    ]);
  }
}

export class CrosswalkAlreadyPublishedError extends DomainError {
  constructor(id: string) {
    super(
      ErrorCode.CrosswalkAlreadyPublished,
      `Crosswalk ${id} is already published; published crosswalks never change`,
    );
  }
}

/** Publishing a crosswalk whose editions are not both published: 422 EDITION_NOT_PUBLISHED. */
export class CrosswalkEditionNotPublishedError extends DomainError {
  constructor(editionIds: string[]) {
    super(
      ErrorCode.EditionNotPublished,
      `A crosswalk is published once its editions are: ${editionIds.join(', ')} not published yet`,
      editionIds.map((id) => ({ field: 'editions', message: `${id} is not published` })),
    );
  }
}

/** Pre-fill across two editions with no published crosswalk between them: 422 CROSSWALK_NOT_AVAILABLE. */
export class CrosswalkNotAvailableError extends DomainError {
  constructor(from: string, to: string, crosswalkId?: string) {
    super(
      ErrorCode.CrosswalkNotAvailable,
      crosswalkId
        ? `Crosswalk ${crosswalkId} is not a published crosswalk between ${from} and ${to}`
        : `No published crosswalk leads from ${from} to ${to}`,
      [
        {
          field: crosswalkId ? 'crosswalkId' : 'fromCaseId',
          message: `no published crosswalk ${from} → ${to}`,
        },
      ],
    );
  }
}
