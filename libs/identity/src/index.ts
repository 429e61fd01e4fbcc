export { AccountService } from './account.service';
export { AdminBootstrapService } from './admin-bootstrap.service';
export { AuthService } from './auth.service';
export * from './dto/auth.dto';
export * from './dto/me.dto';
export * from './dto/organization.dto';
export * from './dto/user.dto';
export {
  OrganizationEntity,
  type InstitutionProfile,
  type PendingOrganizationChange,
} from './entities/organization.entity';
export { RefreshTokenEntity } from './entities/refresh-token.entity';
export { UserEntity } from './entities/user.entity';
export { IdentityModule } from './identity.module';
export { isLicenseValidOn } from './identity.mapper';
export { OrganizationsService } from './organizations.service';
export { PasswordHasher } from './password-hasher';
export { hasPermission, Permission, ROLE_PERMISSIONS } from './permissions';
export { SessionHousekeepingService } from './session-housekeeping.service';
export type { AccessTokenClaims } from './token.service';
export { UsersService } from './users.service';
