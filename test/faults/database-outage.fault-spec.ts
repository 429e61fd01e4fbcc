import { stopAllProcesses } from '../smoke/process-runner';
import { type Answer, call, login, type RunningApi, sleep, startApi } from './support/api-process';
import { clusterUnavailableReason, PostgresCluster } from './support/postgres-cluster';

const skipReason = clusterUnavailableReason();
if (skipReason) console.warn(`Skipping the database fault tests: ${skipReason}`);
const describeWithCluster = skipReason ? describe.skip : describe;

const CONNECT_TIMEOUT_MS = 1000;

function expectDatabaseUnavailable(answer: Answer): void {
  expect({ status: answer.status, code: answer.body?.code }).toEqual({
    status: 503,
    code: 'DATABASE_UNAVAILABLE',
  });
  expect(answer.body).toMatchObject({
    statusCode: 503,
    message: expect.any(String),
    requestId: expect.any(String),
  });
  expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
}

/** Polls `path` until it answers 200 or `timeoutMs` passes; returns the last answer. */
async function until200(base: string, path: string, token: string, timeoutMs: number): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await call(base, path, { token });
    if (answer.status === 200 || Date.now() > deadline) return answer;
    await sleep(200);
  }
}

describeWithCluster('an unavailable database (a PostgreSQL cluster of its own, stopped and frozen)', () => {
  let cluster: PostgresCluster;
  let api: RunningApi;
  let token: string;

  beforeAll(async () => {
    cluster = await PostgresCluster.create();
    api = await startApi({
      DATABASE_URL: cluster.url(),
      DATABASE_POOL_SIZE: '2',
      DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    });
    token = await login(api.base);
  }, 120_000);

  afterAll(async () => {
    await stopAllProcesses();
    cluster?.drop();
  }, 60_000);

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After, not 401, while stopped, and recovers without a restart', async () => {
    expect((await call(api.base, '/api/v1/me', { token })).status).toBe(200);

    cluster.stop('fast');
    const during: Answer[] = [];
    for (const path of ['/api/v1/me', '/api/v1/me', '/api/v1/organizations', '/api/v1/cases', '/api/v1/me'])
      during.push(await call(api.base, path, { token }));
    for (const answer of during) expectDatabaseUnavailable(answer);
    // Each answer comes promptly: a refused connection, not a wait.
    expect(Math.max(...during.map((answer) => answer.ms))).toBeLessThan(CONNECT_TIMEOUT_MS + 2000);

    // A token that is really invalid is still 401: the check does not need the database.
    const forged = await call(api.base, '/api/v1/me', { token: `${token.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('UNAUTHENTICATED');

    const ready = await call(api.base, '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ component: 'database' })]),
    );

    cluster.start();
    const after = await until200(api.base, '/api/v1/me', token, 15_000);
    expect(after.status).toBe(200);
    expect((await call(api.base, '/health/ready')).status).toBe(200);
    expect(api.process.child.exitCode).toBeNull();
  }, 60_000);

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After while frozen and its pool is exhausted, and recovers on thaw', async () => {
    expect((await until200(api.base, '/api/v1/me', token, 15_000)).status).toBe(200);

    cluster.freeze();
    try {
      // The pool's connections hang in these requests (a frozen server answers nothing; a request that
      // opens a new connection instead gives up after the connect timeout)…
      const held = [1, 2].map(() => call(api.base, '/api/v1/me', { token, timeoutMs: 50_000 }));
      await sleep(300);
      // …so every other request waits for a connection, gives up after the connect timeout and says so.
      const during: Answer[] = [];
      for (let round = 0; round < 4; round += 1) during.push(await call(api.base, '/api/v1/me', { token }));
      for (const answer of during) expectDatabaseUnavailable(answer);
      expect(Math.max(...during.map((answer) => answer.ms))).toBeLessThan(CONNECT_TIMEOUT_MS + 3000);

      cluster.thaw();
      const released = await Promise.all(held);
      for (const answer of released) if (answer.status !== 200) expectDatabaseUnavailable(answer);
    } finally {
      cluster.thaw();
    }
    expect((await until200(api.base, '/api/v1/me', token, 15_000)).status).toBe(200);
  }, 60_000);
});
