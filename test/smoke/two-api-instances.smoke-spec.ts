import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SmtpTestServer } from '../support/smtp-test-server';
import { adminQuery, dropDatabase, serverUrl, withDatabase } from '../support/test-database';
import { type RunningProcess, startProcess, stopAllProcesses } from './process-runner';

const API = 'dist/apps/api/src/main.js';
const WORKER = 'dist/apps/worker/src/main.js';
const DEMO_PASSWORD = 'demo-password-2026';
const ADMIN_EMAIL = 'two-instances@secretariat.test';
const ADMIN_PASSWORD = 'two-instances-password-1';
const RATE_LIMIT = 600;
// Rate counters are added to PostgreSQL every 250 ms (RATE_COUNTER_FLUSH_MS); wait a few flushes.
const FLUSHED_MS = 1000;

// Two API processes need a shared PostgreSQL server: the embedded database admits one process.
const describeWithServer = serverUrl() ? describe : describe.skip;

async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; forwardedFor?: string } = {},
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.forwardedFor) headers['x-forwarded-for'] = options.forwardedFor;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describeWithServer('two API processes and two workers on one database', () => {
  const server = serverUrl() ?? '';
  const database = `cpc_two_api_${randomBytes(5).toString('hex')}`;
  let directory: string;
  let smtp: SmtpTestServer;
  let demoCertificate: string;
  const bases: string[] = [];
  const workers: RunningProcess[] = [];

  const environment = () => ({
    DATABASE_URL: withDatabase(server, database),
    S3_BUCKET: undefined,
    PORT: '0',
    EVIDENCE_DIR: join(directory, 'evidence'),
    JWT_SECRET: 'two-instances-secret-that-is-long-enough-0',
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    LOGIN_MAX_FAILURES: '3',
    RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    MFA_REQUIRED_ROLES: 'none',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    // The API instances render no PDF themselves: no browser at all, the workers render.
    PDF_RENDERING: 'worker',
    CHROMIUM_PATH: '/nonexistent/chromium',
    PDF_RENDER_TIMEOUT_MS: '60000',
  });

  const start = async (args: string[] = []): Promise<{ base: string; api: RunningProcess }> => {
    const api: RunningProcess = startProcess(API, args, environment());
    const [, port] = await api.waitFor(/API\s+http:\/\/localhost:(\d+)\/api\/v1/, 240_000);
    return { base: `http://127.0.0.1:${port}`, api };
  };

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'cpc-two-api-'));
    smtp = await SmtpTestServer.start();
    await adminQuery(server, `CREATE DATABASE "${database}"`);
    // One after the other: the first migrates the fresh database and plays the demo certification
    // through its API, the second finds it ready.
    const first = await start(['--seed-demo']);
    [, demoCertificate] = await first.api.waitFor(/Demo certificate (CPC-\d{4}-\d{4})/, 180_000);
    bases.push(first.base);
    bases.push((await start()).base);
    for (let index = 0; index < 2; index += 1) {
      const worker = startProcess(WORKER, [], {
        ...environment(),
        CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Certification <noreply@cert.test>',
        LOG_LEVEL: 'info',
      });
      await worker.waitFor(/Worker started/, 120_000);
      workers.push(worker);
    }
  }, 900_000);

  afterAll(async () => {
    await stopAllProcesses();
    await dropDatabase(server, database);
    await smtp?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  const sql = async <T>(text: string, values: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: withDatabase(server, database) });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as T[];
    } finally {
      await client.end();
    }
  };

  it('renders a PDF asked of either instance in a worker, once for simultaneous requests on both', async () => {
    const [first, second] = bases;
    const login = await call(second, 'POST', '/api/v1/auth/login', {
      body: { email: 'admin@sahel.demo', password: DEMO_PASSWORD },
    });
    expect(login.status).toBe(200);
    const pdf = async (base: string) => {
      const response = await fetch(`${base}/api/v1/certificates/${demoCertificate}/pdf?lang=es`, {
        headers: { authorization: `Bearer ${login.body.accessToken}` },
      });
      return {
        status: response.status,
        etag: response.headers.get('etag'),
        bytes: Buffer.from(await response.arrayBuffer()),
      };
    };
    const answers = await Promise.all([pdf(second), pdf(first), pdf(second), pdf(first)]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    }
    expect(new Set(answers.map((answer) => answer.etag)).size).toBe(1);
    // One render for the four requests on two instances, by one of the two workers. (A request that
    // arrives once the first job is running may queue a second, which finds the document stored.)
    const deadline = Date.now() + 30_000;
    let waiting = 1;
    while (waiting > 0 && Date.now() < deadline) {
      [{ count: waiting }] = await sql<{ count: number }>(
        `SELECT count(*)::int AS count FROM pgboss.job WHERE name = 'render-pdf' AND state IN ('created', 'active', 'retry')`,
      );
      if (waiting > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(waiting).toBe(0);
    const renders = workers.map(
      (worker) => worker.output().match(/Rendered certificate [0-9a-f]{16}/g) ?? [],
    );
    expect(renders.flat()).toHaveLength(1);
    const stored = await sql<{ count: number }>(
      `SELECT count(*)::int AS count FROM rendered_document WHERE kind LIKE 'certificate%'`,
    );
    expect(stored[0].count).toBe(1);
  });

  it('e-mails each notification once with two workers running the e-mail queue', async () => {
    const deadline = Date.now() + 120_000;
    let open = 1;
    while (open > 0 && Date.now() < deadline) {
      [{ count: open }] = await sql<{ count: number }>(
        `SELECT count(*)::int AS count FROM notification WHERE email_status IN ('pending', 'queued')`,
      );
      if (open > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(open).toBe(0);
    const sent = await sql<{ id: string }>(`SELECT id FROM notification WHERE email_status = 'sent'`);
    expect(sent.length).toBeGreaterThan(0);
    for (const { id } of sent) expect([id, smtp.messagesFor(id).length]).toEqual([id, 1]);
    expect(smtp.received).toHaveLength(sent.length);
    // Both workers ran: each logged its scheduled jobs.
    for (const worker of workers) expect(worker.output()).toMatch(/Scheduled .*queue-notification-emails/);
  });

  /** Answers of `path` on `base` until one is not 200 or a second has passed; the last status. */
  const refusedWithinASecond = async (base: string, token: string, since: number): Promise<number> => {
    let status = (await call(base, 'GET', '/api/v1/me', { token })).status;
    while (status === 200 && Date.now() - since < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await call(base, 'GET', '/api/v1/me', { token })).status;
    }
    return status;
  };

  it('refuses on one instance, within 1 s, a session revoked on the other', async () => {
    const [first, second] = bases;
    const login = await call(first, 'POST', '/api/v1/auth/login', {
      body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    expect(login.status).toBe(200);
    const token = login.body.accessToken as string;
    // Twice: the second instance has resolved (and keeps in memory) the token's session.
    expect((await call(second, 'GET', '/api/v1/me', { token })).status).toBe(200);
    expect((await call(second, 'GET', '/api/v1/me', { token })).status).toBe(200);

    const logout = await call(first, 'POST', '/api/v1/auth/logout', {
      token,
      body: { refreshToken: login.body.refreshToken },
    });
    expect(logout.status).toBe(204);
    const revokedAt = Date.now();

    expect(await refusedWithinASecond(second, token, revokedAt)).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
  });

  it('refuses on one instance, within 1 s, a user deactivated on the other', async () => {
    const [first, second] = bases;
    const admin = await call(first, 'POST', '/api/v1/auth/login', {
      body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    expect(admin.status).toBe(200);
    const adminToken = admin.body.accessToken as string;
    const me = await call(first, 'GET', '/api/v1/me', { token: adminToken });
    const organizationId = me.body.organization.id as string;
    const password = 'Quartz-harbor-lantern-52';
    const created = await call(first, 'POST', `/api/v1/organizations/${organizationId}/users`, {
      token: adminToken,
      body: {
        email: 'officer@two-instances.test',
        name: 'Two Instances Officer',
        role: 'secretariat_officer',
        password,
      },
    });
    expect(created.status).toBe(201);
    const login = await call(second, 'POST', '/api/v1/auth/login', {
      body: { email: 'officer@two-instances.test', password },
    });
    expect(login.status).toBe(200);
    const token = login.body.accessToken as string;
    expect((await call(second, 'GET', '/api/v1/me', { token })).status).toBe(200);
    expect((await call(second, 'GET', '/api/v1/me', { token })).status).toBe(200);

    const deactivated = await call(
      first,
      'PATCH',
      `/api/v1/organizations/${organizationId}/users/${created.body.id as string}`,
      { token: adminToken, body: { isActive: false } },
    );
    expect(deactivated.status).toBe(200);
    const deactivatedAt = Date.now();

    expect(await refusedWithinASecond(second, token, deactivatedAt)).toBe(401);
    expect(Date.now() - deactivatedAt).toBeLessThan(1000);
  });

  it('counts failed logins of both instances together', async () => {
    const [first, second] = bases;
    const attempt = (base: string, password: string) =>
      call(base, 'POST', '/api/v1/auth/login', {
        forwardedFor: '203.0.113.99',
        body: { email: ADMIN_EMAIL, password },
      });
    expect((await attempt(first, 'wrong-password-1')).status).toBe(401);
    expect((await attempt(second, 'wrong-password-2')).status).toBe(401);
    expect((await attempt(first, 'wrong-password-3')).status).toBe(401);

    const refusedOnSecond = await attempt(second, ADMIN_PASSWORD);
    const refusedOnFirst = await attempt(first, ADMIN_PASSWORD);

    expect(refusedOnSecond.status).toBe(429);
    expect(refusedOnFirst.status).toBe(429);
  });

  it('shows on one instance, within 1 s, a registry change made through the other (LISTEN/NOTIFY)', async () => {
    const [first, second] = bases;
    const login = await call(first, 'POST', '/api/v1/auth/login', {
      body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    expect(login.status).toBe(200);
    const token = login.body.accessToken as string;
    const today = new Date();
    const isoDay = (offsetDays: number): string =>
      new Date(today.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const certifier = await call(first, 'POST', '/api/v1/organizations', {
      token,
      body: {
        kind: 'certifier',
        name: 'Certifier Before Rename',
        country: 'PE',
        license: { validFrom: isoDay(-30), validUntil: isoDay(335) },
      },
    });
    expect(certifier.status).toBe(201);

    // One certificate of that certifier, written directly (a full certification is not this test's
    // subject); foreign keys to a case and an institution are not checked for this one row.
    const sql = new Client({ connectionString: withDatabase(server, database) });
    await sql.connect();
    try {
      await sql.query('BEGIN');
      await sql.query('SET LOCAL session_replication_role = replica');
      await sql.query(
        `INSERT INTO certificate (number, case_id, institution_id, certifier_id, edition_id, issued_on,
           valid_until, package_sha256, status, holder_name, holder_country, decided_on, published_on)
         VALUES ('CPC-TWO-0001', gen_random_uuid(), gen_random_uuid(), $1, '2016', $2, $3, $4, 'active',
           'Two Instances Cooperative', 'PE', $2, $2)`,
        [certifier.body.id, isoDay(-1), isoDay(700), 'a'.repeat(64)],
      );
      await sql.query('COMMIT');
    } finally {
      await sql.end();
    }

    const certifierOnRegistry = async (base: string): Promise<string | undefined> => {
      const page = await call(base, 'GET', '/api/v1/registry?q=Two%20Instances');
      expect(page.status).toBe(200);
      return (page.body.items as { certifierName?: string; certifier?: { name?: string } }[]).map(
        (item) => item.certifierName ?? item.certifier?.name,
      )[0];
    };
    // Wait until both instances have read (and cached) the row as it is now.
    for (const base of bases) {
      const deadline = Date.now() + 15_000;
      while ((await certifierOnRegistry(base)) !== 'Certifier Before Rename' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(await certifierOnRegistry(base)).toBe('Certifier Before Rename');
    }

    const renamed = await call(first, 'PATCH', `/api/v1/organizations/${certifier.body.id}`, {
      token,
      body: { version: certifier.body.version, name: 'Certifier After Rename' },
    });
    expect(renamed.status).toBe(200);
    const renamedAt = Date.now();
    let seen = await certifierOnRegistry(second);
    while (seen !== 'Certifier After Rename' && Date.now() - renamedAt < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = await certifierOnRegistry(second);
    }
    expect(seen).toBe('Certifier After Rename');
    expect(Date.now() - renamedAt).toBeLessThan(1000);
  });

  it('shows on one instance, within 1 s, a case list total changed through the other (LISTEN/NOTIFY)', async () => {
    const [first, second] = bases;
    const signIn = async (email: string, password: string): Promise<string> => {
      const login = await call(first, 'POST', '/api/v1/auth/login', { body: { email, password } });
      expect(login.status).toBe(200);
      return login.body.accessToken as string;
    };
    const secretariat = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    const institution = await signIn('admin@sahel.demo', DEMO_PASSWORD);
    const drafts = async (): Promise<number> => {
      const page = await call(second, 'GET', '/api/v1/cases?status=draft&pageSize=1', { token: secretariat });
      expect(page.status).toBe(200);
      return page.body.total as number;
    };
    // Twice: the second instance has counted the list and keeps its total.
    const before = await drafts();
    expect(await drafts()).toBe(before);

    const own = await call(first, 'GET', '/api/v1/cases?pageSize=1', { token: institution });
    const [demoCase] = own.body.items as { edition: { id: string }; certifier: { id: string } }[];
    const opened = await call(first, 'POST', '/api/v1/cases', {
      token: institution,
      body: { editionId: demoCase.edition.id, certifierId: demoCase.certifier.id, type: 'certification' },
    });
    expect(opened.status).toBe(201);
    const openedAt = Date.now();
    let seen = await drafts();
    while (seen !== before + 1 && Date.now() - openedAt < 1000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = await drafts();
    }
    expect(seen).toBe(before + 1);
    expect(Date.now() - openedAt).toBeLessThan(1000);
  });

  it('shares the general rate limit: each instance refuses a caller who spent the budget on both', async () => {
    const [first, second] = bases;
    const from = (base: string) => call(base, 'GET', '/api/v1/standards', { forwardedFor: '203.0.113.77' });
    const spend = async (base: string, count: number) => {
      for (let sent = 0; sent < count; sent += 10) {
        const answers = await Promise.all(
          Array.from({ length: Math.min(10, count - sent) }, () => from(base)),
        );
        expect(answers.every((answer) => answer.status === 200)).toBe(true);
      }
    };
    await spend(first, RATE_LIMIT / 2);
    await spend(second, RATE_LIMIT / 2);
    await new Promise((resolve) => setTimeout(resolve, FLUSHED_MS));

    // Each instance learns the other's count at its next flush: at most one flush interval of overshoot.
    const admittedUntilRefused = async (base: string): Promise<number> => {
      for (let admitted = 0; admitted < 50; admitted += 1) {
        const answer = await from(base);
        if (answer.status === 429) {
          expect(answer.body.code).toBe('RATE_LIMITED');
          return admitted;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return Number.POSITIVE_INFINITY;
    };
    expect(await admittedUntilRefused(first)).toBeLessThan(50);
    expect(await admittedUntilRefused(second)).toBeLessThan(50);
  });
});
