import { Injectable } from '@nestjs/common';
import { AuthConfig } from '@app/config';
import { type FailureBackOff, RateCounterStore } from '@app/database';
import type { EntityManager } from 'typeorm';
import { TooManyLoginFailuresError } from './identity.errors';

// An address may fail more often than one account: several people can share an office's address.
export const ADDRESS_FACTOR = 4;

/**
 * Failed logins, counted in PostgreSQL so that every API instance sees them, per account **and**
 * client address, and per client address across accounts. Past LOGIN_MAX_FAILURES a key is held back
 * by a delay that doubles with each further failure (up to LOGIN_FAILURE_WINDOW_SECONDS), answered as
 * 429 with Retry-After. The account itself is never blocked for everyone: a client that has not failed
 * (too often) still logs in with the right password, so nobody can lock the owner out from elsewhere.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly config: AuthConfig,
    private readonly counters: RateCounterStore,
  ) {}

  async assertAllowed(email: string, address: string): Promise<void> {
    const retryAfter = await this.counters.blockedSeconds([
      accountClientKey(email, address),
      clientKey(address),
    ]);
    if (retryAfter > 0) throw new TooManyLoginFailuresError(retryAfter);
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const backOff = (limit: number): FailureBackOff => ({
      limit,
      maxDelaySeconds: this.config.loginFailureWindowSeconds,
      forgetAfterSeconds: this.config.loginFailureWindowSeconds,
    });
    await this.counters.recordFailure([
      { key: accountClientKey(email, address), backOff: backOff(this.config.loginMaxFailures) },
      { key: clientKey(address), backOff: backOff(this.config.loginMaxFailures * ADDRESS_FACTOR) },
    ]);
  }

  async recordSuccess(email: string, address: string): Promise<void> {
    await this.counters.clearFailures(accountClientKey(email, address));
  }

  /**
   * Wrong second-factor codes of a user, from anywhere: a password holder may not try all codes. The MFA
   * counter is read and written in the caller's transaction, which holds the user's row lock: parallel
   * attempts queue on that lock and each one sees the failures of those before it. (Through the shared
   * counters' own connection, every parallel guess would pass the check before any failure was written;
   * and on the single-session embedded database a second connection is not available inside a transaction.)
   */
  async assertMfaAllowed(manager: EntityManager, userId: string): Promise<void> {
    const retryAfter = await this.counters.blockedSeconds([mfaKey(userId)], manager);
    if (retryAfter > 0) throw new TooManyLoginFailuresError(retryAfter);
  }

  /** Counts a wrong code; the caller commits it before answering 401 (see assertMfaAllowed). */
  async recordMfaFailure(manager: EntityManager, userId: string): Promise<void> {
    await this.counters.recordFailure(
      [
        {
          key: mfaKey(userId),
          backOff: {
            limit: this.config.loginMaxFailures,
            maxDelaySeconds: this.config.loginFailureWindowSeconds,
            forgetAfterSeconds: this.config.loginFailureWindowSeconds,
          },
        },
      ],
      manager,
    );
  }

  async recordMfaSuccess(manager: EntityManager, userId: string): Promise<void> {
    await this.counters.clearFailures(mfaKey(userId), manager);
  }
}

const mfaKey = (userId: string): string => `login:mfa:${userId}`;

const accountClientKey = (email: string, address: string): string => `login:account:${email}|${address}`;
const clientKey = (address: string): string => `login:client:${address}`;
