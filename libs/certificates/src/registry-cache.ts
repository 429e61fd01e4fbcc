// The public responses already allow any cache to keep them 60 s; in-process entries live far shorter.
const FRESH_MS = 5_000;
const STALE_MS = 5_000;
const MAX_ENTRIES = 500;

interface Entry {
  value: Promise<unknown>;
  readAt: number;
  isSettled: boolean;
  isRefreshing: boolean;
}

/**
 * Registry results recently read, shared by every reader in this process: the public registry is read
 * far more often than certificates change. An entry is fresh for FRESH_MS; for STALE_MS more, readers
 * get it at once while a single fresh read replaces it in the background, so that no burst of readers
 * waits on the database when an entry ages. Concurrent misses of one key share one read; a failed read
 * is not kept; the oldest entries make room beyond MAX_ENTRIES. `clear` drops everything, stale included.
 */
export class RegistryCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly freshMs = FRESH_MS,
    private readonly staleMs = STALE_MS,
    private readonly maxEntries = MAX_ENTRIES,
    private readonly now: () => number = Date.now,
  ) {}

  remember<T>(key: string, read: () => Promise<T>): Promise<T> {
    const now = this.now();
    const cached = this.entries.get(key);
    if (cached) {
      const age = now - cached.readAt;
      if (age < this.freshMs || !cached.isSettled) return cached.value as Promise<T>;
      if (age < this.freshMs + this.staleMs) {
        if (!cached.isRefreshing) this.refresh(key, cached, read);
        return cached.value as Promise<T>;
      }
    }
    return this.store(key, read, now).value as Promise<T>;
  }

  clear(): void {
    this.entries.clear();
  }

  private store(key: string, read: () => Promise<unknown>, readAt: number): Entry {
    this.entries.delete(key);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(oldest);
    }
    const entry: Entry = { value: read(), readAt, isSettled: false, isRefreshing: false };
    this.entries.set(key, entry);
    entry.value.then(
      () => {
        entry.isSettled = true;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry;
  }

  /** Reads the key again; the result replaces `stale` unless a clear or another read came first. */
  private refresh(key: string, stale: Entry, read: () => Promise<unknown>): void {
    stale.isRefreshing = true;
    const readAt = this.now();
    read().then(
      (value) => {
        if (this.entries.get(key) !== stale) return;
        this.entries.delete(key);
        this.entries.set(key, {
          value: Promise.resolve(value),
          readAt,
          isSettled: true,
          isRefreshing: false,
        });
      },
      () => {
        if (this.entries.get(key) === stale) this.entries.delete(key);
      },
    );
  }
}
