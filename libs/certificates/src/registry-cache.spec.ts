import { RegistryCache } from './registry-cache';

describe(RegistryCache.name, () => {
  let now: number;
  const cache = (ttlMs = 1000, maxEntries = 10) => new RegistryCache(ttlMs, maxEntries, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  describe('remember', () => {
    it('answers a key from memory until its time is up, then reads again', async () => {
      const registry = cache();
      const read = jest.fn().mockResolvedValueOnce('first').mockResolvedValueOnce('second');
      expect(await registry.remember('page', read)).toBe('first');
      now += 999;
      expect(await registry.remember('page', read)).toBe('first');
      now += 1;
      expect(await registry.remember('page', read)).toBe('second');
      expect(read).toHaveBeenCalledTimes(2);
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
      const registry = cache(1000, 2);
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
  });
});
