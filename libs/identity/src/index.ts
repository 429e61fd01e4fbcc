export { AccountService } from './account.service';
export { AdminBootstrapService } from './admin-bootstrap.service';
export { AuthService } from './auth.service';
export * from './dto/auth.dto';
export * from './dto/me.dto';
export * from './dto/mfa.dto';
export * from './dto/organization.dto';
export * from './dto/session.dto';
export * from './dto/user.dto';
export {
  OrganizationEntity,
  type InstitutionProfile,
  type PendingOrganizationChange,
} from './entities/organization.entity';
export { RefreshTokenEntity } from './entities/refresh-token.entity';
export { PasswordResetTokenEntity } from './entities/password-reset-token.entity';
export { UserEntity } from './entities/user.entity';
export { UserSessionEntity } from './entities/user-session.entity';
export { IdentityModule } from './identity.module';
export { isLicenseValidOn } from './identity.mapper';
export { MfaChallengeService } from './mfa-challenge.service';
export { MfaService } from './mfa.service';
export { OrganizationsService } from './organizations.service';
export { PasswordHasher } from './password-hasher';
export { PasswordPolicy } from './password-policy';
export { PasswordResetService } from './password-reset.service';
export { hasPermission, Permission, ROLE_PERMISSIONS } from './permissions';
export { SessionHousekeepingService } from './session-housekeeping.service';
export { SessionsService } from './sessions.service';
export type { AccessTokenClaims, LoginClient } from './token.service';
export { UsersService } from './users.service';
