import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { sha256Hex } from '@app/common';
import { AuthConfig } from '@app/config';
import * as QRCode from 'qrcode';
import { type EntityManager, IsNull } from 'typeorm';
import { MfaRecoveryCodeEntity } from './entities/mfa-recovery-code.entity';
import { newTotpSecret, totpUri, verifyTotp } from './totp.util';

const ISSUER = 'CP Certification';
const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
// One period either side of now, for clocks a little off; a code is still accepted once only.
const EPOCH_TOLERANCE_SECONDS = 30;

export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

/**
 * The TOTP factor (RFC 6238, otplib's TOTP package): secrets encrypted at rest with AES-256-GCM under a key derived
 * from JWT_SECRET (HKDF-SHA256), codes accepted once (the last time step is kept), and one-time
 * recovery codes stored as SHA-256.
 */
@Injectable()
export class MfaFactor {
  private readonly key: Buffer;

  constructor(config: AuthConfig) {
    this.key = Buffer.from(
      hkdfSync('sha256', config.jwtSecret, 'cp-certification', 'mfa-totp-secret-v1', 32),
    );
  }

  async newEnrolment(email: string): Promise<TotpEnrolment> {
    const secret = newTotpSecret();
    const otpauthUrl = totpUri(ISSUER, email, secret);
    const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg', margin: 1 });
    return { secret, otpauthUrl, qrSvg };
  }

  encrypt(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const encrypted = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), encrypted]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  decrypt(stored: string): string {
    const [version, iv, tag, encrypted] = stored.split('.');
    if (version !== 'v1' || !iv || !tag || !encrypted) throw new Error('Unknown MFA secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }

  /**
   * Checks a TOTP code against the encrypted secret and, when it is right, records its time step in the
   * same statement that refuses an older or equal one, so that a code is never accepted twice.
   */
  async acceptCode(
    manager: EntityManager,
    userId: string,
    encryptedSecret: string,
    code: string,
    lastTimeStep: string | null,
  ): Promise<boolean> {
    if (!/^\d{6}$/.test(code)) return false;
    const result = await verifyTotp(this.decrypt(encryptedSecret), code, {
      epochTolerance: EPOCH_TOLERANCE_SECONDS,
      ...(lastTimeStep !== null ? { afterTimeStep: Number(lastTimeStep) } : {}),
    }).catch(() => ({ valid: false as const }));
    if (!result.valid || !('timeStep' in result)) return false;
    // TypeORM answers an UPDATE with [rows, affected count].
    const [, recorded] = await manager.query<[unknown[], number]>(
      `UPDATE user_account SET mfa_last_time_step = $2
       WHERE id = $1 AND (mfa_last_time_step IS NULL OR mfa_last_time_step < $2)`,
      [userId, result.timeStep],
    );
    return recorded === 1;
  }

  /** Spends a recovery code; false when it is not one of the user's unused codes. */
  async spendRecoveryCode(manager: EntityManager, userId: string, code: string): Promise<boolean> {
    const spent = await manager
      .getRepository(MfaRecoveryCodeEntity)
      .update(
        { userId, codeHash: sha256Hex(normalizeRecoveryCode(code)), usedAt: IsNull() },
        { usedAt: new Date() },
      );
    return spent.affected === 1;
  }

  /** Replaces the user's recovery codes with ten new ones, answered once in clear. */
  async issueRecoveryCodes(manager: EntityManager, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode());
    await manager.getRepository(MfaRecoveryCodeEntity).delete({ userId });
    await manager
      .getRepository(MfaRecoveryCodeEntity)
      .insert(
        codes.map((code) => ({ userId, codeHash: sha256Hex(normalizeRecoveryCode(code)), usedAt: null })),
      );
    return codes;
  }

  async removeRecoveryCodes(manager: EntityManager, userId: string): Promise<void> {
    await manager.getRepository(MfaRecoveryCodeEntity).delete({ userId });
  }
}

function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const characters = [...bytes].map((byte) => RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length]).join('');
  return `${characters.slice(0, 5)}-${characters.slice(5)}`;
}

function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
