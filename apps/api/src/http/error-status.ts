import { ErrorCode } from '@app/common';

/** The one place where an error code becomes an HTTP status. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.MalformedJson:
    case ErrorCode.InvalidEditionDocument:
      return 400;
    case ErrorCode.Unauthenticated:
    case ErrorCode.InvalidCredentials:
    case ErrorCode.InvalidRefreshToken:
    case ErrorCode.RefreshTokenReused:
      return 401;
    case ErrorCode.Forbidden:
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
