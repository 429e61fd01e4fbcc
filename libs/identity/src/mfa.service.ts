import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { type Actor, NotFoundError } from '@app/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { MfaEnrolmentDto, RecoveryCodesDto } from './dto/mfa.dto';
import { UserEntity } from './entities/user.entity';
import { InvalidMfaCodeError, MfaAlreadyEnabledError, MfaNotEnabledError } from './identity.errors';
import { LoginThrottle } from './login-throttle';
import { lockManagedUser } from './managed-user.util';
import { MfaFactor } from './mfa-factor';
import { SessionsService } from './sessions.service';

interface UserSecrets {
  id: string;
  email: string;
  mfaSecret: string | null;
  mfaPendingSecret: string | null;
  mfaEnabledAt: Date | null;
  mfaLastTimeStep: string | null;
}

/** The signed-in user's second factor (enrol, confirm, disable) and its reset by an admin. */
@Injectable()
export class MfaService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly factor: MfaFactor,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /** Starts (or restarts) an enrolment: a new secret, pending until a code confirms it. */
  async startEnrolment(actor: Actor): Promise<MfaEnrolmentDto> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.lockSecrets(manager, actor.userId);
      if (user.mfaEnabledAt) throw new MfaAlreadyEnabledError();
      const enrolment = await this.factor.newEnrolment(user.email);
      await manager
        .getRepository(UserEntity)
        .update({ id: user.id }, { mfaPendingSecret: this.factor.encrypt(enrolment.secret) });
      return enrolment;
    });
  }

  /**
   * Confirms the pending enrolment with a code; answers the recovery codes once. Every other session of
   * the user ends: one signed in by someone holding the password alone must not outlive the new factor.
   */
  async confirmEnrolment(actor: Actor, code: string): Promise<RecoveryCodesDto> {
    const userId = actor.userId ?? '';
    const recoveryCodes = await this.dataSource.transaction(async (manager) => {
      // The row lock first: parallel attempts for the user queue here and each sees the failures before it.
      const user = await this.lockSecrets(manager, userId);
      await this.throttle.assertMfaAllowed(manager, user.id);
      if (user.mfaEnabledAt) throw new MfaAlreadyEnabledError();
      if (!user.mfaPendingSecret) {
        throw new MfaNotEnabledError('No enrolment was started; POST /api/v1/me/mfa first');
      }
      if (
        !(await this.factor.acceptCode(manager, user.id, user.mfaPendingSecret, code, user.mfaLastTimeStep))
      ) {
        // Counted in this transaction, which commits; the 401 is answered after it.
        await this.throttle.recordMfaFailure(manager, user.id);
        return undefined;
      }
      await this.throttle.recordMfaSuccess(manager, user.id);
      await manager
        .getRepository(UserEntity)
        .update(
          { id: user.id },
          { mfaSecret: user.mfaPendingSecret, mfaPendingSecret: null, mfaEnabledAt: new Date() },
        );
      const codes = await this.factor.issueRecoveryCodes(manager, user.id);
      const sessionsEnded = await this.sessions.revokeOtherSessionsOfUser(
        manager,
        user.id,
        actor.sessionId,
        'mfa_changed',
      );
      await this.audit.record(manager, actor, {
        entityType: 'user',
        entityId: user.id,
        action: 'user.mfa_enabled',
        data: { method: 'totp', during: 'settings', sessionsEnded },
      });
      return codes;
    });
    if (!recoveryCodes) throw new InvalidMfaCodeError();
    return { recoveryCodes };
  }

  /** Turns the second factor off; needs a current code. Every other session of the user ends. */
  async disable(actor: Actor, code: string): Promise<void> {
    const userId = actor.userId ?? '';
    const isDisabled = await this.dataSource.transaction(async (manager) => {
      const user = await this.lockSecrets(manager, userId);
      await this.throttle.assertMfaAllowed(manager, user.id);
      if (!user.mfaEnabledAt || !user.mfaSecret) throw new MfaNotEnabledError();
      if (!(await this.factor.acceptCode(manager, user.id, user.mfaSecret, code, user.mfaLastTimeStep))) {
        await this.throttle.recordMfaFailure(manager, user.id);
        return false;
      }
      await this.throttle.recordMfaSuccess(manager, user.id);
      await this.clear(manager, user.id);
      const sessionsEnded = await this.sessions.revokeOtherSessionsOfUser(
        manager,
        user.id,
        actor.sessionId,
        'mfa_changed',
      );
      await this.audit.record(manager, actor, {
        entityType: 'user',
        entityId: user.id,
        action: 'user.mfa_disabled',
        data: { sessionsEnded },
      });
      return true;
    });
    if (!isDisabled) throw new InvalidMfaCodeError();
  }

  /** An admin removes a user's second factor (lost device); every session of the user ends. */
  async reset(actor: Actor, organizationId: string, userId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const { user } = await lockManagedUser(manager, actor, organizationId, userId);
      await this.clear(manager, user.id);
      const sessionsEnded = await this.sessions.revokeAllOfUser(manager, user.id, 'mfa_reset');
      await this.audit.record(manager, actor, {
        entityType: 'user',
        entityId: user.id,
        action: 'user.mfa_reset',
        data: { organizationId, wasEnabled: user.mfaEnabledAt !== null, sessionsEnded },
      });
    });
  }

  private async clear(manager: EntityManager, userId: string): Promise<void> {
    await manager
      .getRepository(UserEntity)
      .update(
        { id: userId },
        { mfaSecret: null, mfaPendingSecret: null, mfaEnabledAt: null, mfaLastTimeStep: null },
      );
    await this.factor.removeRecoveryCodes(manager, userId);
  }

  private async lockSecrets(manager: EntityManager, userId: string | null): Promise<UserSecrets> {
    const user = await manager
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .select(['u.id', 'u.email', 'u.mfaSecret', 'u.mfaPendingSecret', 'u.mfaEnabledAt', 'u.mfaLastTimeStep'])
      .where('u.id = :id', { id: userId })
      .setLock('pessimistic_write')
      .getOne();
    if (!user) throw new NotFoundError('User');
    return user;
  }
}
