import { ErrorCode } from '@app/common';

/** The one place where an error code becomes an HTTP status. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.MalformedJson:
    case ErrorCode.MalformedMultipart:
    case ErrorCode.InvalidEditionDocument:
      return 400;
    case ErrorCode.Unauthenticated:
    case ErrorCode.InvalidCredentials:
    case ErrorCode.InvalidRefreshToken:
    case ErrorCode.RefreshTokenReused:
      return 401;
    case ErrorCode.Forbidden:
    case ErrorCode.NotOnTeam:
      return 403;
    case ErrorCode.NotFound:
    case ErrorCode.RouteNotFound:
      return 404;
    case ErrorCode.StaleVersion:
    case ErrorCode.AlreadyExists:
    case ErrorCode.EmailTaken:
    case ErrorCode.EditionAlreadyPublished:
    case ErrorCode.EditionImmutable:
    case ErrorCode.IdempotencyKeyReused:
    case ErrorCode.IdempotencyRequestInProgress:
    case ErrorCode.InvalidTransition:
    case ErrorCode.CaseLocked:
    case ErrorCode.EvidenceLocked:
      return 409;
    case ErrorCode.PayloadTooLarge:
      return 413;
    case ErrorCode.UnsupportedMediaType:
      return 415;
    case ErrorCode.RoleNotAllowedForOrganization:
    case ErrorCode.OrganizationNotCertifier:
    case ErrorCode.OrganizationNotInstitution:
    case ErrorCode.WrongCurrentPassword:
    case ErrorCode.PasswordReused:
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
    case ErrorCode.LevelNotEarned:
    case ErrorCode.DecisionAccepted:
    case ErrorCode.AppealWindowClosed:
    case ErrorCode.AppealWindowOpen:
    case ErrorCode.AppealAlreadyMade:
    case ErrorCode.AppealReviewerNotIndependent:
    case ErrorCode.CaseCertified:
    case ErrorCode.CaseNotCertified:
    case ErrorCode.CertificateNotFound:
      return 422;
    case ErrorCode.TooManyRequests:
      return 429;
    case ErrorCode.DatabaseUnavailable:
    case ErrorCode.StorageUnavailable:
    case ErrorCode.NotReady:
      return 503;
    case ErrorCode.InternalError:
      return 500;
  }
}
