import { JwtService } from '@nestjs/jwt';
import type { Test } from 'supertest';
import { ApiClient, type Session } from '../support/api-client';
import { anOrganization, aSignedInUser, TEST_PASSWORD } from '../support/builders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NEW_PASSWORD = 'a-brand-new-password-2';

type SignedInUser = Session & { email: string };

const sleep = (milliseconds: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));

/** The error body without its request id, which differs on every request. */
function withoutRequestId(body: Record<string, unknown>): Record<string, unknown> {
  const { requestId: _requestId, ...rest } = body;
  return rest;
}

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, member]) => [
      key,
      ...keysOf(member),
    ]);
  }
  return [];
}

/** The session an access token names (its `sid` claim). */
function sessionOf(session: Session): string {
  return (
    JSON.parse(Buffer.from(session.accessToken.split('.')[1], 'base64url').toString()) as { sid: string }
  ).sid;
}

/** The same token with one character of its signature changed. */
function tamperSignature(token: string): string {
  const [header, payload, signature] = token.split('.');
  const position = Math.floor(signature.length / 2);
  const replacement = signature[position] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, position)}${replacement}${signature.slice(position + 1)}`;
}

interface AuditRow {
  entity_type: string;
  entity_id: string;
  actor_id: string | null;
  action: string;
  data: Record<string, unknown>;
}

describe('authentication and sessions', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let root: Session;
  let institutionId: string;

  const newUser = (): Promise<SignedInUser> =>
    aSignedInUser(client, root, institutionId, 'institution_member');
  const login = (email: string, password: string): Test =>
    client.http.post('/api/v1/auth/login').send({ email, password });
  const refresh = (refreshToken: string): Test =>
    client.http.post('/api/v1/auth/refresh').send({ refreshToken });
  const auditEvents = (action: string, entityId: string): Promise<AuditRow[]> =>
    testApp.dataSource.query(
      `SELECT entity_type, entity_id, actor_id, action, data FROM audit_event
        WHERE action = $1 AND entity_id = $2 ORDER BY sequence`,
      [action, entityId],
    );

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    institutionId = (await anOrganization('institution').named('Caja Sol').create(client, root)).id;
  });

  afterAll(() => testApp?.close());

  describe('POST /api/v1/auth/login', () => {
    it('returns an access token, a refresh token, their lifetime and the signed-in user', async () => {
      const user = await newUser();

      const response = await login(user.email, TEST_PASSWORD).expect(200);

      expect(response.body).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        refreshToken: expect.any(String),
        expiresIn: testApp.config.auth.accessTokenTtlSeconds,
        user: {
          id: user.userId,
          email: user.email,
          name: 'Test institution_member',
          organization: { id: institutionId, name: 'Caja Sol', kind: 'institution' },
          roles: ['institution_member'],
        },
      });
      expect(keysOf(response.body)).not.toEqual(expect.arrayContaining(['password']));
      expect(keysOf(response.body)).not.toEqual(expect.arrayContaining(['passwordHash']));
    });

    it('accepts the email in another letter case and with surrounding spaces', async () => {
      const user = await newUser();

      const response = await login(`  ${user.email.toUpperCase()} `, TEST_PASSWORD).expect(200);

      expect(response.body.user.id).toBe(user.userId);
    });

    it('rejects a wrong password and an unknown email alike with 401 INVALID_CREDENTIALS', async () => {
      const user = await newUser();

      const wrongPassword = await login(user.email, 'not-the-right-password').expect(401);
      const unknownEmail = await login('nobody-here@example.org', TEST_PASSWORD).expect(401);

      expect(wrongPassword.body).toEqual({
        statusCode: 401,
        code: 'INVALID_CREDENTIALS',
        message: expect.any(String),
        details: [],
        requestId: expect.any(String),
      });
      expect(withoutRequestId(unknownEmail.body)).toEqual(withoutRequestId(wrongPassword.body));
      expect(unknownEmail.body.requestId).not.toBe(wrongPassword.body.requestId);
    });

    it('refuses the login after LOGIN_MAX_FAILURES failures with 429 and Retry-After, even with the right password', async () => {
      const user = await newUser();
      const limit = testApp.config.auth.loginMaxFailures;
      expect(limit).toBe(5);

      for (let attempt = 1; attempt <= limit; attempt += 1) {
        await login(user.email, `wrong-password-${attempt}`).expect(401);
      }
      const refused = await login(user.email, TEST_PASSWORD).expect(429);

      expect(refused.body.code).toBe('TOO_MANY_REQUESTS');
      const retryAfter = Number(refused.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(testApp.config.auth.loginFailureWindowSeconds);
      // Another account from the same address is not locked by it.
      await login(ADMIN_EMAIL, ADMIN_PASSWORD).expect(200);
    });
  });

  describe('POST /api/v1/auth/refresh', () => {
    it('rotates: answers a new pair that works, and spends the presented token', async () => {
      const user = await newUser();

      const rotated = await refresh(user.refreshToken).expect(200);

      expect(rotated.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: testApp.config.auth.accessTokenTtlSeconds,
        user: expect.objectContaining({ id: user.userId, email: user.email }),
      });
      expect(rotated.body.refreshToken).not.toBe(user.refreshToken);
      const me = await client
        .get('/api/v1/me', { ...user, accessToken: rotated.body.accessToken })
        .expect(200);
      expect(me.body.id).toBe(user.userId);
      await refresh(rotated.body.refreshToken).expect(200);
    });

    it('revokes the whole chain with 401 REFRESH_TOKEN_REUSED when a spent token is presented again', async () => {
      const user = await newUser();
      const otherLogin = await client.login(user.email, TEST_PASSWORD);
      const second = await refresh(user.refreshToken).expect(200);
      const third = await refresh(second.body.refreshToken).expect(200);

      const reused = await refresh(user.refreshToken).expect(401);

      expect(reused.body.code).toBe('REFRESH_TOKEN_REUSED');
      const newest = await refresh(third.body.refreshToken).expect(401);
      expect(newest.body.code).toBe('INVALID_REFRESH_TOKEN');
      const events = await auditEvents('refresh_token.reuse_detected', user.userId);
      expect(events).toEqual([
        expect.objectContaining({
          entity_type: 'user',
          actor_id: null,
          data: expect.objectContaining({ email: user.email, familyId: expect.any(String) }),
        }),
      ]);
      const liveTokensOfChain: { count: string }[] = await testApp.dataSource.query(
        'SELECT count(*) FROM refresh_token WHERE family_id = $1 AND revoked_at IS NULL',
        [events[0].data.familyId],
      );
      expect(Number(liveTokensOfChain[0].count)).toBe(0);
      // The user's other login is a chain of its own and keeps working.
      await refresh(otherLogin.refreshToken).expect(200);
    });

    it('answers 401 INVALID_REFRESH_TOKEN to a token it never issued', async () => {
      const response = await refresh('this-is-not-a-refresh-token').expect(401);

      expect(response.body.code).toBe('INVALID_REFRESH_TOKEN');
    });

    it('rejects a request without a refresh token with 400 naming the field', async () => {
      const response = await client.http.post('/api/v1/auth/refresh').send({}).expect(400);

      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'refreshToken' })]),
      );
    });
  });

  describe('POST /api/v1/auth/logout', () => {
    it('ends the session: its refresh token is refused afterwards', async () => {
      const user = await newUser();
      const rotated = await refresh(user.refreshToken).expect(200);
      const session = {
        ...user,
        accessToken: rotated.body.accessToken,
        refreshToken: rotated.body.refreshToken,
      };

      await client
        .post('/api/v1/auth/logout', session)
        .send({ refreshToken: session.refreshToken })
        .expect(204);

      const response = await refresh(session.refreshToken).expect(401);
      expect(response.body.code).toBe('INVALID_REFRESH_TOKEN');
    });

    it('records the ended session in the audit trail, as ending it from the session list does', async () => {
      const user = await newUser();
      const { sid } = JSON.parse(
        Buffer.from(user.accessToken.split('.')[1], 'base64url').toString('utf8'),
      ) as {
        sid: string;
      };

      await client.post('/api/v1/auth/logout', user).send({ refreshToken: user.refreshToken }).expect(204);
      await client.post('/api/v1/auth/logout', user).send({ refreshToken: user.refreshToken }).expect(401);

      const events: { action: string; actor_id: string; data: Record<string, unknown> }[] =
        await testApp.dataSource.query(
          `SELECT action, actor_id, data FROM audit_event WHERE entity_id = $1 AND action = 'session.revoked'`,
          [user.userId],
        );
      expect(events).toEqual([
        { action: 'session.revoked', actor_id: user.userId, data: { sessionId: sid, endReason: 'logout' } },
      ]);
    });

    it("leaves another user's session alone when given their refresh token", async () => {
      const user = await newUser();
      const victim = await newUser();

      await client.post('/api/v1/auth/logout', user).send({ refreshToken: victim.refreshToken }).expect(204);

      await refresh(victim.refreshToken).expect(200);
    });

    it('rejects a logout without an access token with 401', async () => {
      const user = await newUser();

      const response = await client
        .post('/api/v1/auth/logout')
        .send({ refreshToken: user.refreshToken })
        .expect(401);

      expect(response.body.code).toBe('UNAUTHENTICATED');
      await refresh(user.refreshToken).expect(200);
    });
  });

  describe('GET /api/v1/me', () => {
    it('rejects a request without a token with 401 UNAUTHENTICATED', async () => {
      const response = await client.get('/api/v1/me').expect(401);

      expect(response.body).toEqual({
        statusCode: 401,
        code: 'UNAUTHENTICATED',
        message: expect.any(String),
        details: [],
        requestId: expect.any(String),
      });
    });

    it('rejects a token whose signature was changed with 401 UNAUTHENTICATED', async () => {
      const user = await newUser();

      const response = await client.get('/api/v1/me', {
        ...user,
        accessToken: tamperSignature(user.accessToken),
      });

      expect(response.status).toBe(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('rejects an unsigned token (alg none) carrying a valid payload with 401', async () => {
      const user = await newUser();
      const [, payload] = user.accessToken.split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');

      const response = await client.get('/api/v1/me', { ...user, accessToken: `${header}.${payload}.` });

      expect(response.status).toBe(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('rejects tokens that are expired, for another audience or signed with another secret, with 401', async () => {
      const user = await newUser();
      const now = Math.floor(Date.now() / 1000);
      const { sid } = JSON.parse(Buffer.from(user.accessToken.split('.')[1], 'base64url').toString()) as {
        sid: string;
      };
      const claims = { sub: user.userId, org: institutionId, role: 'institution_member', sid, amr: ['pwd'] };
      const sign = (
        secret: string,
        payload: Record<string, unknown>,
        audience = 'cp-certification-api',
      ): string =>
        new JwtService({ secret }).sign(payload, {
          algorithm: 'HS256',
          issuer: 'cp-certification',
          audience,
        });
      const secret = testApp.config.auth.jwtSecret;
      const asUser = (accessToken: string) => client.get('/api/v1/me', { ...user, accessToken });

      // A token forged here with the right secret and claims is accepted: the refusals below are about one flaw each.
      await asUser(sign(secret, { ...claims, iat: now, exp: now + 60 })).expect(200);
      for (const token of [
        sign(secret, { ...claims, iat: now - 120, exp: now - 60 }),
        sign(secret, { ...claims, iat: now, exp: now + 60 }, 'another-api'),
        sign('another-secret-of-at-least-32-characters', { ...claims, iat: now, exp: now + 60 }),
        // No session named, or a session of somebody else.
        sign(secret, { ...claims, sid: undefined, iat: now, exp: now + 60 }),
        sign(secret, { ...claims, sid: sessionOf(root), iat: now, exp: now + 60 }),
      ]) {
        const response = await asUser(token);

        expect(response.status).toBe(401);
        expect(response.body.code).toBe('UNAUTHENTICATED');
      }
    });

    it('answers the signed-in user with a valid token', async () => {
      const user = await newUser();

      const response = await client.get('/api/v1/me', user).expect(200);

      expect(response.body).toEqual({
        id: user.userId,
        email: user.email,
        name: 'Test institution_member',
        organization: { id: institutionId, name: 'Caja Sol', kind: 'institution' },
        roles: ['institution_member'],
      });
    });
  });

  describe('POST /api/v1/me/password', () => {
    const changePassword = (session: Session, body: Record<string, unknown>): Test =>
      client.post('/api/v1/me/password', session).send(body);

    it('rejects a wrong current password with 422 WRONG_CURRENT_PASSWORD', async () => {
      const user = await newUser();

      const response = await changePassword(user, {
        currentPassword: 'not-my-password',
        newPassword: NEW_PASSWORD,
      });

      expect(response.status).toBe(422);
      expect(response.body.code).toBe('WRONG_CURRENT_PASSWORD');
      await login(user.email, TEST_PASSWORD).expect(200);
    });

    it('rejects a new password equal to the current one with 422 PASSWORD_REUSED', async () => {
      const user = await newUser();

      const response = await changePassword(user, {
        currentPassword: TEST_PASSWORD,
        newPassword: TEST_PASSWORD,
      });

      expect(response.status).toBe(422);
      expect(response.body.code).toBe('PASSWORD_REUSED');
    });

    it('rejects a new password shorter than 12 characters with 400 naming newPassword', async () => {
      const user = await newUser();

      const response = await changePassword(user, {
        currentPassword: TEST_PASSWORD,
        newPassword: 'short-pass1',
      });

      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details).toEqual([expect.objectContaining({ field: 'newPassword' })]);
      await login(user.email, TEST_PASSWORD).expect(200);
    });

    it('changes the password and ends every session of the user', async () => {
      const user = await newUser();
      const otherSession = await client.login(user.email, TEST_PASSWORD);
      // Access tokens carry their issue time in whole seconds: change the password in a later second.
      await sleep(1100);

      await changePassword(user, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }).expect(204);

      expect((await client.get('/api/v1/me', user)).status).toBe(401);
      expect((await client.get('/api/v1/me', otherSession)).status).toBe(401);
      expect((await refresh(user.refreshToken)).status).toBe(401);
      expect((await refresh(otherSession.refreshToken)).status).toBe(401);
      const withOldPassword = await login(user.email, TEST_PASSWORD).expect(401);
      expect(withOldPassword.body.code).toBe('INVALID_CREDENTIALS');
      const withNewPassword = await login(user.email, NEW_PASSWORD).expect(200);
      await client.get('/api/v1/me', { ...user, accessToken: withNewPassword.body.accessToken }).expect(200);
      const events = await auditEvents('user.password_changed', user.userId);
      expect(events).toEqual([expect.objectContaining({ entity_type: 'user', actor_id: user.userId })]);
      expect(keysOf(events[0].data)).not.toEqual(expect.arrayContaining(['password']));
    });
  });

  describe('X-Request-Id', () => {
    it('is on every response, and names the request in error bodies', async () => {
      const responses = [
        await client.get('/health/live'),
        await client.get('/api/v1/me', root),
        await client.get('/api/v1/me'),
        await client.get('/api/v1/no-such-route', root),
        await client.http
          .post('/api/v1/auth/login')
          .set('Content-Type', 'application/json')
          .send('{"email":'),
        await client.http.post('/api/v1/auth/login').send({ email: 'not-an-email', password: 'x' }),
      ];

      expect(responses.map((response) => response.status)).toEqual([200, 200, 401, 404, 400, 400]);
      for (const response of responses) {
        expect(response.headers['x-request-id']).toMatch(UUID);
        if (response.status >= 400) expect(response.body.requestId).toBe(response.headers['x-request-id']);
      }
      const ids = new Set(responses.map((response) => response.headers['x-request-id']));
      expect(ids.size).toBe(responses.length);
    });

    it('echoes a sane incoming X-Request-Id and quotes it in error bodies', async () => {
      const requestId = 'client-trace.42:ab_CD-9';

      const success = await client.get('/api/v1/me', root).set('X-Request-Id', requestId).expect(200);
      const failure = await client.get('/api/v1/me').set('X-Request-Id', requestId).expect(401);

      expect(success.headers['x-request-id']).toBe(requestId);
      expect(failure.headers['x-request-id']).toBe(requestId);
      expect(failure.body.requestId).toBe(requestId);
    });

    it('replaces an unacceptable incoming X-Request-Id with a fresh one', async () => {
      for (const incoming of ['has spaces in it', 'x'.repeat(129), '<script>']) {
        const response = await client.get('/api/v1/me').set('X-Request-Id', incoming).expect(401);

        expect(response.headers['x-request-id']).toMatch(UUID);
        expect(response.body.requestId).toBe(response.headers['x-request-id']);
      }
    });
  });
});

describe('login throttling with LOGIN_MAX_FAILURES=3', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let root: Session;
  let institutionId: string;

  const newUser = (): Promise<SignedInUser> =>
    aSignedInUser(client, root, institutionId, 'institution_admin');
  const loginFrom = (address: string, email: string, password: string): Test =>
    client.http.post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ email, password });

  beforeAll(async () => {
    testApp = await startTestApp({ LOGIN_MAX_FAILURES: '3' });
    client = new ApiClient(testApp.app);
    root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    institutionId = (await anOrganization('institution').create(client, root)).id;
  });

  afterAll(() => testApp?.close());

  it('refuses the fourth login after three failures, even with the right password', async () => {
    const user = await newUser();

    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const failed = await loginFrom('198.51.100.1', user.email, 'wrong-password').expect(401);
      expect(failed.body.code).toBe('INVALID_CREDENTIALS');
    }
    const refused = await loginFrom('198.51.100.1', user.email, TEST_PASSWORD).expect(429);

    expect(refused.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it("does not let one address's failures lock the account out for the owner at another address", async () => {
    const user = await newUser();

    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await loginFrom('198.51.100.11', user.email, 'wrong-password').expect((response) =>
        expect([401, 429]).toContain(response.status),
      );
    }
    await loginFrom('198.51.100.11', user.email, TEST_PASSWORD).expect(429);

    await loginFrom('198.51.100.14', user.email, TEST_PASSWORD).expect(200);
  });

  it('forgets the failures of an account after a successful login', async () => {
    const user = await newUser();

    for (let round = 1; round <= 3; round += 1) {
      await loginFrom('198.51.100.21', user.email, 'wrong-password').expect(401);
      await loginFrom('198.51.100.21', user.email, 'wrong-password').expect(401);
      await loginFrom('198.51.100.21', user.email, TEST_PASSWORD).expect(200);
    }
  });

  it('refuses every account from an address that failed four times the limit, but not other addresses', async () => {
    const user = await newUser();
    const address = '203.0.113.50';

    for (let attempt = 1; attempt <= 12; attempt += 1) {
      await loginFrom(address, `unknown-${attempt}@example.org`, 'wrong-password').expect(401);
    }

    const refused = await loginFrom(address, user.email, TEST_PASSWORD).expect(429);
    expect(refused.body.code).toBe('TOO_MANY_REQUESTS');
    await loginFrom('203.0.113.51', user.email, TEST_PASSWORD).expect(200);
  });
});

describe('login throttling once the window has passed', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let root: Session;

  beforeAll(async () => {
    testApp = await startTestApp({ LOGIN_MAX_FAILURES: '2', LOGIN_FAILURE_WINDOW_SECONDS: '2' });
    client = new ApiClient(testApp.app);
    root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(() => testApp?.close());

  it('lets the account log in again after Retry-After seconds', async () => {
    const institution = await anOrganization('institution').create(client, root);
    const user = await aSignedInUser(client, root, institution.id, 'institution_member');
    const login = (password: string) =>
      client.http.post('/api/v1/auth/login').send({ email: user.email, password });
    await login('wrong-password').expect(401);
    await login('wrong-password').expect(401);

    const refused = await login(TEST_PASSWORD).expect(429);

    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    await sleep(retryAfter * 1000 + 100);
    await login(TEST_PASSWORD).expect(200);
  });
});
