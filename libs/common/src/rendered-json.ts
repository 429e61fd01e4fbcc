/**
 * A JSON answer serialized once (`JSON.stringify`, as Express's `res.json` does) and kept to be sent
 * again as it is: the HTTP layer writes `json` with the JSON media type and the entity tag it computes
 * once and keeps in `etag`, so a conditional GET still answers 304. Only for a read whose answer is the
 * same for every caller allowed to see it.
 */
export class RenderedJson {
  /** Set by the HTTP layer the first time the answer is sent (Express's own ETag generator). */
  etag?: string;

  private constructor(readonly json: string) {}

  static of(value: unknown): RenderedJson {
    return new RenderedJson(JSON.stringify(value));
  }

  /** Bytes held (UTF-16 in memory), for bounding what is kept. */
  get size(): number {
    return this.json.length * 2;
  }
}

interface Kept {
  fingerprint: string;
  rendered: RenderedJson;
}

/**
 * Answers rendered for one state of what they show, one per key (say, a case): `fingerprint` names that
 * state exactly (a hash computed by the database in the statement that reads it), so an entry is never
 * wrong, only replaced when the state moves on. The least recently used entries make room beyond
 * `maxBytes` (UTF-16 bytes of the kept JSON).
 */
export class RenderedAnswers {
  private readonly entries = new Map<string, Kept>();
  private bytes = 0;

  constructor(private readonly maxBytes = 16 * 1024 * 1024) {}

  get size(): number {
    return this.entries.size;
  }

  /** The answer kept for `key` and the state it was rendered for. */
  get(key: string): Kept | undefined {
    const kept = this.entries.get(key);
    if (kept) {
      this.entries.delete(key);
      this.entries.set(key, kept);
    }
    return kept;
  }

  /** Keeps `rendered` as the answer for `key` in the state named `fingerprint`. */
  keep(key: string, fingerprint: string, rendered: RenderedJson): void {
    this.forget(key);
    if (rendered.size > this.maxBytes) return;
    for (const [oldest] of this.entries) {
      if (this.bytes + rendered.size <= this.maxBytes) break;
      this.forget(oldest);
    }
    this.entries.set(key, { fingerprint, rendered });
    this.bytes += rendered.size;
  }

  private forget(key: string): void {
    const kept = this.entries.get(key);
    if (!kept) return;
    this.entries.delete(key);
    this.bytes -= kept.rendered.size;
  }
}
