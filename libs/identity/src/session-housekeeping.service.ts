import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RefreshTokenEntity } from './entities/refresh-token.entity';

// Spent and revoked tokens are kept a while so that reuse of a spent token is still recognised.
const RETENTION_DAYS_AFTER_EXPIRY = 7;

/** Removes refresh tokens that expired long enough ago to be of no further use. */
@Injectable()
export class SessionHousekeepingService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async purgeExpiredRefreshTokens(now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - RETENTION_DAYS_AFTER_EXPIRY * 86_400_000);
    const result = await this.dataSource
      .getRepository(RefreshTokenEntity)
      .createQueryBuilder()
      .delete()
      .where('expires_at < :cutoff', { cutoff })
      .execute();
    return result.affected ?? 0;
  }
}
