import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { type Actor, SYSTEM_ACTOR, sha256Hex } from '@app/common';
import { HttpConfig, MailConfig } from '@app/config';
import { DataSource, type EntityManager, IsNull, MoreThan } from 'typeorm';
import type { PasswordResetIssuedDto } from './dto/user.dto';
import { PasswordResetTokenEntity } from './entities/password-reset-token.entity';
import { UserEntity } from './entities/user.entity';
import { InvalidResetTokenError } from './identity.errors';
import { lockManagedUser } from './managed-user.util';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { hasPermission, Permission } from './permissions';
import { SessionsService } from './sessions.service';

const RESET_TOKEN_TTL_MS = 24 * 3600 * 1000;

/**
 * Password reset by an admin: a one-time token, stored hashed, e-mailed to the user through the
 * notification outbox when SMTP is configured, shown once to the admin otherwise.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly mail: MailConfig,
    private readonly http: HttpConfig,
  ) {}

  async issue(actor: Actor, organizationId: string, userId: string): Promise<PasswordResetIssuedDto> {
    const resetToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + RESET_TOKEN_TTL_MS);
    const isEmailed = this.mail.smtp !== undefined;
    await this.dataSource.transaction(async (manager) => {
      const { user } = await lockManagedUser(manager, actor, organizationId, userId);
      // Only the newest token works.
      await manager
        .getRepository(PasswordResetTokenEntity)
        .update({ userId: user.id, usedAt: IsNull() }, { usedAt: new Date() });
      await manager.getRepository(PasswordResetTokenEntity).insert({
        userId: user.id,
        tokenHash: sha256Hex(resetToken),
        expiresAt,
        usedAt: null,
        issuedBy: actor.userId,
      });
      if (isEmailed) {
        // The notification row is the e-mail outbox; the worker sends it after commit.
        await manager.query(
          `INSERT INTO notification (user_id, kind, case_id, title, body) VALUES ($1, $2, NULL, $3, $4)`,
          [
            user.id,
            'account.password_reset',
            'Password reset',
            [
              'An administrator started a password reset for your account.',
              `Your one-time reset token, valid until ${expiresAt.toISOString()}: ${resetToken}`,
              `Set a new password with POST ${this.http.publicBaseUrl}/api/v1/auth/password-reset { resetToken, newPassword }.`,
            ].join('\n'),
          ],
        );
      }
      await this.audit.record(manager, actor, {
        entityType: 'user',
        entityId: user.id,
        action: 'user.password_reset_issued',
        data: {
          organizationId,
          expiresAt: expiresAt.toISOString(),
          delivery: isEmailed ? 'email' : 'shown_once',
        },
      });
    });
    return isEmailed
      ? { expiresAt: expiresAt.toISOString() }
      : { resetToken, expiresAt: expiresAt.toISOString() };
  }

  /**
   * Spends the token, sets the new password and ends every session of the user. The token is refused
   * (as an invalid one) when the user was deactivated or changed their password since it was issued, or
   * when its issuer is no longer an active admin allowed to manage the user's organization.
   */
  async reset(resetToken: string, newPassword: string): Promise<void> {
    const token = await this.dataSource.getRepository(PasswordResetTokenEntity).findOneBy({
      tokenHash: sha256Hex(resetToken),
      usedAt: IsNull(),
      expiresAt: MoreThan(new Date()),
    });
    const user = token && (await this.dataSource.getRepository(UserEntity).findOneBy({ id: token.userId }));
    if (!token || !user || !(await this.isHonoured(this.dataSource.manager, token, user))) {
      throw new InvalidResetTokenError();
    }
    this.policy.assertAcceptable(newPassword, user);
    const passwordHash = await this.hasher.hash(newPassword);
    await this.dataSource.transaction(async (manager) => {
      // Checked again under the user's lock: a deactivation or password change waits, or is seen here.
      const locked = await manager
        .getRepository(UserEntity)
        .findOne({ where: { id: user.id }, lock: { mode: 'pessimistic_write' } });
      if (!locked || !(await this.isHonoured(manager, token, locked))) throw new InvalidResetTokenError();
      const spent = await manager
        .getRepository(PasswordResetTokenEntity)
        .update({ id: token.id, usedAt: IsNull() }, { usedAt: new Date() });
      if (spent.affected !== 1) throw new InvalidResetTokenError();
      const changedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
      await manager
        .getRepository(UserEntity)
        .update(
          { id: user.id },
          { passwordHash, passwordChangedAt: changedAt, version: () => 'version + 1' },
        );
      const sessionsEnded = await this.sessions.revokeAllOfUser(manager, user.id, 'password_reset');
      await this.audit.record(manager, SYSTEM_ACTOR, {
        entityType: 'user',
        entityId: user.id,
        action: 'user.password_reset',
        reason: 'A one-time reset token issued by an admin was used',
        data: { tokenId: token.id, issuedBy: token.issuedBy, sessionsEnded },
      });
    });
  }

  /**
   * Whether an unused, unexpired token may still be used: its user is active and has not changed their
   * password since it was issued, and its issuer is still an active admin of the user's organization
   * (or an active secretariat admin).
   */
  private async isHonoured(
    manager: EntityManager,
    token: PasswordResetTokenEntity,
    user: UserEntity,
  ): Promise<boolean> {
    // Password change times are kept in whole seconds.
    if (!user.isActive || user.passwordChangedAt.getTime() > token.createdAt.getTime()) return false;
    if (!token.issuedBy) return false;
    const issuer = await manager.getRepository(UserEntity).findOneBy({ id: token.issuedBy });
    return (
      issuer !== null &&
      issuer.isActive &&
      hasPermission(issuer.role, Permission.UsersManage) &&
      (issuer.role === 'secretariat_admin' || issuer.organizationId === user.organizationId)
    );
  }
}
