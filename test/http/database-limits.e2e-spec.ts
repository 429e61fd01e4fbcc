import { canonicalJson, sha256Hex } from '@app/common';
import { loadConfiguration } from '@app/config';
import { buildDataSourceOptions, openDatabaseConnection, runPendingMigrations } from '@app/database';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { ApiClient } from '../support/api-client';
import { CaseBuilder, type CaseRef } from '../support/case-builder';
import { anEdition } from '../support/edition-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { adminQuery, serverUrl, withDatabase } from '../support/test-database';
import { buildWorld, type World } from '../support/world';

/** An app with its world and a small published edition. */
async function startWorld(overrides: Record<string, string | undefined> = {}) {
  const testApp = await startTestApp(overrides);
  const client = new ApiClient(testApp.app);
  const world = await buildWorld(client);
  const edition = anEdition().withShape(1, 1, 2).build();
  await client.post('/api/v1/standards', world.sessions.secretariat_admin).send(edition).expect(201);
  await client
    .post(`/api/v1/standards/${edition.id as string}/publish`, world.sessions.secretariat_admin)
    .expect(200);
  return { testApp, client, world, cases: new CaseBuilder(client, world).withEdition(edition.id as string) };
}

/** Runs `request` while another session holds the case row `FOR UPDATE`, as a stuck transaction would. */
async function whileCaseRowHeld(testApp: TestApp, caseId: string, request: () => PromiseLike<Response>) {
  const holder = new Client({ connectionString: testApp.databaseUrl });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM certification_case WHERE id = $1 FOR UPDATE', [caseId]);
    const started = Date.now();
    const response = await request();
    return { response, elapsedMs: Date.now() - started };
  } finally {
    await holder.query('ROLLBACK');
    await holder.end();
  }
}

const busyShape = (response: Response) => ({
  status: response.status,
  retryAfter: response.headers['retry-after'],
  body: response.body as unknown,
});

const expectedBusy = {
  status: 503,
  retryAfter: expect.stringMatching(/^\d+$/),
  body: {
    statusCode: 503,
    code: 'DATABASE_BUSY',
    message: expect.any(String),
    details: [],
    requestId: expect.any(String),
  },
};

const describeOnServer = serverUrl() ? describe : describe.skip;

describeOnServer('statement and lock timeouts on a PostgreSQL server', () => {
  describe('with a 300 ms lock timeout', () => {
    let started: Awaited<ReturnType<typeof startWorld>>;
    let onsite: CaseRef;

    beforeAll(async () => {
      started = await startWorld({ DATABASE_LOCK_TIMEOUT_MS: '300', DATABASE_STATEMENT_TIMEOUT_MS: '5000' });
      onsite = await started.cases.onsite();
    });

    afterAll(() => started?.testApp.close());

    it('sets the limits on every connection of the pool', async () => {
      const [settings] = await started.testApp.dataSource.query<Record<string, string>[]>(
        `SELECT current_setting('statement_timeout') AS statement, current_setting('lock_timeout') AS lock,
                current_setting('idle_in_transaction_session_timeout') AS idle`,
      );
      expect(settings).toEqual({ statement: '5s', lock: '300ms', idle: '30s' });
    });

    it('answers 503 DATABASE_BUSY with Retry-After when a save waits on a held case row, and saves nothing', async () => {
      const { client, world, testApp } = started;
      const before = await client.get(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater).expect(200);
      const code = before.body.ratings[0].indicatorCode as string;

      const { response, elapsedMs } = await whileCaseRowHeld(testApp, onsite.id, () =>
        client
          .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
          .send({ ratings: [{ indicatorCode: code, rating: 'met' }] }),
      );

      expect(busyShape(response)).toEqual(expectedBusy);
      expect(elapsedMs).toBeLessThan(3000);
      const after = await client.get(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater).expect(200);
      expect(after.body.ratings[0]).toEqual(before.body.ratings[0]);
      // Once the row is free the same save goes through.
      await client
        .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
        .send({ ratings: [{ indicatorCode: code, rating: 'met' }] })
        .expect(200);
    });
  });

  describe('with a 400 ms statement timeout and no lock timeout', () => {
    let started: Awaited<ReturnType<typeof startWorld>>;

    beforeAll(async () => {
      started = await startWorld({ DATABASE_LOCK_TIMEOUT_MS: '0', DATABASE_STATEMENT_TIMEOUT_MS: '400' });
    });

    afterAll(() => started?.testApp.close());

    it('answers 503 DATABASE_BUSY when a statement runs over its time', async () => {
      const { client, world, testApp, cases } = started;
      const draft = await cases.open();
      const { response, elapsedMs } = await whileCaseRowHeld(testApp, draft.id, () =>
        client
          .patch(`/api/v1/cases/${draft.id}`, world.sessions.institution_admin)
          .send({ version: draft.version, type: 'certification' }),
      );
      expect(busyShape(response)).toEqual(expectedBusy);
      expect(elapsedMs).toBeLessThan(3000);
      expect(await cases.read(draft.id)).toMatchObject({ version: draft.version });
    });

    it('applies migrations that take longer than the statement timeout', async () => {
      const server = serverUrl()!;
      const database = `cpc_migrate_${Date.now().toString(36)}`;
      await adminQuery(server, `CREATE DATABASE "${database}"`);
      class SlowMigration1796200000001 implements MigrationInterface {
        name = 'SlowMigration1796200000001';
        async up(queryRunner: QueryRunner): Promise<void> {
          await queryRunner.query('SELECT pg_sleep(1)');
          await queryRunner.query('CREATE TABLE slow_marker (id integer)');
        }
        async down(queryRunner: QueryRunner): Promise<void> {
          await queryRunner.query('DROP TABLE slow_marker');
        }
      }
      const dataSource = new DataSource(
        buildDataSourceOptions(
          {
            url: withDatabase(server, database),
            isEmbedded: false,
            poolSize: 2,
            connectTimeoutMs: 5000,
            timeouts: { statementTimeoutMs: 400, lockTimeoutMs: 300, idleInTransactionTimeoutMs: 30000 },
            close: () => Promise.resolve(),
          },
          [],
          [SlowMigration1796200000001],
        ),
      );
      try {
        await dataSource.initialize();
        await expect(dataSource.query('SELECT pg_sleep(1)')).rejects.toMatchObject({
          driverError: { code: '57014' },
        });
        const applied = await runPendingMigrations(dataSource, false);
        expect(applied.map((migration) => migration.name)).toEqual(['SlowMigration1796200000001']);
        // The connection that migrated went back to the pool with the limits of every other one.
        const settings = await Promise.all(
          [0, 1].map(() =>
            dataSource.query<{ timeout: string }[]>(`SELECT current_setting('statement_timeout') AS timeout`),
          ),
        );
        expect(settings.flat().map((row) => row.timeout)).toEqual(['400ms', '400ms']);
      } finally {
        if (dataSource.isInitialized) await dataSource.destroy();
        await adminQuery(server, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      }
    });
  });
});

describe('the embedded database with the timeout settings', () => {
  it('opens and answers queries: PGlite is single-session and is sent no server limits', async () => {
    const config = loadConfiguration({
      ...process.env,
      DATABASE_URL: '',
      JWT_SECRET: 'x'.repeat(32),
      DATABASE_STATEMENT_TIMEOUT_MS: '400',
    });
    expect(config.database.timeouts.statementTimeoutMs).toBe(400);
    const connection = await openDatabaseConnection(config.database, { inMemory: true });
    const dataSource = new DataSource(buildDataSourceOptions(connection, [], []));
    try {
      expect(connection.timeouts).toBeUndefined();
      await dataSource.initialize();
      await expect(dataSource.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await connection.close();
    }
  });
});

describe('an Idempotency-Key held by a request whose process died', () => {
  let started: Awaited<ReturnType<typeof startWorld>>;

  beforeAll(async () => {
    started = await startWorld();
  });

  afterAll(() => started?.testApp.close());

  /** A claim left in the store as the interceptor makes it, by a process that then stopped. */
  const leaveClaim = async (key: string, body: object, leaseEndsInSeconds: number): Promise<void> => {
    const fingerprint = sha256Hex(`POST /api/v1/cases ${canonicalJson(body)}`);
    await started.testApp.dataSource.query(
      `INSERT INTO idempotency_record (scope, key, request_sha256, created_at, lease_expires_at)
       VALUES ($1, $2, $3, now() - interval '40 seconds', now() + make_interval(secs => $4))`,
      [started.world.sessions.institution_admin.userId, key, fingerprint, leaseEndsInSeconds],
    );
  };

  const openCase = (key: string, body: object) =>
    started.client
      .post('/api/v1/cases', started.world.sessions.institution_admin)
      .set('Idempotency-Key', key)
      .send(body);

  const body = (world: World) => ({
    editionId: world.openEditionId,
    certifierId: world.certifierId,
    type: 'certification',
  });

  it('runs a retry once the lease of the dead claim ran out (40 s after it was taken)', async () => {
    const request = body(started.world);
    await leaveClaim('retry-after-crash', request, -10);
    const retried = await openCase('retry-after-crash', request);
    expect(retried.status).toBe(201);
    // And the key now replays that answer.
    const repeated = await openCase('retry-after-crash', request);
    expect(repeated.status).toBe(201);
    expect(repeated.body.id).toBe(retried.body.id);
  });

  it('still answers 409 IDEMPOTENCY_REQUEST_IN_PROGRESS while the lease runs', async () => {
    const request = body(started.world);
    await leaveClaim('still-running', request, 20);
    const response = await openCase('still-running', request);
    expect({ status: response.status, code: response.body.code }).toEqual({
      status: 409,
      code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS',
    });
  });
});
