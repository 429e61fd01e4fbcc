import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuthConfig } from '@app/config';
import { RateCounterStore } from '@app/database';
import { DataSource } from 'typeorm';
import { ActorCache } from './actor-cache';
import { RefreshTokenEntity } from './entities/refresh-token.entity';

// Spent and revoked tokens are kept a while so that reuse of a spent token is still recognised.
const RETENTION_DAYS_AFTER_EXPIRY = 7;

/** Removes refresh tokens that expired long enough ago to be of no further use. */
@Injectable()
export class SessionHousekeepingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly counters: RateCounterStore,
    private readonly config: AuthConfig,
    private readonly actors: ActorCache,
  ) {}

  async purgeExpiredRefreshTokens(now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - RETENTION_DAYS_AFTER_EXPIRY * 86_400_000);
    const result = await this.dataSource
      .getRepository(RefreshTokenEntity)
      .createQueryBuilder()
      .delete()
      .where('expires_at < :cutoff', { cutoff })
      .execute();
    // A session whose last refresh token is gone can no longer be used; its row goes with it.
    await this.dataSource.query(
      `DELETE FROM user_session s
       WHERE NOT EXISTS (SELECT 1 FROM refresh_token t WHERE t.family_id = s.id) AND s.created_at < $1`,
      [cutoff],
    );
    // Raw SQL passes by the TypeORM subscriber: this process forgets its resolved actors itself (other
    // processes hear of the removed sessions from PostgreSQL).
    this.actors.clear();
    // Rate-limit windows that ended and login failures long forgotten go with them.
    await this.counters.purgeExpired(this.config.loginFailureWindowSeconds);
    return result.affected ?? 0;
  }
}
