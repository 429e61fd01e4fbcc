import { ErrorCode } from '@app/common';

/** The one place where an error code becomes an HTTP status. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.MalformedJson:
    case ErrorCode.MalformedMultipart:
    case ErrorCode.InvalidEditionDocument:
    case ErrorCode.InvalidCrosswalk:
      return 400;
    case ErrorCode.Unauthenticated:
    case ErrorCode.InvalidCredentials:
    case ErrorCode.InvalidRefreshToken:
    case ErrorCode.RefreshTokenReused:
    case ErrorCode.InvalidResetToken:
    case ErrorCode.InvalidMfaChallenge:
    case ErrorCode.InvalidMfaCode:
      return 401;
    case ErrorCode.Forbidden:
    case ErrorCode.NotOnTeam:
    case ErrorCode.MfaRequired:
      return 403;
    case ErrorCode.NotFound:
    case ErrorCode.RouteNotFound:
      return 404;
    case ErrorCode.StaleVersion:
    case ErrorCode.AlreadyExists:
    case ErrorCode.EmailTaken:
    case ErrorCode.MfaAlreadyEnabled:
    case ErrorCode.EditionAlreadyPublished:
    case ErrorCode.EditionImmutable:
    case ErrorCode.CrosswalkAlreadyPublished:
    case ErrorCode.IdempotencyKeyReused:
    case ErrorCode.IdempotencyRequestInProgress:
    case ErrorCode.InvalidTransition:
    case ErrorCode.CaseLocked:
    case ErrorCode.EvidenceLocked:
    case ErrorCode.ConcurrentUpdate:
      return 409;
    case ErrorCode.PayloadTooLarge:
    case ErrorCode.EvidenceQuotaExceeded:
      return 413;
    case ErrorCode.UriTooLong:
      return 414;
    case ErrorCode.UnsupportedMediaType:
      return 415;
    case ErrorCode.HeadersTooLarge:
      return 431;
    case ErrorCode.RoleNotAllowedForOrganization:
    case ErrorCode.OrganizationNotCertifier:
    case ErrorCode.OrganizationNotInstitution:
    case ErrorCode.WrongCurrentPassword:
    case ErrorCode.PasswordReused:
    case ErrorCode.PasswordTooWeak:
    case ErrorCode.LastActiveAdmin:
    case ErrorCode.MfaNotEnabled:
    case ErrorCode.EditionNotPublished:
    case ErrorCode.CertifierNotLicensed:
    case ErrorCode.InstitutionProfileMissing:
    case ErrorCode.SelfAssessmentIncomplete:
    case ErrorCode.TeamMemberInvalid:
    case ErrorCode.ConflictOfInterest:
    case ErrorCode.CommitteeNotIndependent:
    case ErrorCode.TeamConflictUndeclared:
    case ErrorCode.MissionNotSet:
    case ErrorCode.UnknownIndicatorCodes:
    case ErrorCode.IndicatorNotApplicable:
    case ErrorCode.EvidenceNotInCase:
    case ErrorCode.CommitteeNotAssigned:
    case ErrorCode.UnratedIndicators:
    case ErrorCode.NonCompliantWithoutFinding:
    case ErrorCode.FindingsUnanswered:
    case ErrorCode.DecisionRuleNotMet:
    case ErrorCode.CaseNotDecided:
    case ErrorCode.LevelNotEarned:
    case ErrorCode.DecisionAccepted:
    case ErrorCode.AppealWindowClosed:
    case ErrorCode.AppealWindowOpen:
    case ErrorCode.AppealAlreadyMade:
    case ErrorCode.AppealReviewerNotIndependent:
    case ErrorCode.QuorumNotReached:
    case ErrorCode.CommitteeTied:
    case ErrorCode.AppealNotResolved:
    case ErrorCode.EscalationWindowClosed:
    case ErrorCode.EscalationWindowOpen:
    case ErrorCode.PreAssessmentNotPublishable:
    case ErrorCode.CaseCertified:
    case ErrorCode.CaseNotCertified:
    case ErrorCode.CertificateNotFound:
    case ErrorCode.CertificateNotHeld:
    case ErrorCode.CertificateNotCheckable:
    case ErrorCode.CertificateNotRenewable:
    case ErrorCode.EditionClosed:
    case ErrorCode.NoPendingChange:
    case ErrorCode.ImportRowsInvalid:
    case ErrorCode.ReportNotReady:
    case ErrorCode.ReferenceNotFound:
    case ErrorCode.WorkbookNotForCase:
    case ErrorCode.WorkbookStructureChanged:
    case ErrorCode.WorkbookUnreadable:
    case ErrorCode.WorkbookRowsInvalid:
    case ErrorCode.PrefillSourceNotFound:
    case ErrorCode.CrosswalkNotAvailable:
      return 422;
    case ErrorCode.TooManyRequests:
    case ErrorCode.RateLimited:
      return 429;
    case ErrorCode.DatabaseUnavailable:
    case ErrorCode.DatabaseBusy:
    case ErrorCode.StorageUnavailable:
    case ErrorCode.PdfRendererUnavailable:
    case ErrorCode.NotReady:
      return 503;
    case ErrorCode.InternalError:
      return 500;
  }
}

/**
 * The PostgreSQL errors a client's request can provoke, by SQLSTATE, as the error code they answer
 * (its status from `httpStatusOf`); undefined for anything else, which stays a logged 500 (or, for a
 * connection failure, 503 DATABASE_UNAVAILABLE).
 */
export function errorCodeOfSqlState(sqlState: string): ErrorCode | undefined {
  switch (sqlState) {
    case '40P01': // deadlock_detected
    case '40001': // serialization_failure
      return ErrorCode.ConcurrentUpdate;
    case '55P03': // lock_not_available (lock_timeout)
    case '57014': // query_canceled (statement_timeout)
      return ErrorCode.DatabaseBusy;
    case '23505': // unique_violation
    case '23P01': // exclusion_violation
      return ErrorCode.AlreadyExists;
    case '23503': // foreign_key_violation
      return ErrorCode.ReferenceNotFound;
    case '23502': // not_null_violation
    case '23514': // check_violation
      return ErrorCode.ValidationFailed;
  }
  switch (sqlState.slice(0, 2)) {
    case '22': // data_exception: invalid text, number, date, JSON, encoding…
      return ErrorCode.ValidationFailed;
    case '54': // program_limit_exceeded: too many parameters, too complex, index row too large
      return ErrorCode.PayloadTooLarge;
    default:
      return undefined;
  }
}
