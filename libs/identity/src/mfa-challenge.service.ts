import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { type Actor, ValidationError } from '@app/common';
import { AuthConfig } from '@app/config';
import { DataSource, type EntityManager } from 'typeorm';
import type { MfaChallengeDto, MfaEnrolmentDto, MfaTokenPairDto } from './dto/mfa.dto';
import { UserEntity } from './entities/user.entity';
import { InvalidMfaChallengeError, InvalidMfaCodeError, MfaAlreadyEnabledError } from './identity.errors';
import { LoginThrottle } from './login-throttle';
import { MfaFactor } from './mfa-factor';
import { SessionsService } from './sessions.service';
import { type LoginClient, TokenService } from './token.service';

const CHALLENGE_AUDIENCE = 'cp-certification-mfa';
const CHALLENGE_TTL_SECONDS = 300;

type UserSecrets = Pick<
  UserEntity,
  'id' | 'mfaSecret' | 'mfaPendingSecret' | 'mfaLastTimeStep' | 'mfaEnabledAt'
>;

interface ChallengeClaims {
  sub: string;
  iat: number;
}

/** The second step of a login: the challenge answered after the password, enrolment on the way if due. */
@Injectable()
export class MfaChallengeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly config: AuthConfig,
    private readonly factor: MfaFactor,
    private readonly throttle: LoginThrottle,
    private readonly tokens: TokenService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /** Whether a second factor is due at login: the user set one up, or their role requires one. */
  isDue(user: UserEntity): boolean {
    return user.mfaEnabledAt !== null || this.config.mfaRequiredRoles.includes(user.role);
  }

  async issue(user: UserEntity): Promise<MfaChallengeDto> {
    // Its own audience: a challenge is never accepted as an access token, nor the reverse.
    const challengeToken = await this.jwt.signAsync(
      { sub: user.id },
      { audience: CHALLENGE_AUDIENCE, expiresIn: CHALLENGE_TTL_SECONDS },
    );
    return {
      mfaRequired: true,
      enrolmentRequired: user.mfaEnabledAt === null,
      challengeToken,
      expiresIn: CHALLENGE_TTL_SECONDS,
    };
  }

  /** Starts the enrolment of a user who must use a second factor and has none yet. */
  async enrol(challengeToken: string): Promise<MfaEnrolmentDto> {
    const user = await this.userOf(challengeToken);
    if (user.mfaEnabledAt) throw new MfaAlreadyEnabledError();
    const enrolment = await this.factor.newEnrolment(user.email);
    await this.dataSource
      .getRepository(UserEntity)
      .update({ id: user.id }, { mfaPendingSecret: this.factor.encrypt(enrolment.secret) });
    return enrolment;
  }

  /** Checks the code (or a recovery code) and starts the session, completing the enrolment if pending. */
  async complete(
    challengeToken: string,
    answer: { code?: string; recoveryCode?: string },
    client: LoginClient,
  ): Promise<MfaTokenPairDto> {
    if ((answer.code === undefined) === (answer.recoveryCode === undefined)) {
      throw new ValidationError('Send either code or recoveryCode', [
        { field: 'code', message: 'send either code or recoveryCode' },
      ]);
    }
    const user = await this.userOf(challengeToken);
    const actor = actorOf(user);
    const outcome = await this.dataSource.transaction(async (manager) => {
      // The row lock first: parallel attempts for the user queue here and each sees the failures before it.
      const secrets = await manager
        .getRepository(UserEntity)
        .createQueryBuilder('u')
        .select(['u.id', 'u.mfaSecret', 'u.mfaPendingSecret', 'u.mfaLastTimeStep', 'u.mfaEnabledAt'])
        .where('u.id = :id', { id: user.id })
        .setLock('pessimistic_write')
        .getOneOrFail();
      await this.throttle.assertMfaAllowed(manager, user.id);
      const accepted = await this.accept(manager, actor, secrets, answer);
      // A wrong answer is counted in this transaction, which commits; the 401 is answered after it.
      if (accepted) await this.throttle.recordMfaSuccess(manager, user.id);
      else await this.throttle.recordMfaFailure(manager, user.id);
      return accepted;
    });
    if (!outcome) throw new InvalidMfaCodeError(answer.recoveryCode !== undefined ? 'recoveryCode' : 'code');
    const pair = await this.tokens.issueForLogin(user, user.organization!, client, ['pwd', 'otp']);
    return outcome.recoveryCodes ? { ...pair, recoveryCodes: outcome.recoveryCodes } : pair;
  }

  /**
   * Checks the answer under the user's row lock; undefined when it is wrong. An enrolment completed here
   * ends every earlier session of the user, as turning MFA on in the settings ends the other sessions.
   */
  private async accept(
    manager: EntityManager,
    actor: Actor,
    secrets: UserSecrets,
    answer: { code?: string; recoveryCode?: string },
  ): Promise<{ recoveryCodes: string[] | undefined } | undefined> {
    const userId = secrets.id;
    if (secrets.mfaEnabledAt && secrets.mfaSecret) {
      if (answer.recoveryCode !== undefined) {
        if (!(await this.factor.spendRecoveryCode(manager, userId, answer.recoveryCode))) return undefined;
        await this.audit.record(manager, actor, {
          entityType: 'user',
          entityId: userId,
          action: 'user.mfa_recovery_code_used',
          data: {},
        });
        return { recoveryCodes: undefined };
      }
      const isAccepted = await this.factor.acceptCode(
        manager,
        userId,
        secrets.mfaSecret,
        answer.code ?? '',
        secrets.mfaLastTimeStep,
      );
      return isAccepted ? { recoveryCodes: undefined } : undefined;
    }
    // Enrolment at login: the first right code confirms the pending secret.
    if (!secrets.mfaPendingSecret || answer.code === undefined) return undefined;
    const isAccepted = await this.factor.acceptCode(
      manager,
      userId,
      secrets.mfaPendingSecret,
      answer.code,
      secrets.mfaLastTimeStep,
    );
    if (!isAccepted) return undefined;
    await manager
      .getRepository(UserEntity)
      .update(
        { id: userId },
        { mfaSecret: secrets.mfaPendingSecret, mfaPendingSecret: null, mfaEnabledAt: new Date() },
      );
    const recoveryCodes = await this.factor.issueRecoveryCodes(manager, userId);
    const sessionsEnded = await this.sessions.revokeAllOfUser(manager, userId, 'mfa_changed');
    await this.audit.record(manager, actor, {
      entityType: 'user',
      entityId: userId,
      action: 'user.mfa_enabled',
      data: { method: 'totp', during: 'login', sessionsEnded },
    });
    return { recoveryCodes };
  }

  /** The active user a valid, unexpired challenge names; a password change since voids it. */
  private async userOf(challengeToken: string): Promise<UserEntity> {
    let claims: ChallengeClaims;
    try {
      claims = await this.jwt.verifyAsync<ChallengeClaims>(challengeToken, { audience: CHALLENGE_AUDIENCE });
    } catch {
      throw new InvalidMfaChallengeError();
    }
    const user = await this.dataSource
      .getRepository(UserEntity)
      .findOne({ where: { id: claims.sub }, relations: { organization: true } });
    if (!user?.isActive || !user.organization) throw new InvalidMfaChallengeError();
    if (Math.floor(user.passwordChangedAt.getTime() / 1000) > claims.iat)
      throw new InvalidMfaChallengeError();
    return user;
  }
}

function actorOf(user: UserEntity): Actor {
  return {
    kind: 'user',
    userId: user.id,
    name: user.name,
    role: user.role,
    organizationId: user.organizationId,
    organizationKind: user.organization?.kind ?? null,
  };
}
