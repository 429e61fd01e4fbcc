import { JwtService } from '@nestjs/jwt';
import { totpCode } from '../../libs/identity/src/totp.util';
import { ApiClient, type Session } from '../support/api-client';
import { anOrganization, aSignedInUser, TEST_PASSWORD } from '../support/builders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';

const PERIOD_SECONDS = 30;
const sleep = (milliseconds: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));

/** The code of the time step `offset` periods from now (-1, 0 and +1 are accepted). */
const codeAt = (secret: string, offset: number): Promise<string> =>
  totpCode(secret, Math.floor(Date.now() / 1000) + offset * PERIOD_SECONDS);

/** Waits, if needed, until at least `seconds` remain in the current time step, so codes stay valid. */
async function withTimeLeftInStep(seconds: number): Promise<void> {
  const left = PERIOD_SECONDS - (Math.floor(Date.now() / 1000) % PERIOD_SECONDS);
  if (left < seconds) await sleep(left * 1000 + 200);
}

function claimsOf(accessToken: string): { sid: string; amr: string[]; sub: string; org: string } {
  return JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8')) as {
    sid: string;
    amr: string[];
    sub: string;
    org: string;
  };
}

describe('multi-factor authentication (MFA_REQUIRED_ROLES=rater)', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let root: Session;
  let certifierId: string;
  let certifierAdmin: Session;
  let institutionId: string;

  const login = (email: string, password = TEST_PASSWORD) =>
    client.http.post('/api/v1/auth/login').send({ email, password });
  const answer = (body: Record<string, unknown>) => client.http.post('/api/v1/auth/mfa').send(body);
  const auditActions = async (userId: string): Promise<string[]> =>
    (
      await testApp.dataSource.query<{ action: string }[]>(
        'SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY sequence',
        [userId],
      )
    ).map((row) => row.action);

  async function newRater(): Promise<{ id: string; email: string }> {
    const email = `rater-${Date.now()}-${Math.random().toString(16).slice(2, 8)}@example.org`;
    const created = await client
      .post(`/api/v1/organizations/${certifierId}/users`, certifierAdmin)
      .send({ email, name: 'Multi Factor', role: 'rater', password: TEST_PASSWORD })
      .expect(201);
    return { id: created.body.id as string, email };
  }

  /** Enrols a rater at login; answers the secret, the recovery codes and the session. */
  async function enrolledRater(): Promise<{
    id: string;
    email: string;
    secret: string;
    recoveryCodes: string[];
    session: Session;
  }> {
    const rater = await newRater();
    const challenge = await login(rater.email).expect(200);
    const enrolment = await client.http
      .post('/api/v1/auth/mfa/enrol')
      .send({ challengeToken: challenge.body.challengeToken })
      .expect(200);
    const secret = enrolment.body.secret as string;
    const done = await answer({
      challengeToken: challenge.body.challengeToken,
      code: await codeAt(secret, -1),
    }).expect(200);
    return {
      ...rater,
      secret,
      recoveryCodes: done.body.recoveryCodes as string[],
      session: {
        accessToken: done.body.accessToken as string,
        refreshToken: done.body.refreshToken as string,
        userId: rater.id,
        organizationId: certifierId,
      },
    };
  }

  beforeAll(async () => {
    testApp = await startTestApp({ MFA_REQUIRED_ROLES: 'rater' });
    client = new ApiClient(testApp.app);
    root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    certifierId = (await anOrganization('certifier').create(client, root)).id;
    certifierAdmin = await aSignedInUser(client, root, certifierId, 'certifier_admin');
    institutionId = (await anOrganization('institution').create(client, root)).id;
  });

  afterAll(() => testApp?.close());

  beforeEach(() => withTimeLeftInStep(10));

  it('makes a rater enrol at login, then sign in with the code; without it, no tokens; a recovery code works once', async () => {
    const rater = await newRater();
    const challenge = await login(rater.email).expect(200);
    expect(challenge.body).toEqual({
      mfaRequired: true,
      enrolmentRequired: true,
      challengeToken: expect.any(String),
      expiresIn: 300,
    });
    // The challenge is no access token.
    await client.get('/api/v1/me', { accessToken: challenge.body.challengeToken } as Session).expect(401);

    const enrolment = await client.http
      .post('/api/v1/auth/mfa/enrol')
      .send({ challengeToken: challenge.body.challengeToken })
      .expect(200);
    expect(enrolment.body).toEqual({
      secret: expect.stringMatching(/^[A-Z2-7]+$/),
      otpauthUrl: expect.stringMatching(/^otpauth:\/\/totp\/.*secret=/),
      qrSvg: expect.stringMatching(/^<svg/),
    });
    const secret = enrolment.body.secret as string;
    const wrong = await answer({ challengeToken: challenge.body.challengeToken, code: '000000' }).expect(401);
    expect(wrong.body.code).toBe('INVALID_MFA_CODE');

    const enrolled = await answer({
      challengeToken: challenge.body.challengeToken,
      code: await codeAt(secret, -1),
    }).expect(200);
    expect(enrolled.body.recoveryCodes).toHaveLength(10);
    expect(claimsOf(enrolled.body.accessToken as string).amr).toEqual(['pwd', 'otp']);
    await client.get('/api/v1/cases', { accessToken: enrolled.body.accessToken } as Session).expect(200);
    const [stored]: { mfa_secret: string }[] = await testApp.dataSource.query(
      'SELECT mfa_secret FROM user_account WHERE id = $1',
      [rater.id],
    );
    expect(stored.mfa_secret).not.toContain(secret);

    // Later logins: the password alone answers a challenge, not tokens.
    const next = await login(rater.email).expect(200);
    expect(next.body).toMatchObject({ mfaRequired: true, enrolmentRequired: false });
    expect(next.body.accessToken).toBeUndefined();
    const replayed = await answer({
      challengeToken: next.body.challengeToken,
      code: await codeAt(secret, -1),
    });
    expect(replayed.status).toBe(401);
    await answer({ challengeToken: next.body.challengeToken, code: await codeAt(secret, 0) }).expect(200);

    const recoveryCode = enrolled.body.recoveryCodes[0] as string;
    const third = await login(rater.email).expect(200);
    const recovered = await answer({ challengeToken: third.body.challengeToken, recoveryCode }).expect(200);
    expect(claimsOf(recovered.body.accessToken as string).amr).toEqual(['pwd', 'otp']);
    const fourth = await login(rater.email).expect(200);
    const spent = await answer({ challengeToken: fourth.body.challengeToken, recoveryCode }).expect(401);
    expect(spent.body.code).toBe('INVALID_MFA_CODE');

    expect(await auditActions(rater.id)).toEqual(
      expect.arrayContaining(['user.mfa_enabled', 'user.mfa_recovery_code_used']),
    );
  });

  it('keeps a rater whose token was not signed in with a second factor away from case routes (403 MFA_REQUIRED)', async () => {
    const rater = await enrolledRater();
    const claims = claimsOf(rater.session.accessToken);
    const passwordOnly = new JwtService({ secret: testApp.config.auth.jwtSecret }).sign(
      { sub: claims.sub, org: claims.org, role: 'rater', sid: claims.sid, amr: ['pwd'] },
      { algorithm: 'HS256', issuer: 'cp-certification', audience: 'cp-certification-api', expiresIn: 60 },
    );
    const asPasswordOnly = { ...rater.session, accessToken: passwordOnly };

    const refused = await client.get('/api/v1/cases', asPasswordOnly).expect(403);

    expect(refused.body.code).toBe('MFA_REQUIRED');
    await client.get('/api/v1/me', asPasswordOnly).expect(200);
    await client.get('/api/v1/cases', rater.session).expect(200);
  });

  it('holds back a client guessing codes (429) after LOGIN_MAX_FAILURES wrong codes', async () => {
    const rater = await enrolledRater();
    const challenge = await login(rater.email).expect(200);
    for (let attempt = 0; attempt < testApp.config.auth.loginMaxFailures; attempt += 1) {
      await answer({ challengeToken: challenge.body.challengeToken, code: '123456' }).expect(401);
    }
    const held = await answer({ challengeToken: challenge.body.challengeToken, code: '123456' }).expect(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('counts parallel wrong codes one after the other: past LOGIN_MAX_FAILURES the rest are held back (429), a right code too', async () => {
    const rater = await enrolledRater();
    const challenge = await login(rater.email).expect(200);
    const limit = testApp.config.auth.loginMaxFailures;
    const guess = () => answer({ challengeToken: challenge.body.challengeToken, code: '123456' });

    const answers = await Promise.all(Array.from({ length: 20 }, guess));
    const right = await answer({
      challengeToken: challenge.body.challengeToken,
      code: await codeAt(rater.secret, 0),
    });

    const statuses = answers.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20 - limit);
    const stored: { failures: number }[] = await testApp.dataSource.query(
      'SELECT failures FROM login_throttle WHERE key = $1',
      [`login:mfa:${rater.id}`],
    );
    expect(stored).toEqual([{ failures: limit }]);
    expect(right.status).toBe(429);
    expect(right.body.code).toBe('TOO_MANY_REQUESTS');
  });

  it('ends the other sessions when MFA is turned on in the settings, and again when it is turned off; the current one stays', async () => {
    const user = await aSignedInUser(client, root, institutionId, 'institution_member');
    const elsewhere = await client.login(user.email, TEST_PASSWORD);
    const started = await client.post('/api/v1/me/mfa', user).expect(200);
    const secret = started.body.secret as string;

    await client
      .post('/api/v1/me/mfa/verify', user)
      .send({ code: await codeAt(secret, -1) })
      .expect(200);

    const refused = await client.get('/api/v1/me', elsewhere).expect(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    await client.http.post('/api/v1/auth/refresh').send({ refreshToken: elsewhere.refreshToken }).expect(401);
    await client.get('/api/v1/me', user).expect(200);

    const challenge = await login(user.email).expect(200);
    const withCode = await answer({
      challengeToken: challenge.body.challengeToken,
      code: await codeAt(secret, 0),
    }).expect(200);
    await client
      .delete('/api/v1/me/mfa', user)
      .send({ code: await codeAt(secret, 1) })
      .expect(204);

    await client.get('/api/v1/me', { ...user, accessToken: withCode.body.accessToken as string }).expect(401);
    await client.get('/api/v1/me', user).expect(200);
    const events: { action: string; data: { sessionsEnded?: number } }[] = await testApp.dataSource.query(
      `SELECT action, data FROM audit_event WHERE entity_id = $1
         AND action IN ('user.mfa_enabled', 'user.mfa_disabled') ORDER BY sequence`,
      [user.userId],
    );
    expect(events).toEqual([
      { action: 'user.mfa_enabled', data: expect.objectContaining({ sessionsEnded: 1 }) },
      { action: 'user.mfa_disabled', data: expect.objectContaining({ sessionsEnded: 1 }) },
    ]);
    const ended: { revoked_reason: string }[] = await testApp.dataSource.query(
      'SELECT revoked_reason FROM user_session WHERE user_id = $1 AND revoked_at IS NOT NULL',
      [user.userId],
    );
    expect(ended).toEqual([{ revoked_reason: 'mfa_changed' }, { revoked_reason: 'mfa_changed' }]);
  });

  it('lets an admin reset a rater’s second factor: sessions end and the next login enrols again', async () => {
    const rater = await enrolledRater();
    const otherCertifier = (await anOrganization('certifier').create(client, root)).id;
    const otherAdmin = await aSignedInUser(client, root, otherCertifier, 'certifier_admin');
    await client
      .post(`/api/v1/organizations/${certifierId}/users/${rater.id}/mfa-reset`, otherAdmin)
      .expect(404);

    await client
      .post(`/api/v1/organizations/${certifierId}/users/${rater.id}/mfa-reset`, certifierAdmin)
      .expect(204);

    await client.get('/api/v1/me', rater.session).expect(401);
    const next = await login(rater.email).expect(200);
    expect(next.body).toMatchObject({ mfaRequired: true, enrolmentRequired: true });
    expect(await auditActions(rater.id)).toContain('user.mfa_reset');
  });

  it('lets an institution user set up MFA in their settings, sign in with it, and turn it off with a code', async () => {
    const user = await aSignedInUser(client, root, institutionId, 'institution_member');
    const started = await client.post('/api/v1/me/mfa', user).expect(200);
    const secret = started.body.secret as string;
    const wrong = await client.post('/api/v1/me/mfa/verify', user).send({ code: '000000' }).expect(401);
    expect(wrong.body.code).toBe('INVALID_MFA_CODE');

    const verified = await client
      .post('/api/v1/me/mfa/verify', user)
      .send({ code: await codeAt(secret, -1) })
      .expect(200);
    expect(verified.body.recoveryCodes).toHaveLength(10);
    await client.post('/api/v1/me/mfa', user).expect(409);

    const challenge = await login(user.email).expect(200);
    expect(challenge.body).toMatchObject({ mfaRequired: true, enrolmentRequired: false });
    await answer({ challengeToken: challenge.body.challengeToken, code: await codeAt(secret, 0) }).expect(
      200,
    );

    await client.delete('/api/v1/me/mfa', user).send({ code: '000000' }).expect(401);
    await client
      .delete('/api/v1/me/mfa', user)
      .send({ code: await codeAt(secret, 1) })
      .expect(204);
    const plain = await login(user.email).expect(200);
    expect(plain.body.accessToken).toEqual(expect.any(String));
    expect(await auditActions(user.userId)).toEqual(
      expect.arrayContaining(['user.mfa_enabled', 'user.mfa_disabled']),
    );
  });
});
