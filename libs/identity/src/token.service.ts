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
import { UserEntity } from './entities/user.entity';
import { toMeDto } from './identity.mapper';
import { InvalidRefreshTokenError, RefreshTokenReusedError } from './identity.errors';

export interface AccessTokenClaims {
  sub: string;
  org: string;
  role: string;
  iat: number;
  exp: number;
}

/** Issues access tokens and rotating refresh tokens; detects the reuse of a spent refresh token. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AuthConfig,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Starts a new token family (a login). */
  issueForLogin(user: UserEntity, organization: OrganizationEntity): Promise<TokenPairDto> {
    return this.dataSource.transaction((manager) => this.issue(manager, user, organization, randomUUID()));
  }

  /** Spends `presented` and issues the next pair of the same family. */
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
      return this.issue(manager, user, user.organization, token.familyId);
    });
    if (outcome === 'invalid') throw new InvalidRefreshTokenError();
    if (outcome === 'reused') throw new RefreshTokenReusedError();
    return outcome;
  }

  /** Ends the session the token belongs to, when it is the caller's. */
  async revokeFamilyOf(actor: Actor, presented: string): Promise<void> {
    const token = await this.dataSource
      .getRepository(RefreshTokenEntity)
      .findOne({ where: { tokenHash: sha256Hex(presented) } });
    if (!token || token.userId !== actor.userId) return;
    await this.dataSource
      .getRepository(RefreshTokenEntity)
      .update({ familyId: token.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  async revokeAllOfUser(manager: EntityManager, userId: string): Promise<void> {
    await manager
      .getRepository(RefreshTokenEntity)
      .update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  private async revokeFamilyAfterReuse(manager: EntityManager, token: RefreshTokenEntity): Promise<void> {
    const revoked = await manager
      .getRepository(RefreshTokenEntity)
      .update({ familyId: token.familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    const user = token.user;
    await this.audit.record(manager, SYSTEM_ACTOR, {
      entityType: 'user',
      entityId: token.userId,
      action: 'refresh_token.reuse_detected',
      reason: 'A spent refresh token was presented again; every token of its login was revoked',
      data: { familyId: token.familyId, revokedTokens: revoked.affected ?? 0, email: user?.email ?? null },
    });
  }

  private async issue(
    manager: EntityManager,
    user: UserEntity,
    organization: OrganizationEntity,
    familyId: string,
  ): Promise<TokenPairDto> {
    const refreshToken = randomBytes(32).toString('base64url');
    await manager.getRepository(RefreshTokenEntity).insert({
      id: randomUUID(),
      userId: user.id,
      familyId,
      tokenHash: sha256Hex(refreshToken),
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlDays * 86_400_000),
      usedAt: null,
      revokedAt: null,
    });
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, org: organization.id, role: user.role },
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
