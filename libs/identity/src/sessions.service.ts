import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { type Actor, NotFoundError } from '@app/common';
import { DataSource, type EntityManager, IsNull, Not } from 'typeorm';
import type { SessionDto } from './dto/session.dto';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { UserSessionEntity } from './entities/user-session.entity';
import { toSessionDto } from './identity.mapper';

/** Why a session ended, kept on its row. */
export type SessionEndReason =
  | 'logout'
  | 'revoked_by_user'
  | 'refresh_token_reused'
  | 'password_changed'
  | 'password_reset'
  | 'user_deactivated'
  | 'mfa_reset'
  | 'mfa_changed';

/**
 * The caller's logins, and ending them. A revoked session refuses its access tokens at once, on every
 * API instance: the token's `sid` is checked against this table on each request.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The caller's sessions that can still be refreshed, newest first. */
  async listMine(actor: Actor): Promise<SessionDto[]> {
    const sessions = await this.dataSource
      .getRepository(UserSessionEntity)
      .createQueryBuilder('s')
      .where('s.user_id = :userId AND s.revoked_at IS NULL', { userId: actor.userId })
      .andWhere(
        `EXISTS (SELECT 1 FROM refresh_token t WHERE t.family_id = s.id AND t.used_at IS NULL
                 AND t.revoked_at IS NULL AND t.expires_at > now())`,
      )
      .orderBy('s.last_used_at', 'DESC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
    return sessions.map((session) => toSessionDto(session, actor.sessionId));
  }

  /** Ends one of the caller's own sessions; another user's session id answers 404. */
  async revokeMine(actor: Actor, sessionId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const session = await manager
        .getRepository(UserSessionEntity)
        .findOneBy({ id: sessionId, userId: actor.userId ?? undefined });
      if (!session) throw new NotFoundError('Session');
      if (session.revokedAt) return;
      await this.revokeSession(manager, sessionId, 'revoked_by_user');
      await this.audit.record(manager, actor, {
        entityType: 'user',
        entityId: session.userId,
        action: 'session.revoked',
        data: { sessionId, endReason: 'revoked_by_user' },
      });
    });
  }

  /** Ends one session: its refresh tokens and its access tokens are refused from now on. */
  async revokeSession(manager: EntityManager, sessionId: string, reason: SessionEndReason): Promise<number> {
    const revokedAt = new Date();
    const ended = await manager
      .getRepository(UserSessionEntity)
      .update({ id: sessionId, revokedAt: IsNull() }, { revokedAt, revokedReason: reason });
    await manager
      .getRepository(RefreshTokenEntity)
      .update({ familyId: sessionId, revokedAt: IsNull() }, { revokedAt });
    return ended.affected ?? 0;
  }

  /** Ends every session of the user. */
  async revokeAllOfUser(manager: EntityManager, userId: string, reason: SessionEndReason): Promise<number> {
    const revokedAt = new Date();
    const ended = await manager
      .getRepository(UserSessionEntity)
      .update({ userId, revokedAt: IsNull() }, { revokedAt, revokedReason: reason });
    await manager.getRepository(RefreshTokenEntity).update({ userId, revokedAt: IsNull() }, { revokedAt });
    return ended.affected ?? 0;
  }

  /** Ends every session of the user but `keptSessionId` (the caller's own, when acting from a session). */
  async revokeOtherSessionsOfUser(
    manager: EntityManager,
    userId: string,
    keptSessionId: string | undefined,
    reason: SessionEndReason,
  ): Promise<number> {
    if (keptSessionId === undefined) return this.revokeAllOfUser(manager, userId, reason);
    const revokedAt = new Date();
    const ended = await manager
      .getRepository(UserSessionEntity)
      .update({ userId, id: Not(keptSessionId), revokedAt: IsNull() }, { revokedAt, revokedReason: reason });
    await manager
      .getRepository(RefreshTokenEntity)
      .update({ userId, familyId: Not(keptSessionId), revokedAt: IsNull() }, { revokedAt });
    return ended.affected ?? 0;
  }

  /** True while the session exists, belongs to the user and was not revoked. */
  async isLive(sessionId: string, userId: string): Promise<boolean> {
    const [row] = await this.dataSource.query<unknown[]>(
      'SELECT 1 FROM user_session WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL',
      [sessionId, userId],
    );
    return row !== undefined;
  }
}
