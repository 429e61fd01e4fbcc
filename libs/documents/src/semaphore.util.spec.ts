import { Semaphore } from './semaphore.util';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe(Semaphore.name, () => {
  describe('acquire', () => {
    it('grants up to size slots at once and queues the rest in arrival order', async () => {
      const semaphore = new Semaphore(2);
      const order: string[] = [];
      const first = await semaphore.acquire();
      await semaphore.acquire();
      const third = semaphore.acquire().then((release) => (order.push('third'), release));
      const fourth = semaphore.acquire().then((release) => (order.push('fourth'), release));
      await tick();
      expect(order).toEqual([]);
      expect(semaphore.queued).toBe(2);

      first();
      await tick();
      expect(order).toEqual(['third']);
      (await third)();
      await tick();
      expect(order).toEqual(['third', 'fourth']);
      await fourth;
      expect(semaphore.queued).toBe(0);
    });

    it('rejects a waiter whose signal aborts and gives its place to the next one', async () => {
      const semaphore = new Semaphore(1);
      const held = await semaphore.acquire();
      const controller = new AbortController();
      const abandoned = semaphore.acquire(controller.signal);
      const patient = semaphore.acquire();
      controller.abort(new Error('too slow'));
      await expect(abandoned).rejects.toThrow('too slow');

      held();
      const release = await patient;
      release();
      // The slot is free again: an immediate acquire succeeds.
      await expect(semaphore.acquire()).resolves.toEqual(expect.any(Function));
    });

    it('rejects at once when the signal has already aborted', async () => {
      const semaphore = new Semaphore(1);
      await expect(semaphore.acquire(AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
      await expect(semaphore.acquire()).resolves.toEqual(expect.any(Function));
    });

    it('ignores a second release of the same slot', async () => {
      const semaphore = new Semaphore(1);
      const release = await semaphore.acquire();
      release();
      release();
      await semaphore.acquire();
      let granted = false;
      void semaphore.acquire().then(() => (granted = true));
      await tick();
      expect(granted).toBe(false);
    });
  });

  it('refuses a size below one', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
