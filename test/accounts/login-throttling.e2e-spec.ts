import type { Test } from 'supertest';
import { ApiClient, type Session } from '../support/api-client';
import { anOrganization, aSignedInUser, TEST_PASSWORD } from '../support/builders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';

const sleep = (milliseconds: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, milliseconds));

// The app trusts X-Forwarded-For from loopback only ('trust proxy' = loopback), as behind a local proxy.
describe('login throttling without lockout abuse (LOGIN_MAX_FAILURES=3)', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let root: Session;
  let institutionId: string;

  const loginFrom = (address: string, email: string, password: string): Test =>
    client.http.post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ email, password });
  const newAdmin = () => aSignedInUser(client, root, institutionId, 'institution_admin');

  beforeAll(async () => {
    testApp = await startTestApp({ LOGIN_MAX_FAILURES: '3', LOGIN_FAILURE_WINDOW_SECONDS: '600' });
    client = new ApiClient(testApp.app);
    root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    institutionId = (await anOrganization('institution').create(client, root)).id;
  });

  afterAll(() => testApp?.close());

  it("lets the owner log in from their own address while an attacker's address is held back", async () => {
    const owner = await newAdmin();
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await loginFrom('203.0.113.66', owner.email, `guess-${attempt}-password`).expect(401);
    }
    const attacker = await loginFrom('203.0.113.66', owner.email, 'guess-4-password').expect(429);
    expect(attacker.body.code).toBe('TOO_MANY_REQUESTS');

    const ownerLogin = await loginFrom('198.51.100.7', owner.email, TEST_PASSWORD).expect(200);

    expect(ownerLogin.body.user.id).toBe(owner.userId);
  });

  it('holds a client back with delays that grow with each further failure', async () => {
    const owner = await newAdmin();
    const address = '203.0.113.77';
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await loginFrom(address, owner.email, 'wrong-password').expect(401);
    }
    const first = await loginFrom(address, owner.email, 'wrong-password').expect(429);
    expect(Number(first.headers['retry-after'])).toBe(1);
    await sleep(1100);
    await loginFrom(address, owner.email, 'wrong-password').expect(401);

    const second = await loginFrom(address, owner.email, 'wrong-password').expect(429);

    expect(Number(second.headers['retry-after'])).toBe(2);
    const stored: { failures: number }[] = await testApp.dataSource.query(
      'SELECT failures FROM login_throttle WHERE key = $1',
      [`login:account:${owner.email}|${address}`],
    );
    expect(stored).toEqual([{ failures: 4 }]);
  });
});
