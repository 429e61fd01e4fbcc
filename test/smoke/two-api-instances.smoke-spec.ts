import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminQuery, dropDatabase, serverUrl, withDatabase } from '../support/test-database';
import { type RunningProcess, startProcess, stopAllProcesses } from './process-runner';

const API = 'dist/apps/api/src/main.js';
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

describeWithServer('two API processes on one database', () => {
  const server = serverUrl() ?? '';
  const database = `cpc_two_api_${randomBytes(5).toString('hex')}`;
  let directory: string;
  const bases: string[] = [];

  const start = async (): Promise<string> => {
    const api: RunningProcess = startProcess(API, [], {
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
    });
    const [, port] = await api.waitFor(/API\s+http:\/\/localhost:(\d+)\/api\/v1/);
    return `http://127.0.0.1:${port}`;
  };

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'cpc-two-api-'));
    await adminQuery(server, `CREATE DATABASE "${database}"`);
    // One after the other: the first migrates the fresh database, the second finds it ready.
    bases.push(await start());
    bases.push(await start());
  });

  afterAll(async () => {
    await stopAllProcesses();
    await dropDatabase(server, database);
    rmSync(directory, { recursive: true, force: true });
  });

  it('refuses on one instance, within 2 s, a session revoked on the other', async () => {
    const [first, second] = bases;
    const login = await call(first, 'POST', '/api/v1/auth/login', {
      body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    expect(login.status).toBe(200);
    const token = login.body.accessToken as string;
    expect((await call(second, 'GET', '/api/v1/me', { token })).status).toBe(200);

    const logout = await call(first, 'POST', '/api/v1/auth/logout', {
      token,
      body: { refreshToken: login.body.refreshToken },
    });
    expect(logout.status).toBe(204);
    const revokedAt = Date.now();

    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 2000) {
      status = (await call(second, 'GET', '/api/v1/me', { token })).status;
    }
    expect(status).toBe(401);
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
