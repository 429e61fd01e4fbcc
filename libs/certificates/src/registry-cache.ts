// The public responses already allow any cache to keep them 60 s; in-process entries live far shorter.
const TTL_MS = 5_000;
const MAX_ENTRIES = 500;

interface Entry {
  expiresAt: number;
  value: Promise<unknown>;
}

/**
 * Registry results recently read, shared by every reader in this process: the public registry is read
 * far more often than certificates change. Concurrent misses of one key share a single query; a failed
 * read is not kept; the oldest entries make room beyond MAX_ENTRIES.
 */
export class RegistryCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = TTL_MS,
    private readonly maxEntries = MAX_ENTRIES,
    private readonly now: () => number = Date.now,
  ) {}

  remember<T>(key: string, read: () => Promise<T>): Promise<T> {
    const now = this.now();
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.value as Promise<T>;
    this.entries.delete(key);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(oldest);
    }
    const value = read();
    const entry: Entry = { expiresAt: now + this.ttlMs, value };
    this.entries.set(key, entry);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
