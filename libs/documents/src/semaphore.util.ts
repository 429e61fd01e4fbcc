/** Releases a slot taken from a `Semaphore`; calling it more than once has no further effect. */
export type Release = () => void;

/** At most `size` holders at a time; the others wait in arrival order. */
export class Semaphore {
  private free: number;
  private readonly waiting: { grant: (release: Release) => void }[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('A semaphore needs at least one slot');
    this.free = size;
  }

  /** How many callers wait for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Resolves with the release of a slot once one is free; rejects with the signal's reason when the
   * signal aborts first, and then holds no slot.
   */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (this.free > 0) {
      this.free -= 1;
      return Promise.resolve(this.releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter = {
        grant: (release: Release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.grant(this.releaser());
      else this.free += 1;
    };
  }
}
