import { RegistryCache } from './registry-cache';

describe(RegistryCache.name, () => {
  let now: number;
  const cache = (maxEntries = 10) => new RegistryCache(1000, 1000, maxEntries, () => now);
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    now = 1_000_000;
  });

  describe('remember', () => {
    it('answers a key from memory while it is fresh', async () => {
      const registry = cache();
      const read = jest.fn().mockResolvedValueOnce('first').mockResolvedValueOnce('second');
      expect(await registry.remember('page', read)).toBe('first');
      now += 999;
      expect(await registry.remember('page', read)).toBe('first');
      expect(read).toHaveBeenCalledTimes(1);
    });

    it('answers the aged value at once while one fresh read replaces it', async () => {
      const registry = cache();
      const read = jest.fn().mockResolvedValueOnce('first').mockResolvedValueOnce('second');
      await registry.remember('page', read);
      now += 1500;
      const whileRefreshing = [registry.remember('page', read), registry.remember('page', read)];
      expect(await Promise.all(whileRefreshing)).toEqual(['first', 'first']);
      await settle();
      expect(await registry.remember('page', read)).toBe('second');
      expect(read).toHaveBeenCalledTimes(2);
    });

    it('waits for a fresh read once the value is older than its stale window', async () => {
      const registry = cache();
      const read = jest.fn().mockResolvedValueOnce('first').mockResolvedValueOnce('second');
      await registry.remember('page', read);
      now += 2000;
      expect(await registry.remember('page', read)).toBe('second');
    });

    it('reads once for concurrent callers of one key', async () => {
      const registry = cache();
      let finish: (value: string) => void = () => undefined;
      const read = jest.fn(() => new Promise<string>((resolve) => (finish = resolve)));
      const answers = Promise.all([registry.remember('page', read), registry.remember('page', read)]);
      finish('rows');
      expect(await answers).toEqual(['rows', 'rows']);
      expect(read).toHaveBeenCalledTimes(1);
    });

    it('does not keep a failed read', async () => {
      const registry = cache();
      const read = jest
        .fn()
        .mockRejectedValueOnce(new Error('connection lost'))
        .mockResolvedValueOnce('rows');
      await expect(registry.remember('page', read)).rejects.toThrow('connection lost');
      expect(await registry.remember('page', read)).toBe('rows');
    });

    it('drops the oldest entries beyond its size', async () => {
      const registry = cache(2);
      const read = jest.fn((key: string) => Promise.resolve(key));
      for (const key of ['a', 'b', 'c']) await registry.remember(key, () => read(key));
      await registry.remember('c', () => read('c'));
      await registry.remember('b', () => read('b'));
      await registry.remember('a', () => read('a'));
      expect(read.mock.calls.map(([key]) => key)).toEqual(['a', 'b', 'c', 'a']);
    });
  });

  describe('clear', () => {
    it('makes the next caller read again', async () => {
      const registry = cache();
      const read = jest.fn().mockResolvedValueOnce('before').mockResolvedValueOnce('after');
      await registry.remember('page', read);
      registry.clear();
      expect(await registry.remember('page', read)).toBe('after');
    });

    it('discards a background read that started before it', async () => {
      const registry = cache();
      let finishRefresh: (value: string) => void = () => undefined;
      const read = jest
        .fn()
        .mockResolvedValueOnce('old')
        .mockImplementationOnce(() => new Promise<string>((resolve) => (finishRefresh = resolve)))
        .mockResolvedValueOnce('after the write');
      await registry.remember('page', read);
      now += 1500;
      expect(await registry.remember('page', read)).toBe('old');
      registry.clear();
      expect(await registry.remember('page', read)).toBe('after the write');
      finishRefresh('read before the write');
      await settle();
      expect(await registry.remember('page', read)).toBe('after the write');
    });
  });
});
