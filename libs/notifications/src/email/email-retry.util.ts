import type { NodemailerError } from 'nodemailer';

/** Attempts before an e-mail is given up as `failed` (pg-boss: the first try and 7 retries). */
export const MAX_EMAIL_ATTEMPTS = 8;

/**
 * pg-boss's back-off base: retry n waits between `delay·2^(n-1)` and twice that (random), i.e. 5–10 min,
 * 10–20 min, … 5 h 20–10 h 40 for the 7th: the 8 attempts span about 10 to 21 hours.
 */
export const EMAIL_RETRY_DELAY_SECONDS = 300;

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
