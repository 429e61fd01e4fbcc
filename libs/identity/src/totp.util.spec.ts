import { base32Plugin, newTotpSecret, totpCode, verifyTotp } from './totp.util';

describe('totp.util', () => {
  it('encodes and decodes base32 as RFC 4648 does', () => {
    expect(base32Plugin.encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(Buffer.from(base32Plugin.decode('MZXW6YTBOI')).toString()).toBe('foobar');
  });

  it('gives the RFC 6238 SHA-1 test vector at T=59', async () => {
    const secret = base32Plugin.encode(Buffer.from('12345678901234567890'));
    // RFC 6238 appendix B gives 94287082 (8 digits); the 6-digit code is its last six.
    expect(await totpCode(secret, 59)).toBe('287082');
  });

  it('accepts the current code once per time step, with one step of tolerance', async () => {
    const secret = newTotpSecret();
    const now = Math.floor(Date.now() / 1000);
    const result = await verifyTotp(secret, await totpCode(secret, now - 30), { epochTolerance: 30 });
    expect(result).toMatchObject({ valid: true });
    const replay = await verifyTotp(secret, await totpCode(secret, now - 30), {
      epochTolerance: 30,
      afterTimeStep: (result as { timeStep: number }).timeStep,
    });
    expect(replay.valid).toBe(false);
    expect((await verifyTotp(secret, await totpCode(secret, now - 120), { epochTolerance: 30 })).valid).toBe(
      false,
    );
  });
});
