import type { NodemailerError } from 'nodemailer';

/** Attempts before an e-mail is given up as `failed`; the back-off spreads them over about a day. */
export const MAX_EMAIL_ATTEMPTS = 8;

const FIRST_RETRY_SECONDS = 60;
const LONGEST_RETRY_SECONDS = 6 * 3600;

/** Seconds to wait after the given number of failed attempts: 1, 4, 16, 64 minutes, then 4 h 16 min, then 6 h. */
export function emailRetryDelaySeconds(failedAttempts: number): number {
  const exponent = Math.max(0, failedAttempts - 1);
  return Math.min(LONGEST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 4 ** exponent);
}

/**
 * True when the SMTP server refused this very message for good (a 5xx reply to the recipient or the
 * content). A refused login, a timeout, a dropped connection or a 4xx reply may pass on a later try.
 */
export function isPermanentEmailRejection(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, permanent } = error as NodemailerError;
  return permanent === true && (code === 'EENVELOPE' || code === 'EMESSAGE');
}

/** A short, single-line account of a delivery error for the notification row (never the credentials). */
export function describeEmailError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 500);
  const { code, responseCode, response } = error as NodemailerError;
  // The server's reply starts with its code; without a reply, the message says what went wrong.
  const reply = response ?? (responseCode === undefined ? error.message : `${responseCode} ${error.message}`);
  return [code, reply]
    .filter((part): part is string => Boolean(part))
    .join(' ')
    .replace(/\s+/g, ' ')
    .slice(0, 500);
}
