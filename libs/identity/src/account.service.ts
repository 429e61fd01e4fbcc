import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { type Actor, NotFoundError } from '@app/common';
import { DatabaseNotifications } from '@app/database';
import { DataSource } from 'typeorm';
import { ActorCache, type ActorRow } from './actor-cache';
import type { MeDto } from './dto/me.dto';
import { UserEntity } from './entities/user.entity';
import { toMeDto } from './identity.mapper';
import { PasswordReusedError, WrongCurrentPasswordError } from './identity.errors';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { voidResetTokensOf } from './reset-token-voiding.util';
import { SessionsService } from './sessions.service';
import type { AccessTokenClaims } from './token.service';

/** The signed-in user's own account, and turning a verified token into an Actor. */
@Injectable()
export class AccountService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly policy: PasswordPolicy,
    private readonly audit: AuditService,
    private readonly cache: ActorCache,
    private readonly notifications: DatabaseNotifications,
  ) {}

  /**
   * The actor behind a verified access token, or null when the user is gone or deactivated, changed
   * their password after the token was issued, or the token's session was revoked (logout, reuse of a
   * refresh token, password change, MFA reset, deactivation). The user's row is read once per session and
   * kept in memory (ActorCache) while this process hears of every change to users and sessions: its own
   * writes clear the cache at commit and other processes' arrive as PostgreSQL notifications
   * (ActorChangeListener), so a revocation on one API instance holds on every other within milliseconds.
   * While the listening connection is down, every request reads the database as before.
   */
  async resolveActor(claims: Pick<AccessTokenClaims, 'sub' | 'iat' | 'sid' | 'amr'>): Promise<Actor | null> {
    // Tokens issued before sessions existed name none; they are refused and the client refreshes.
    if (typeof claims.sid !== 'string') return null;
    const userId = claims.sub;
    const sessionId = claims.sid;
    const user = this.notifications.isInStep
      ? await this.cache.remember(userId, sessionId, () => this.readActorRow(userId, sessionId))
      : await this.readActorRow(userId, sessionId);
    if (!user?.isActive) return null;
    if (Math.floor(user.passwordChangedAt.getTime() / 1000) > claims.iat) return null;
    return {
      kind: 'user',
      userId: user.id,
      name: user.name,
      role: user.role,
      organizationId: user.organizationId,
      organizationKind: user.organizationKind,
      sessionId,
      authenticationMethods: Array.isArray(claims.amr) ? claims.amr.map(String) : ['pwd'],
    };
  }

  /**
   * One statement: the user, their organization's kind and whether the session is live, as a plain row
   * (no entity hydration); nothing when the session is unknown, revoked or not the user's.
   */
  private async readActorRow(userId: string, sessionId: string): Promise<ActorRow | undefined> {
    const [user] = await this.dataSource.query<ActorRow[]>(
      `SELECT u.id, u.name, u.role, u.organization_id AS "organizationId", o.kind AS "organizationKind",
              u.is_active AS "isActive", u.password_changed_at AS "passwordChangedAt"
         FROM user_account u JOIN organization o ON o.id = u.organization_id
        WHERE u.id = $1
          AND EXISTS (SELECT 1 FROM user_session s WHERE s.id = $2 AND s.user_id = u.id AND s.revoked_at IS NULL)`,
      [userId, sessionId],
    );
    return user;
  }

  async getMe(actor: Actor): Promise<MeDto> {
    const user = await this.dataSource
      .getRepository(UserEntity)
      .findOne({ where: { id: actor.userId ?? undefined }, relations: { organization: true } });
    if (!user?.organization) throw new NotFoundError('User');
    return toMeDto(user, user.organization);
  }

  /** Sets a new password and ends every other session of the user. */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: actor.userId ?? undefined });
    if (!user) throw new NotFoundError('User');
    if (!(await this.hasher.verify(user.passwordHash, currentPassword)))
      throw new WrongCurrentPasswordError();
    if (currentPassword === newPassword) throw new PasswordReusedError();
    this.policy.assertAcceptable(newPassword, user);
    const passwordHash = await this.hasher.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      // Whole seconds: access tokens carry their issue time in seconds.
      const changedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
      await manager
        .getRepository(UserEntity)
        .update(
          { id: user.id },
          { passwordHash, passwordChangedAt: changedAt, version: () => 'version + 1' },
        );
      await this.sessions.revokeAllOfUser(manager, user.id, 'password_changed');
      // A reset token issued before the change must not set the password again afterwards.
      const resetTokensVoided = await voidResetTokensOf(manager, user.id);
      await this.audit.record(manager, actor, {
        entityType: 'user',
        entityId: user.id,
        action: 'user.password_changed',
        data: { sessionsRevoked: true, resetTokensVoided },
      });
    });
  }
}
