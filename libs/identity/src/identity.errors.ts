import { DomainError, ErrorCode } from '@app/common';

export class InvalidCredentialsError extends DomainError {
  constructor() {
    super(ErrorCode.InvalidCredentials, 'Email or password is incorrect');
  }
}

export class TooManyLoginFailuresError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(ErrorCode.TooManyRequests, `Too many failed logins; try again in ${retryAfterSeconds} seconds`, [
      { message: 'retry later', retryAfterSeconds },
    ]);
  }
}

export class InvalidRefreshTokenError extends DomainError {
  constructor() {
    super(ErrorCode.InvalidRefreshToken, 'The refresh token is invalid or expired; log in again');
  }
}

export class RefreshTokenReusedError extends DomainError {
  constructor() {
    super(
      ErrorCode.RefreshTokenReused,
      'This refresh token was already used; every session of this login has been revoked. Log in again',
    );
  }
}

export class EmailTakenError extends DomainError {
  constructor(email: string) {
    super(ErrorCode.EmailTaken, `A user with email ${email} already exists`, [
      { field: 'email', message: 'is already in use' },
    ]);
  }
}

export class RoleNotAllowedError extends DomainError {
  constructor(role: string, kind: string) {
    super(
      ErrorCode.RoleNotAllowedForOrganization,
      `The role ${role} does not exist in a ${kind} organization`,
      [{ field: 'role', message: `must be a role of a ${kind} organization` }],
    );
  }
}

export class NotCertifierError extends DomainError {
  constructor() {
    super(ErrorCode.OrganizationNotCertifier, 'Only certification bodies hold a license');
  }
}

export class NotInstitutionError extends DomainError {
  constructor() {
    super(ErrorCode.OrganizationNotInstitution, 'Only institutions have a profile', [
      { field: 'profile', message: 'is only accepted for institutions' },
    ]);
  }
}

export class WrongCurrentPasswordError extends DomainError {
  constructor() {
    super(ErrorCode.WrongCurrentPassword, 'The current password is incorrect', [
      { field: 'currentPassword', message: 'does not match' },
    ]);
  }
}

export class PasswordReusedError extends DomainError {
  constructor() {
    super(ErrorCode.PasswordReused, 'The new password must differ from the current one', [
      { field: 'newPassword', message: 'must differ from the current password' },
    ]);
  }
}

export class LastActiveAdminError extends DomainError {
  constructor(field: 'isActive' | 'role') {
    super(
      ErrorCode.LastActiveAdmin,
      'This user is the last active admin of the organization; appoint another admin first',
      [{ field, message: 'would leave the organization without an active admin' }],
    );
  }
}

export class InvalidResetTokenError extends DomainError {
  constructor() {
    super(
      ErrorCode.InvalidResetToken,
      'The password reset token is invalid, used or expired; ask for a new one',
      [{ field: 'resetToken', message: 'is invalid, used or expired' }],
    );
  }
}

export class PasswordTooWeakError extends DomainError {
  constructor(field: string, problems: string[]) {
    super(
      ErrorCode.PasswordTooWeak,
      `The password is too weak: it ${problems.join('; it ')}`,
      problems.map((message) => ({ field, message })),
    );
  }
}

export class InvalidMfaChallengeError extends DomainError {
  constructor() {
    super(ErrorCode.InvalidMfaChallenge, 'The sign-in challenge is invalid or expired; log in again', [
      { field: 'challengeToken', message: 'is invalid or expired' },
    ]);
  }
}

export class InvalidMfaCodeError extends DomainError {
  constructor(field: 'code' | 'recoveryCode' = 'code') {
    super(ErrorCode.InvalidMfaCode, 'The code is wrong, expired or already used', [
      { field, message: 'is wrong, expired or already used' },
    ]);
  }
}

export class MfaAlreadyEnabledError extends DomainError {
  constructor() {
    super(ErrorCode.MfaAlreadyEnabled, 'A second factor is already set up; disable it first to enrol again');
  }
}

export class MfaNotEnabledError extends DomainError {
  constructor(message = 'No second factor is set up for this user') {
    super(ErrorCode.MfaNotEnabled, message);
  }
}
