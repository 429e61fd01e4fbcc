import type { QueryRunner, RemoveEvent, TransactionCommitEvent, UpdateEvent } from 'typeorm';
import { ActorCache, type ActorRow } from './actor-cache';
import { ActorCacheInvalidator } from './actor-cache.subscriber';
import { UserSessionEntity } from './entities/user-session.entity';
import { UserEntity } from './entities/user.entity';

const row = (id: string, name = 'Ada'): ActorRow => ({
  id,
  name,
  role: 'secretariat_officer',
  organizationId: 'org',
  organizationKind: 'secretariat',
  isActive: true,
  passwordChangedAt: new Date(0),
});

describe(ActorCache.name, () => {
  let now: number;
  const cache = (maxEntries = 10) => new ActorCache(30_000, maxEntries, () => now);
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    now = 1_000_000;
  });

  describe('remember', () => {
    it('reads a user and session once while the entry is younger than its time to live', async () => {
      const actors = cache();
      const read = jest.fn().mockResolvedValueOnce(row('u1')).mockResolvedValueOnce(row('u1', 'Bea'));
      expect((await actors.remember('u1', 's1', read))?.name).toBe('Ada');
      now += 29_999;
      expect((await actors.remember('u1', 's1', read))?.name).toBe('Ada');
      expect(read).toHaveBeenCalledTimes(1);
      now += 1;
      expect((await actors.remember('u1', 's1', read))?.name).toBe('Bea');
    });

    it('shares one read between concurrent misses of a session and keeps sessions apart', async () => {
      const actors = cache();
      const read = jest.fn().mockResolvedValue(row('u1'));
      await Promise.all([actors.remember('u1', 's1', read), actors.remember('u1', 's1', read)]);
      await actors.remember('u1', 's2', read);
      expect(read).toHaveBeenCalledTimes(2);
    });

    it('keeps neither a session found dead nor a failed read', async () => {
      const actors = cache();
      const read = jest.fn().mockResolvedValueOnce(undefined).mockRejectedValueOnce(new Error('down'));
      expect(await actors.remember('u1', 's1', read)).toBeUndefined();
      await settle();
      await expect(actors.remember('u1', 's1', read)).rejects.toThrow('down');
      await settle();
      expect(actors.size).toBe(0);
    });

    it('makes room by dropping the oldest entries beyond its bound', async () => {
      const actors = cache(2);
      const read = jest.fn((userId: string) => Promise.resolve(row(userId)));
      for (const userId of ['u1', 'u2', 'u3']) await actors.remember(userId, 's', () => read(userId));
      expect(actors.size).toBe(2);
      await actors.remember('u1', 's', () => read('u1'));
      expect(read).toHaveBeenCalledTimes(4);
    });
  });

  describe('forgetUser', () => {
    it("reads a user's sessions again after a change to them, and no one else's", async () => {
      const actors = cache();
      const read = jest.fn((userId: string) => Promise.resolve(row(userId)));
      await actors.remember('u1', 's1', () => read('u1'));
      await actors.remember('u1', 's2', () => read('u1'));
      await actors.remember('u2', 's3', () => read('u2'));
      actors.forgetUser('u1');
      expect(actors.size).toBe(1);
      await actors.remember('u1', 's1', () => read('u1'));
      await actors.remember('u2', 's3', () => read('u2'));
      expect(read.mock.calls.map(([userId]) => userId)).toEqual(['u1', 'u1', 'u2', 'u1']);
    });

    it('never serves, after the change, a read that began before it', async () => {
      const actors = cache();
      let finishStaleRead: (value: ActorRow) => void = () => undefined;
      const staleRead = new Promise<ActorRow>((resolve) => (finishStaleRead = resolve));
      const before = actors.remember('u1', 's1', () => staleRead);
      actors.forgetUser('u1');
      const after = actors.remember('u1', 's1', () => Promise.resolve({ ...row('u1'), isActive: false }));
      finishStaleRead(row('u1'));
      expect((await before)?.isActive).toBe(true);
      expect((await after)?.isActive).toBe(false);
      await settle();
      expect((await actors.remember('u1', 's1', () => Promise.resolve(row('u1'))))?.isActive).toBe(false);
    });
  });

  describe('clear', () => {
    it('drops every entry, reads under way included', async () => {
      const actors = cache();
      const read = jest.fn().mockResolvedValue(row('u1'));
      void actors.remember('u1', 's1', read);
      await actors.remember('u2', 's1', read);
      actors.clear();
      await actors.remember('u1', 's1', read);
      await actors.remember('u2', 's1', read);
      expect(read).toHaveBeenCalledTimes(4);
    });
  });
});

describe(ActorCacheInvalidator.name, () => {
  const setUp = () => {
    const actors = new ActorCache();
    const clear = jest.spyOn(actors, 'clear');
    const queryRunner = { isTransactionActive: true, data: {} } as unknown as QueryRunner & {
      isTransactionActive: boolean;
    };
    return { invalidator: new ActorCacheInvalidator(actors), clear, queryRunner };
  };
  const update = (queryRunner: QueryRunner, target: unknown, entity: unknown) =>
    ({ queryRunner, metadata: { target }, entity }) as unknown as UpdateEvent<unknown>;
  const commit = (queryRunner: QueryRunner) => ({ queryRunner }) as TransactionCommitEvent;

  it('clears the cache when a transaction that deactivated a user commits, not before', () => {
    const { invalidator, clear, queryRunner } = setUp();
    invalidator.afterUpdate(update(queryRunner, UserEntity, { isActive: false }));
    expect(clear).not.toHaveBeenCalled();
    queryRunner.isTransactionActive = false;
    invalidator.afterTransactionCommit(commit(queryRunner));
    expect(clear).toHaveBeenCalledTimes(1);
  });

  it('clears at once a session revoked or removed outside a transaction', () => {
    const { invalidator, clear, queryRunner } = setUp();
    queryRunner.isTransactionActive = false;
    invalidator.afterUpdate(update(queryRunner, UserSessionEntity, { revokedAt: new Date() }));
    invalidator.afterRemove({
      queryRunner,
      metadata: { target: UserSessionEntity },
    } as unknown as RemoveEvent<unknown>);
    expect(clear).toHaveBeenCalledTimes(2);
  });

  it('clears nothing for a refresh, a rolled-back change or another entity', () => {
    const { invalidator, clear, queryRunner } = setUp();
    invalidator.afterUpdate(update(queryRunner, UserSessionEntity, { lastUsedAt: new Date() }));
    invalidator.afterUpdate(update(queryRunner, class Other {}, { name: 'x' }));
    queryRunner.isTransactionActive = false;
    invalidator.afterTransactionCommit(commit(queryRunner));
    queryRunner.isTransactionActive = true;
    invalidator.afterUpdate(update(queryRunner, UserEntity, { role: 'secretariat_admin' }));
    queryRunner.isTransactionActive = false;
    invalidator.afterTransactionRollback(commit(queryRunner));
    invalidator.afterTransactionCommit(commit(queryRunner));
    expect(clear).not.toHaveBeenCalled();
  });
});
