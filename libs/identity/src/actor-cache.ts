import type { Actor } from '@app/common';

/** What resolving an access token reads of its user and session, when the session is live. */
export interface ActorRow {
  id: string;
  name: string;
  role: Actor['role'];
  organizationId: string;
  organizationKind: Actor['organizationKind'];
  isActive: boolean;
  passwordChangedAt: Date;
}

// A safety net only: every change is meant to reach the cache at once (see ActorCache).
const TIME_TO_LIVE_MS = 30_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  userId: string;
  row: Promise<ActorRow | undefined>;
  readAt: number;
}

/**
 * The user rows behind live sessions, read recently, so that a signed-in request needs no statement to
 * learn who is acting. Keyed by user and session: the token's own claims (issue time, methods) are
 * checked against the row on every request. Only a live session's row is kept (an unknown, revoked or
 * failed lookup is read again next time). Correctness rests on invalidation, not on the time to live:
 * `forgetUser` and `clear` are called after every committed change to a user or a session (in this
 * process by ActorCacheInvalidator, from other processes through PostgreSQL notifications), and drop
 * reads still under way too, so that a read that began before a change is never served after it.
 * Concurrent misses of one key share one read; the oldest entries make room beyond MAX_ENTRIES.
 */
export class ActorCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly timeToLiveMs = TIME_TO_LIVE_MS,
    private readonly maxEntries = MAX_ENTRIES,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The row of `userId` for `sessionId`, from memory when read in the last TIME_TO_LIVE_MS. */
  remember(
    userId: string,
    sessionId: string,
    read: () => Promise<ActorRow | undefined>,
  ): Promise<ActorRow | undefined> {
    const key = `${userId} ${sessionId}`;
    const now = this.now();
    const cached = this.entries.get(key);
    if (cached && now - cached.readAt < this.timeToLiveMs) return cached.row;
    if (cached) this.entries.delete(key);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(oldest);
    }
    const entry: Entry = { userId, row: read(), readAt: now };
    this.entries.set(key, entry);
    entry.row.then(
      (row) => {
        if (!row && this.entries.get(key) === entry) this.entries.delete(key);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.row;
  }

  /** Drops everything kept about the user: their account or one of their sessions changed. */
  forgetUser(userId: string): void {
    for (const [key, entry] of this.entries) {
      if (entry.userId === userId) this.entries.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
