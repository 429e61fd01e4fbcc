import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { type Actor, SYSTEM_ACTOR, sha256Hex } from '@app/common';
import { AuthConfig } from '@app/config';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import type { TokenPairDto } from './dto/auth.dto';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import type { OrganizationEntity } from './entities/organization.entity';
import type { UserEntity } from './entities/user.entity';
import { UserSessionEntity } from './entities/user-session.entity';
import { toMeDto } from './identity.mapper';
import { InvalidRefreshTokenError, RefreshTokenReusedError } from './identity.errors';
import { SessionsService } from './sessions.service';

export interface AccessTokenClaims {
  sub: string;
  org: string;
  role: string;
  /** The session (refresh-token family) the token belongs to. */
  sid: string;
  /** Authentication methods: `pwd`, or `pwd` and `otp`. */
  amr: string[];
  iat: number;
  exp: number;
}

/** Where a login comes from, kept on its session. */
export interface LoginClient {
  address: string;
  userAgent: string | null;
}

/** Issues access tokens and rotating refresh tokens; detects the reuse of a spent refresh token. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AuthConfig,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Starts a new session (a token family). */
  issueForLogin(
    user: UserEntity,
    organization: OrganizationEntity,
    client: LoginClient,
    authenticationMethods: readonly string[] = ['pwd'],
  ): Promise<TokenPairDto> {
    return this.dataSource.transaction(async (manager) => {
      const sessionId = randomUUID();
      await manager.getRepository(UserSessionEntity).insert({
        id: sessionId,
        userId: user.id,
        userAgent: client.userAgent?.slice(0, 500) ?? null,
        clientAddress: client.address.slice(0, 100),
        authenticationMethods: authenticationMethods.join(','),
        revokedAt: null,
        revokedReason: null,
      });
      return this.issue(manager, user, organization, sessionId, authenticationMethods);
    });
  }

  /** Spends `presented` and issues the next pair of the same session. */
  async rotate(presented: string): Promise<TokenPairDto> {
    const tokenHash = sha256Hex(presented);
    const outcome = await this.dataSource.transaction(async (manager) => {
      const tokens = manager.getRepository(RefreshTokenEntity);
      const token = await tokens.findOne({
        where: { tokenHash },
        relations: { user: { organization: true } },
      });
      if (!token || token.revokedAt !== null || token.expiresAt.getTime() <= Date.now())
        return 'invalid' as const;
      const spent = await tokens.update(
        { id: token.id, usedAt: IsNull(), revokedAt: IsNull() },
        { usedAt: new Date() },
      );
      if (spent.affected !== 1) {
        await this.revokeFamilyAfterReuse(manager, token);
        return 'reused' as const;
      }
      const user = token.user;
      if (!user?.isActive || !user.organization) return 'invalid' as const;
      const session = await manager
        .getRepository(UserSessionEntity)
        .findOneBy({ id: token.familyId, revokedAt: IsNull() });
      if (!session) return 'invalid' as const;
      await manager.getRepository(UserSessionEntity).update({ id: session.id }, { lastUsedAt: new Date() });
      return this.issue(
        manager,
        user,
        user.organization,
        session.id,
        session.authenticationMethods.split(','),
      );
    });
    if (outcome === 'invalid') throw new InvalidRefreshTokenError();
    if (outcome === 'reused') throw new RefreshTokenReusedError();
    return outcome;
  }

  /** Logout: ends the session the refresh token belongs to, when it is the caller's. */
  async endSessionOf(actor: Actor, presented: string): Promise<void> {
    const token = await this.dataSource
      .getRepository(RefreshTokenEntity)
      .findOne({ where: { tokenHash: sha256Hex(presented) } });
    if (!token || token.userId !== actor.userId) return;
    await this.dataSource.transaction(async (manager) => {
      if ((await this.sessions.revokeSession(manager, token.familyId, 'logout')) === 0) return;
      await this.audit.record(manager, actor, {
        entityType: 'user',
        entityId: token.userId,
        action: 'session.revoked',
        data: { sessionId: token.familyId, endReason: 'logout' },
      });
    });
  }

  private async revokeFamilyAfterReuse(manager: EntityManager, token: RefreshTokenEntity): Promise<void> {
    const revoked = await manager
      .getRepository(RefreshTokenEntity)
      .update({ familyId: token.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    await this.sessions.revokeSession(manager, token.familyId, 'refresh_token_reused');
    const user = token.user;
    await this.audit.record(manager, SYSTEM_ACTOR, {
      entityType: 'user',
      entityId: token.userId,
      action: 'refresh_token.reuse_detected',
      reason: 'A spent refresh token was presented again; its session and every token of it were revoked',
      data: { familyId: token.familyId, revokedTokens: revoked.affected ?? 0, email: user?.email ?? null },
    });
  }

  private async issue(
    manager: EntityManager,
    user: UserEntity,
    organization: OrganizationEntity,
    sessionId: string,
    authenticationMethods: readonly string[],
  ): Promise<TokenPairDto> {
    const refreshToken = randomBytes(32).toString('base64url');
    await manager.getRepository(RefreshTokenEntity).insert({
      id: randomUUID(),
      userId: user.id,
      familyId: sessionId,
      tokenHash: sha256Hex(refreshToken),
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlDays * 86_400_000),
      usedAt: null,
      revokedAt: null,
    });
    const accessToken = await this.jwt.signAsync(
      {
        sub: user.id,
        org: organization.id,
        role: user.role,
        sid: sessionId,
        amr: [...authenticationMethods],
      },
      { expiresIn: this.config.accessTokenTtlSeconds },
    );
    return {
      accessToken,
      refreshToken,
      expiresIn: this.config.accessTokenTtlSeconds,
      user: toMeDto(user, organization),
    };
  }
}
