import type { Test } from 'supertest';
import { ApiClient, type Session } from '../support/api-client';
import { anOrganization, aSignedInUser, TEST_PASSWORD } from '../support/builders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';

type SignedInUser = Session & { email: string };

/** The `sid` claim of an access token. */
function sessionIdOf(accessToken: string): string {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8')) as {
    sid: string;
  };
  return payload.sid;
}

describe('sessions that end when they should', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let root: Session;
  let institutionId: string;

  const newUser = (): Promise<SignedInUser> =>
    aSignedInUser(client, root, institutionId, 'institution_member');
  const refresh = (refreshToken: string): Test =>
    client.http.post('/api/v1/auth/refresh').send({ refreshToken });

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    institutionId = (await anOrganization('institution').create(client, root)).id;
  });

  afterAll(() => testApp?.close());

  it('names the session in the access token: its sid is the id the session list shows', async () => {
    const user = await newUser();
    const sessions = await client.get('/api/v1/me/sessions', user).expect(200);
    expect(sessions.body).toEqual([
      {
        id: sessionIdOf(user.accessToken),
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        userAgent: null,
        current: true,
      },
    ]);
  });

  it('refuses the old access token with 401 at once after logout', async () => {
    const user = await newUser();
    await client.get('/api/v1/me', user).expect(200);

    await client.post('/api/v1/auth/logout', user).send({ refreshToken: user.refreshToken }).expect(204);

    const after = await client.get('/api/v1/me', user).expect(401);
    expect(after.body.code).toBe('UNAUTHENTICATED');
    await refresh(user.refreshToken).expect(401);
  });

  it('refuses the access token of a session whose spent refresh token was reused (a stolen token)', async () => {
    const user = await newUser();
    const rotated = await refresh(user.refreshToken).expect(200);
    const rotatedSession = { ...user, accessToken: rotated.body.accessToken as string };
    await client.get('/api/v1/me', rotatedSession).expect(200);

    await refresh(user.refreshToken).expect(401);

    await client.get('/api/v1/me', rotatedSession).expect(401);
    await client.get('/api/v1/me', user).expect(401);
  });

  it('ends every session of the user, access tokens included, on a password change', async () => {
    const user = await newUser();
    const other = await client.login(user.email, TEST_PASSWORD);
    await client
      .post('/api/v1/me/password', user)
      .send({ currentPassword: TEST_PASSWORD, newPassword: 'another-long-passphrase-7' })
      .expect(204);
    await client.get('/api/v1/me', other).expect(401);
    await client.get('/api/v1/me', user).expect(401);
  });

  it('lists the caller’s live sessions with their user agent and marks the current one', async () => {
    const user = await newUser();
    const phone = await client.http
      .post('/api/v1/auth/login')
      .set('User-Agent', 'PhoneBrowser/1.0')
      .send({ email: user.email, password: TEST_PASSWORD })
      .expect(200);
    const loggedOut = await client.login(user.email, TEST_PASSWORD);
    await client
      .post('/api/v1/auth/logout', loggedOut)
      .send({ refreshToken: loggedOut.refreshToken })
      .expect(204);

    const listed = await client.get('/api/v1/me/sessions', user).expect(200);

    const ids = (listed.body as { id: string }[]).map((session) => session.id).sort();
    expect(ids).toEqual([sessionIdOf(user.accessToken), sessionIdOf(phone.body.accessToken)].sort());
    expect(listed.body).toContainEqual(
      expect.objectContaining({
        id: sessionIdOf(phone.body.accessToken),
        userAgent: 'PhoneBrowser/1.0',
        current: false,
      }),
    );
  });

  it('revokes one of the caller’s sessions: its access token answers 401 at once, the others keep working', async () => {
    const user = await newUser();
    const laptop = await client.login(user.email, TEST_PASSWORD);

    await client.delete(`/api/v1/me/sessions/${sessionIdOf(laptop.accessToken)}`, user).expect(204);

    await client.get('/api/v1/me', laptop).expect(401);
    await refresh(laptop.refreshToken).expect(401);
    await client.get('/api/v1/me', user).expect(200);
    const audit: { action: string }[] = await testApp.dataSource.query(
      "SELECT action FROM audit_event WHERE action = 'session.revoked' AND entity_id = $1",
      [user.userId],
    );
    expect(audit).toHaveLength(1);
  });

  it('answers 404 to revoking another user’s session, and leaves it alone', async () => {
    const owner = await newUser();
    const attacker = await newUser();

    const refused = await client
      .delete(`/api/v1/me/sessions/${sessionIdOf(owner.accessToken)}`, attacker)
      .expect(404);

    expect(refused.body.code).toBe('NOT_FOUND');
    await client.get('/api/v1/me', owner).expect(200);
  });
});
