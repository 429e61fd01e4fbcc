import { DomainError, ErrorCode } from '@app/common';
import { AuthConfig } from '@app/config';
import { TooManyLoginFailuresError } from './identity.errors';
import { LoginThrottle } from './login-throttle';

const MAX_FAILURES = 3;
const WINDOW_SECONDS = 60;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

const newThrottle = (): LoginThrottle =>
  new LoginThrottle(new AuthConfig('x'.repeat(32), 900, 30, MAX_FAILURES, WINDOW_SECONDS));

function failTimes(throttle: LoginThrottle, times: number, email: string, address: string, now = T0): void {
  for (let i = 0; i < times; i += 1) throttle.recordFailure(email, address, now);
}

function blockOf(action: () => void): TooManyLoginFailuresError {
  try {
    action();
  } catch (error) {
    if (error instanceof TooManyLoginFailuresError) return error;
    throw error;
  }
  throw new Error('expected the login to be throttled');
}

describe(LoginThrottle.name, () => {
  describe('assertAllowed', () => {
    it('allows an account below the limit', () => {
      const throttle = newThrottle();
      failTimes(throttle, MAX_FAILURES - 1, 'a@example.org', '10.0.0.1');
      expect(() => throttle.assertAllowed('a@example.org', '10.0.0.1', T0)).not.toThrow();
    });

    it('blocks an account at the limit with retryAfterSeconds until the window ends', () => {
      const throttle = newThrottle();
      failTimes(throttle, MAX_FAILURES, 'a@example.org', '10.0.0.1');
      const error = blockOf(() => throttle.assertAllowed('a@example.org', '10.0.0.9', T0 + 10_000));
      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe(ErrorCode.TooManyRequests);
      expect(error.retryAfterSeconds).toBe(WINDOW_SECONDS - 10);
      expect(error.details).toEqual([expect.objectContaining({ retryAfterSeconds: WINDOW_SECONDS - 10 })]);
    });

    it('rounds retryAfterSeconds up so that a retry never comes too early', () => {
      const throttle = newThrottle();
      failTimes(throttle, MAX_FAILURES, 'a@example.org', '10.0.0.1');
      expect(
        blockOf(() => throttle.assertAllowed('a@example.org', '10.0.0.1', T0 + 59_001)).retryAfterSeconds,
      ).toBe(1);
    });

    it('blocks the account from any address and leaves other accounts alone', () => {
      const throttle = newThrottle();
      failTimes(throttle, MAX_FAILURES, 'a@example.org', '10.0.0.1');
      expect(() => throttle.assertAllowed('a@example.org', '192.168.1.1', T0)).toThrow(
        TooManyLoginFailuresError,
      );
      expect(() => throttle.assertAllowed('b@example.org', '192.168.1.1', T0)).not.toThrow();
    });

    it('resets once the window has passed', () => {
      const throttle = newThrottle();
      failTimes(throttle, MAX_FAILURES, 'a@example.org', '10.0.0.1');
      expect(() =>
        throttle.assertAllowed('a@example.org', '10.0.0.1', T0 + WINDOW_SECONDS * 1000 - 1),
      ).toThrow(TooManyLoginFailuresError);
      expect(() =>
        throttle.assertAllowed('a@example.org', '10.0.0.1', T0 + WINDOW_SECONDS * 1000),
      ).not.toThrow();
    });

    it('starts a new window for failures after expiry instead of adding to the old count', () => {
      const throttle = newThrottle();
      failTimes(throttle, MAX_FAILURES - 1, 'a@example.org', '10.0.0.1');
      const later = T0 + WINDOW_SECONDS * 1000 + 1;
      throttle.recordFailure('a@example.org', '10.0.0.1', later);
      expect(() => throttle.assertAllowed('a@example.org', '10.0.0.1', later)).not.toThrow();
    });

    it('blocks an address at four times the account limit, whatever the accounts', () => {
      const throttle = newThrottle();
      const addressLimit = MAX_FAILURES * 4;
      for (let i = 0; i < addressLimit - 1; i += 1)
        throttle.recordFailure(`user${i}@example.org`, '10.0.0.1', T0);
      expect(() => throttle.assertAllowed('fresh@example.org', '10.0.0.1', T0)).not.toThrow();
      throttle.recordFailure('another@example.org', '10.0.0.1', T0);
      expect(() => throttle.assertAllowed('fresh@example.org', '10.0.0.1', T0)).toThrow(
        TooManyLoginFailuresError,
      );
      expect(() => throttle.assertAllowed('fresh@example.org', '10.0.0.2', T0)).not.toThrow();
    });
  });

  describe('recordSuccess', () => {
    it('resets the account counter', () => {
      const throttle = newThrottle();
      failTimes(throttle, MAX_FAILURES - 1, 'a@example.org', '10.0.0.1');
      throttle.recordSuccess('a@example.org');
      failTimes(throttle, MAX_FAILURES - 1, 'a@example.org', '10.0.0.2');
      expect(() => throttle.assertAllowed('a@example.org', '10.0.0.2', T0)).not.toThrow();
    });

    it('lifts a block on the account but not on the address', () => {
      const throttle = newThrottle();
      failTimes(throttle, MAX_FAILURES * 4, 'a@example.org', '10.0.0.1');
      throttle.recordSuccess('a@example.org');
      expect(() => throttle.assertAllowed('a@example.org', '10.0.0.2', T0)).not.toThrow();
      expect(() => throttle.assertAllowed('a@example.org', '10.0.0.1', T0)).toThrow(
        TooManyLoginFailuresError,
      );
    });
  });
});
