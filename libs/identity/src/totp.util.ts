import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Base32Plugin, CryptoPlugin } from '@otplib/core';
import { generate, verify, type VerifyResult } from '@otplib/totp';
import { generateTOTP } from '@otplib/uri';

/*
 * otplib 13 (RFC 6238) through its CommonJS packages with Node's own crypto and an RFC 4648 base32:
 * the `otplib` bundle's default plugins (@scure/base, @noble/hashes) ship ES modules only, which
 * Node can load but Jest's module registry cannot, and node:crypto needs no extra code in the image.
 */

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export const base32Plugin: Base32Plugin = {
  name: 'rfc4648',
  encode(data: Uint8Array): string {
    let bits = 0;
    let value = 0;
    let output = '';
    for (const byte of data) {
      value = (value << 8) | byte;
      bits += 8;
      while (bits >= 5) {
        output += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
    }
    if (bits > 0) output += BASE32_ALPHABET[(value << (5 - bits)) & 31];
    return output;
  },
  decode(text: string): Uint8Array {
    const clean = text.toUpperCase().replace(/=+$/, '').replace(/\s+/g, '');
    let bits = 0;
    let value = 0;
    const bytes: number[] = [];
    for (const character of clean) {
      const index = BASE32_ALPHABET.indexOf(character);
      if (index < 0) throw new Error('Invalid base32 character');
      value = (value << 5) | index;
      bits += 5;
      if (bits >= 8) {
        bytes.push((value >>> (bits - 8)) & 255);
        bits -= 8;
      }
    }
    return Uint8Array.from(bytes);
  },
};

export const nodeCryptoPlugin: CryptoPlugin = {
  name: 'node-crypto',
  algorithms: ['sha1', 'sha256', 'sha512'],
  hmac: (algorithm, key, data) => new Uint8Array(createHmac(algorithm, key).update(data).digest()),
  randomBytes: (length) => new Uint8Array(randomBytes(length)),
  constantTimeEqual(a, b) {
    const left = Buffer.from(a);
    const right = Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
  },
};

const PLUGINS = { crypto: nodeCryptoPlugin, base32: base32Plugin } as const;

/** A new 160-bit TOTP secret, base32-encoded as authenticator apps expect. */
export function newTotpSecret(): string {
  return base32Plugin.encode(nodeCryptoPlugin.randomBytes(20));
}

export function totpUri(issuer: string, label: string, secret: string): string {
  return generateTOTP({ issuer, label, secret });
}

/** The code of the time step containing `epochSeconds` (now by default). */
export function totpCode(secret: string, epochSeconds?: number): Promise<string> {
  return generate({ secret, ...PLUGINS, ...(epochSeconds === undefined ? {} : { epoch: epochSeconds }) });
}

export function verifyTotp(
  secret: string,
  token: string,
  options: { epochTolerance: number; afterTimeStep?: number },
): Promise<VerifyResult> {
  return verify({ secret, token, ...PLUGINS, ...options });
}
