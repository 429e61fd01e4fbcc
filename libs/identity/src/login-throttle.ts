import { Injectable } from '@nestjs/common';
import { AuthConfig } from '@app/config';
import { TooManyLoginFailuresError } from './identity.errors';

interface FailureWindow {
  count: number;
  startedAt: number;
}

// An address may fail more often than one account: several people can share an office's address.
const ADDRESS_FACTOR = 4;
const MAX_TRACKED_KEYS = 50_000;

/**
 * Counts failed logins per account and per client address within a window; past the limit, logins are
 * refused with 429 until the window ends, even with the right password. Kept in this process's memory.
 */
@Injectable()
export class LoginThrottle {
  private readonly failures = new Map<string, FailureWindow>();

  constructor(private readonly config: AuthConfig) {}

  assertAllowed(email: string, address: string, now = Date.now()): void {
    const retryAfter = Math.max(
      this.secondsBlocked(`account:${email}`, this.config.loginMaxFailures, now),
      this.secondsBlocked(`address:${address}`, this.config.loginMaxFailures * ADDRESS_FACTOR, now),
    );
    if (retryAfter > 0) throw new TooManyLoginFailuresError(retryAfter);
  }

  recordFailure(email: string, address: string, now = Date.now()): void {
    this.increment(`account:${email}`, now);
    this.increment(`address:${address}`, now);
  }

  recordSuccess(email: string): void {
    this.failures.delete(`account:${email}`);
  }

  private secondsBlocked(key: string, limit: number, now: number): number {
    const window = this.current(key, now);
    if (!window || window.count < limit) return 0;
    return Math.ceil((window.startedAt + this.config.loginFailureWindowSeconds * 1000 - now) / 1000);
  }

  private current(key: string, now: number): FailureWindow | undefined {
    const window = this.failures.get(key);
    if (window && now - window.startedAt >= this.config.loginFailureWindowSeconds * 1000) {
      this.failures.delete(key);
      return undefined;
    }
    return window;
  }

  private increment(key: string, now: number): void {
    const window = this.current(key, now);
    if (window) {
      window.count += 1;
      return;
    }
    if (this.failures.size >= MAX_TRACKED_KEYS) this.evictExpired(now);
    this.failures.set(key, { count: 1, startedAt: now });
  }

  private evictExpired(now: number): void {
    for (const key of [...this.failures.keys()]) this.current(key, now);
    if (this.failures.size >= MAX_TRACKED_KEYS) this.failures.clear();
  }
}
