import { DomainError, type ErrorDetail, ErrorCode } from '@app/common';

/** A transition guard that does not hold: 422 with the guard's own code. */
export class GuardFailedError extends DomainError {
  constructor(code: ErrorCode, message: string, details: ErrorDetail[] = []) {
    super(code, message, details);
  }
}

export class InvalidTransitionError extends DomainError {
  constructor(action: string, status: string) {
    super(ErrorCode.InvalidTransition, `The action ${action} is not possible while the case is ${status}`, [
      { field: 'action', message: `not possible in status ${status}`, status },
    ]);
  }
}

export class CaseLockedError extends DomainError {
  constructor(what: string, status: string) {
    super(ErrorCode.CaseLocked, `${what} cannot change while the case is ${status}`, [
      { message: what, status },
    ]);
  }
}

export class NotOnTeamError extends DomainError {
  constructor(message = 'Only members of the case team may do this') {
    super(ErrorCode.NotOnTeam, message);
  }
}
