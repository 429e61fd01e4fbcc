import type request from 'supertest';
import { ApiClient, type Session } from '../support/api-client';
import { anOrganization, aSignedInUser } from '../support/builders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { aCase } from '../evidence/support/case-fixture';
import { uploadEvidence } from '../evidence/support/evidence-requests';
import { aLargePdf } from '../evidence/support/sample-files';

const PER_MINUTE = 20;

function expectRateLimited(response: request.Response): void {
  expect(response.status).toBe(429);
  expect(response.body.code).toBe('RATE_LIMITED');
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60);
  expect(response.headers['ratelimit-remaining']).toBe('0');
}

describe(`the general rate limit (RATE_LIMIT_PER_MINUTE=${PER_MINUTE})`, () => {
  let testApp: TestApp;
  let client: ApiClient;
  let root: Session;
  let institutionId: string;

  beforeAll(async () => {
    testApp = await startTestApp({ RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) });
    client = new ApiClient(testApp.app);
    // Setting up spends the root admin's budget; the tests use fresh users.
    root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    institutionId = (await anOrganization('institution').create(client, root)).id;
  });

  afterAll(() => testApp?.close());

  it('answers 429 RATE_LIMITED with Retry-After to a burst of one user, and leaves other users alone', async () => {
    const user = await aSignedInUser(client, root, institutionId, 'institution_member');
    const other = await aSignedInUser(client, root, institutionId, 'institution_member');
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let index = 0; index < PER_MINUTE + 1; index += 1) {
      last = await client.get('/api/v1/me', user);
      statuses.push(last.status);
    }

    expect(statuses.slice(0, PER_MINUTE).every((status) => status === 200)).toBe(true);
    expectRateLimited(last!);
    expect(last!.headers['ratelimit-limit']).toBe(String(PER_MINUTE));
    await client.get('/api/v1/me', other).expect(200);
  });

  it('counts anonymous callers per client address', async () => {
    const from = (address: string) => client.http.get('/api/v1/standards').set('X-Forwarded-For', address);
    for (let index = 0; index < PER_MINUTE; index += 1) await from('198.51.100.80').expect(200);

    expectRateLimited(await from('198.51.100.80'));
    await from('198.51.100.81').expect(200);
  });

  it('is stricter on refresh (a tenth of the budget)', async () => {
    const user = await aSignedInUser(client, root, institutionId, 'institution_member');
    let refreshToken = user.refreshToken;
    const refreshFrom = (token: string) =>
      client.http
        .post('/api/v1/auth/refresh')
        .set('X-Forwarded-For', '198.51.100.90')
        .send({ refreshToken: token });
    for (let index = 0; index < PER_MINUTE / 10; index += 1) {
      const response = await refreshFrom(refreshToken).expect(200);
      refreshToken = response.body.refreshToken as string;
    }

    expectRateLimited(await refreshFrom(refreshToken));
  });

  it('documents the 429 on limited routes in OpenAPI, not on the health probes', async () => {
    const document = await client.http.get('/api/docs-json').set('X-Forwarded-For', '198.51.100.99');
    expect(document.body.paths['/api/v1/me'].get.responses['429']).toMatchObject({
      description: expect.stringContaining('RATE_LIMITED'),
    });
    expect(document.body.paths['/health/ready'].get.responses['429']).toBeUndefined();
  });

  it('never limits the health probes', async () => {
    for (let index = 0; index < PER_MINUTE + 5; index += 1) await client.http.get('/health/live').expect(200);
  });
});

describe('the evidence quota per case (EVIDENCE_QUOTA_BYTES=100 KiB)', () => {
  const QUOTA = 100 * 1024;
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let caseId: string;

  const upload = (file: Buffer, fileName: string) =>
    uploadEvidence(client, world.sessions.institution_admin, caseId, {
      file,
      fileName,
      title: 'Scan',
      indicatorCodes: ['1.1.1'],
    });
  const storedBytes = async (): Promise<number> => {
    const [{ bytes }]: { bytes: string }[] = await testApp.dataSource.query(
      'SELECT coalesce(sum(size), 0)::text AS bytes FROM evidence_version',
    );
    return Number(bytes);
  };

  beforeAll(async () => {
    testApp = await startTestApp({ EVIDENCE_QUOTA_BYTES: String(QUOTA) });
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    caseId = await aCase(testApp.dataSource, world, { status: 'draft' });
  });

  afterAll(() => testApp?.close());

  it('accepts files up to the quota, then answers 413 EVIDENCE_QUOTA_EXCEEDED on the bytes received', async () => {
    await upload(aLargePdf(60 * 1024), 'first.pdf').expect(201);

    const over = await upload(aLargePdf(60 * 1024), 'second.pdf');

    expect({ status: over.status, code: over.body.code }).toEqual({
      status: 413,
      code: 'EVIDENCE_QUOTA_EXCEEDED',
    });
    expect(over.body.details).toEqual([
      expect.objectContaining({ field: 'file', quotaBytes: QUOTA, remainingBytes: QUOTA - 60 * 1024 }),
    ]);
    expect(await storedBytes()).toBe(60 * 1024);
    await upload(aLargePdf(30 * 1024), 'fits.pdf').expect(201);
  });

  it('refuses an upload whose Content-Length is over what is left before reading it', async () => {
    const over = await upload(aLargePdf(3 * 1024 * 1024), 'huge.pdf');
    expect({ status: over.status, code: over.body.code }).toEqual({
      status: 413,
      code: 'EVIDENCE_QUOTA_EXCEEDED',
    });
    expect(await storedBytes()).toBe(90 * 1024);
  });

  it('counts uploads sent at the same time one after the other: never over the quota', async () => {
    const another = await aCase(testApp.dataSource, world, { status: 'draft' });
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        uploadEvidence(client, world.sessions.institution_admin, another, {
          file: aLargePdf(30 * 1024),
          fileName: `parallel-${index}.pdf`,
          title: 'Scan',
          indicatorCodes: ['1.1.1'],
        }),
      ),
    );
    const [{ bytes }]: { bytes: string }[] = await testApp.dataSource.query(
      `SELECT coalesce(sum(v.size), 0)::text AS bytes
         FROM evidence_version v JOIN evidence_item i ON i.id = v.evidence_id WHERE i.case_id = $1`,
      [another],
    );
    expect(Number(bytes)).toBe(90 * 1024);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 201, 201, 413, 413, 413, 413, 413]);
  });
});
