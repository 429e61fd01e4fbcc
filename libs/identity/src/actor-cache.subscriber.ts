import { ClearOnCommitSubscriber } from '@app/database';
import type { RemoveEvent, UpdateEvent } from 'typeorm';
import type { ActorCache } from './actor-cache';
import { UserSessionEntity } from './entities/user-session.entity';
import { UserEntity } from './entities/user.entity';

/**
 * Clears this process's actor cache when an update or removal of users or sessions through TypeORM
 * commits (at once outside a transaction), before the request that made it is answered: a logout,
 * revocation, password change or reset, deactivation, role or MFA change is refused by the very next
 * request. After the commit, so that no read in between keeps what is about to change. A refresh, which
 * only moves a session's `lastUsedAt`, changes nothing an actor is made of and clears nothing. Writes by
 * other processes or by raw SQL reach the cache through PostgreSQL notifications (ActorChangeListener).
 */
export class ActorCacheInvalidator extends ClearOnCommitSubscriber {
  constructor(cache: ActorCache) {
    super('actorsChanged', () => cache.clear());
  }

  afterUpdate(event: UpdateEvent<unknown>): void {
    const target = event.metadata.target;
    if (target === UserSessionEntity && isRefreshOnly(event.entity)) return;
    if (target === UserEntity || target === UserSessionEntity) this.changed(event.queryRunner);
  }

  afterRemove(event: RemoveEvent<unknown>): void {
    const target = event.metadata.target;
    if (target === UserEntity || target === UserSessionEntity) this.changed(event.queryRunner);
  }
}

/** True for an update that sets a session's `lastUsedAt` and nothing else (a refresh). */
function isRefreshOnly(values: unknown): boolean {
  if (typeof values !== 'object' || values === null) return false;
  const columns = Object.keys(values);
  return columns.length === 1 && columns[0] === 'lastUsedAt';
}
