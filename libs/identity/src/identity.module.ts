import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { AuthConfig } from '@app/config';
import { AccountService } from './account.service';
import { ActorCache } from './actor-cache';
import { ActorChangeListener } from './actor-change.listener';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { AuthService } from './auth.service';
import { OrganizationEntity } from './entities/organization.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { UserEntity } from './entities/user.entity';
import { UserSessionEntity } from './entities/user-session.entity';
import { MfaRecoveryCodeEntity } from './entities/mfa-recovery-code.entity';
import { MfaChallengeService } from './mfa-challenge.service';
import { MfaFactor } from './mfa-factor';
import { MfaService } from './mfa.service';
import { LoginThrottle } from './login-throttle';
import { OrganizationsService } from './organizations.service';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { PasswordResetService } from './password-reset.service';
import { PasswordResetTokenEntity } from './entities/password-reset-token.entity';
import { SessionHousekeepingService } from './session-housekeeping.service';
import { SessionsService } from './sessions.service';
import { TokenService } from './token.service';
import { UsersService } from './users.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      OrganizationEntity,
      UserEntity,
      RefreshTokenEntity,
      UserSessionEntity,
      PasswordResetTokenEntity,
      MfaRecoveryCodeEntity,
    ]),
    AuditModule,
    JwtModule.registerAsync({
      inject: [AuthConfig],
      useFactory: (config: AuthConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256', issuer: 'cp-certification', audience: 'cp-certification-api' },
        verifyOptions: {
          algorithms: ['HS256'],
          issuer: 'cp-certification',
          audience: 'cp-certification-api',
        },
      }),
    }),
  ],
  providers: [
    AccountService,
    { provide: ActorCache, useFactory: () => new ActorCache() },
    ActorChangeListener,
    AdminBootstrapService,
    AuthService,
    LoginThrottle,
    MfaChallengeService,
    MfaFactor,
    MfaService,
    OrganizationsService,
    PasswordHasher,
    PasswordPolicy,
    PasswordResetService,
    SessionHousekeepingService,
    SessionsService,
    TokenService,
    UsersService,
  ],
  exports: [
    AccountService,
    AdminBootstrapService,
    AuthService,
    MfaChallengeService,
    MfaService,
    OrganizationsService,
    PasswordHasher,
    PasswordPolicy,
    PasswordResetService,
    SessionHousekeepingService,
    SessionsService,
    UsersService,
  ],
})
export class IdentityModule {}
