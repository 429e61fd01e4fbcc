import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * Canonical JSON per RFC 8785 (JSON Canonicalization Scheme), by the `canonicalize` package: object
 * keys sorted by UTF-16 code units, no whitespace, numbers and strings as ECMAScript's JSON.stringify
 * writes them, `undefined` members dropped (`null` inside arrays), dates through `toJSON`. Two equal
 * values always encode to the same bytes, so their hashes can be compared, and anyone can recompute a
 * sealed package's hash with any JCS tool (see the README, "Well-kept parts").
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('Non-finite number');
  if (
    value === undefined ||
    typeof value === 'function' ||
    typeof value === 'symbol' ||
    typeof value === 'bigint'
  ) {
    throw new TypeError(`Cannot encode ${typeof value} as canonical JSON`);
  }
  try {
    return canonicalize(value) as string;
  } catch (error) {
    throw new TypeError(error instanceof Error ? error.message : String(error));
  }
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
