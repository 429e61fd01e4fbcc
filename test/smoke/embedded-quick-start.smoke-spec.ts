import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningProcess, startProcess, stopAllProcesses } from './process-runner';

const API = 'dist/apps/api/src/main.js';
const WORKER = 'dist/apps/worker/src/main.js';
const DEMO_PASSWORD = 'demo-password-2026';

/** The quick start with nothing else running: the embedded PostgreSQL, evidence on local disk. */
function embeddedEnvironment(directory: string): Record<string, string | undefined> {
  return {
    DATABASE_URL: undefined,
    S3_BUCKET: undefined,
    PORT: '0',
    EMBEDDED_DATABASE_DIR: join(directory, 'pgdata'),
    EVIDENCE_DIR: join(directory, 'evidence'),
    JWT_SECRET: 'smoke-test-secret-that-is-long-enough-000',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  };
}

async function json(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const response = await fetch(url, init);
  return { status: response.status, body: await response.json() };
}

describe('the embedded quick start', () => {
  let directory: string;
  let api: RunningProcess | undefined;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'cpc-smoke-'));
  });

  afterAll(async () => {
    await stopAllProcesses();
    rmSync(directory, { recursive: true, force: true });
  });

  it('starts on an empty folder, seeds the demo, serves the catalog and stops cleanly', async () => {
    api = startProcess(API, ['--seed-demo'], embeddedEnvironment(directory));
    const [, port] = await api.waitFor(/API\s+http:\/\/localhost:(\d+)\/api\/v1/);
    await api.waitFor(/Demo accounts[^]*institution_member/);
    const base = `http://127.0.0.1:${port}`;

    expect((await json(`${base}/health/ready`)).status).toBe(200);
    const accounts = [...api.output().matchAll(/^\s+([a-z_]+)\s+(\S+@\S+\.demo)/gm)].map((match) => ({
      role: match[1],
      email: match[2],
    }));
    expect(new Set(accounts.map((account) => account.role))).toEqual(
      new Set([
        'secretariat_admin',
        'secretariat_officer',
        'certifier_admin',
        'rater',
        'committee_member',
        'institution_admin',
        'institution_member',
      ]),
    );
    for (const account of accounts) {
      const login = await json(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: account.email, password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(200);
      expect(login.body.user.roles).toEqual([account.role]);
    }

    const editions = await json(`${base}/api/v1/standards`);
    expect(editions.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: 'cps-2016',
          status: 'published',
          principleCount: 7,
          standardCount: 25,
        }),
        expect.objectContaining({ id: 'cps-2022', status: 'published', principleCount: 8 }),
      ]),
    );
    const tree = await json(`${base}/api/v1/standards/cps-2016`);
    expect(tree.body.items).toHaveLength(7);

    // The demo certification, played through the API: listed in the registry, its PDF rendered.
    const [, number] = await api.waitFor(/Demo certificate (CPC-\d{4}-\d{4})/);
    const registry = await json(`${base}/api/v1/registry`);
    expect(registry.body.items).toEqual([
      expect.objectContaining({ certificateNumber: number, status: 'active', level: 'gold' }),
    ]);
    const institution = await json(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@sahel.demo', password: DEMO_PASSWORD }),
    });
    const pdf = await fetch(`${base}/api/v1/certificates/${number}/pdf?lang=fr`, {
      headers: { authorization: `Bearer ${institution.body.accessToken}` },
    });
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    expect(await api.stop('SIGTERM')).toBe(0);
    api = undefined;
  });

  it('starts again on the same folder with the data kept and nothing seeded twice', async () => {
    api = startProcess(API, ['--seed-demo'], embeddedEnvironment(directory));
    const [, port] = await api.waitFor(/API\s+http:\/\/localhost:(\d+)\/api\/v1/);
    await api.waitFor(/Demo accounts/);
    const base = `http://127.0.0.1:${port}`;
    const login = await json(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@secretariat.demo', password: DEMO_PASSWORD }),
    });
    const organizations = await json(`${base}/api/v1/organizations?pageSize=100`, {
      headers: { authorization: `Bearer ${login.body.accessToken}` },
    });
    expect(organizations.body.total).toBe(4);
    expect((await json(`${base}/api/v1/registry?status=all`)).body.total).toBe(1);
    const verification = await json(`${base}/api/v1/audit/verify`, {
      headers: { authorization: `Bearer ${login.body.accessToken}` },
    });
    expect(verification.body.valid).toBe(true);
  });

  it('refuses a second process on the same embedded database, naming the holder', async () => {
    const worker = startProcess(WORKER, [], embeddedEnvironment(directory));
    expect(await worker.exited).not.toBe(0);
    expect(worker.output()).toMatch(/in use by process \d+/);
    expect(await api!.stop('SIGTERM')).toBe(0);
    api = undefined;
  });

  it('runs the worker on its own embedded database and stops it cleanly', async () => {
    const worker = startProcess(WORKER, [], { ...embeddedEnvironment(directory), LOG_LEVEL: 'info' });
    await worker.waitFor(/purge-expired-refresh-tokens: \d+ expired refresh tokens removed/);
    expect(await worker.stop('SIGTERM')).toBe(0);
  });
});

describe('an invalid environment', () => {
  afterAll(() => stopAllProcesses());

  it.each([
    ['PORT', 'not-a-port'],
    ['EVIDENCE_MAX_BYTES', '-1'],
    ['DATABASE_URL', 'mysql://somewhere/db'],
    ['PUBLIC_BASE_URL', 'not a url'],
    ['S3_FORCE_PATH_STYLE', 'perhaps'],
  ])('stops the API with a non-zero exit naming %s', async (variable, value) => {
    const api = startProcess(API, [], {
      [variable]: value,
      DATABASE_URL: variable === 'DATABASE_URL' ? value : undefined,
    });
    expect(await api.exited).toBe(1);
    expect(api.output()).toContain(variable);
  });

  it('names every invalid variable at once, and stops the worker too', async () => {
    const worker = startProcess(WORKER, [], { PORT: 'x', LOG_LEVEL: 'loud', DATABASE_URL: undefined });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toContain('PORT');
    expect(worker.output()).toContain('LOG_LEVEL');
  });
});
