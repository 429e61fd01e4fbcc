import {
  describeEmailError,
  emailRetryDelaySeconds,
  isPermanentEmailRejection,
  MAX_EMAIL_ATTEMPTS,
} from './email-retry.util';

function smtpError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('email retry', () => {
  describe(emailRetryDelaySeconds.name, () => {
    it('waits 1, 4, 16 and 64 minutes, then at most 6 hours', () => {
      expect([1, 2, 3, 4, 5, 6, 7].map(emailRetryDelaySeconds)).toEqual([
        60, 240, 960, 3840, 15360, 21600, 21600,
      ]);
    });

    it('spreads the attempts over about a day before giving up', () => {
      let total = 0;
      for (let attempt = 1; attempt < MAX_EMAIL_ATTEMPTS; attempt += 1)
        total += emailRetryDelaySeconds(attempt);
      expect(total / 3600).toBeGreaterThan(12);
      expect(total / 3600).toBeLessThan(36);
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
