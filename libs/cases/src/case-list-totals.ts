// A safety net only: every change is meant to reach the totals at once (see CaseListTotals).
const TIME_TO_LIVE_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  total: number;
  readAt: number;
}

/**
 * The exact totals of case lists read recently, so that a page of a long list costs only its page: the
 * total is what made the lists of the secretariat, a certification body and a lead rater cost a count of
 * thousands of index entries on every request. Keyed by everything the count depends on (the caller's
 * visibility and the filters, not the page). Correctness rests on invalidation, not on the time to live:
 * `clear` is called after every committed change that can change a list's size (in this process by
 * CaseListTotalsInvalidator at commit, from other processes through PostgreSQL notifications), and a
 * total read by a statement that began before a clear is not kept (`begin`/`keep`), so that a count taken
 * before a change is never answered after it. The oldest entries make room beyond MAX_ENTRIES.
 */
export class CaseListTotals {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;

  constructor(
    private readonly timeToLiveMs = TIME_TO_LIVE_MS,
    private readonly maxEntries = MAX_ENTRIES,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The total kept for `key`, if read in the last TIME_TO_LIVE_MS and nothing changed since. */
  get(key: string): number | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.readAt < this.timeToLiveMs) return entry.total;
    this.entries.delete(key);
    return undefined;
  }

  /** Taken before the statement that counts: `keep` keeps its total only if nothing changed meanwhile. */
  begin(): number {
    return this.generation;
  }

  /** Keeps `total` for `key`, read by a statement that began at `token` (from `begin`). */
  keep(key: string, total: number, token: number): void {
    if (token !== this.generation) return;
    this.entries.delete(key);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(oldest);
    }
    this.entries.set(key, { total, readAt: this.now() });
  }

  /** Drops every total, and every count still under way: a list's size may have changed. */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
