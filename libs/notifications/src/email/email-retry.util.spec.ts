import {
  describeEmailError,
  EMAIL_RETRY_DELAY_SECONDS,
  isPermanentEmailRejection,
  MAX_EMAIL_ATTEMPTS,
} from './email-retry.util';

function smtpError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('email retry', () => {
  describe('pg-boss back-off', () => {
    // pg-boss 10 (plans.js, failJobs): retry n starts after delay·2^n/2·(1 + random()) seconds.
    const bounds = (retry: number) => [
      (EMAIL_RETRY_DELAY_SECONDS * 2 ** retry) / 2,
      EMAIL_RETRY_DELAY_SECONDS * 2 ** retry,
    ];

    it('spreads the attempts over roughly half a day to a day before giving up', () => {
      let shortest = 0;
      let longest = 0;
      for (let retry = 1; retry < MAX_EMAIL_ATTEMPTS; retry += 1) {
        shortest += bounds(retry)[0];
        longest += bounds(retry)[1];
      }
      expect(bounds(1)).toEqual([300, 600]);
      expect(shortest / 3600).toBeGreaterThan(10);
      expect(longest / 3600).toBeLessThan(24);
    });
  });

  describe(isPermanentEmailRejection.name, () => {
    it('gives up on a 5xx refusal of the recipient or the message', () => {
      expect(
        isPermanentEmailRejection(
          smtpError('no such user', { code: 'EENVELOPE', responseCode: 550, permanent: true }),
        ),
      ).toBe(true);
      expect(
        isPermanentEmailRejection(
          smtpError('too big', { code: 'EMESSAGE', responseCode: 552, permanent: true }),
        ),
      ).toBe(true);
    });

    it('retries a 4xx reply, a refused login, a timeout and a dropped connection', () => {
      expect(
        isPermanentEmailRejection(
          smtpError('busy', { code: 'EENVELOPE', responseCode: 451, permanent: false }),
        ),
      ).toBe(false);
      expect(
        isPermanentEmailRejection(
          smtpError('bad login', { code: 'EAUTH', responseCode: 535, permanent: true }),
        ),
      ).toBe(false);
      expect(isPermanentEmailRejection(smtpError('timeout', { code: 'ETIMEDOUT' }))).toBe(false);
      expect(isPermanentEmailRejection(smtpError('refused', { code: 'ESOCKET' }))).toBe(false);
      expect(isPermanentEmailRejection('not an error')).toBe(false);
    });
  });

  describe(describeEmailError.name, () => {
    it('keeps the code, the reply code and the reply on one line', () => {
      expect(
        describeEmailError(
          smtpError('Message failed', {
            code: 'EENVELOPE',
            responseCode: 451,
            response: '451 4.3.0\r\n try later',
          }),
        ),
      ).toBe('EENVELOPE 451 4.3.0 try later');
      expect(describeEmailError(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toBe(
        'connect ECONNREFUSED 127.0.0.1:1',
      );
      expect(describeEmailError(new Error('x'.repeat(2000)))).toHaveLength(500);
    });
  });
});
