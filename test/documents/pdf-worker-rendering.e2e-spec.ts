import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfiguration } from '@app/config';
import { type DatabaseConnection, openDatabaseConnection } from '@app/database';
import {
  PDF_RENDER_QUEUE,
  PDF_RENDER_RETRY_AFTER_SECONDS,
  PdfDocumentsService,
  PdfRenderer,
} from '@app/documents';
import type request from 'supertest';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { ApiClient, type Session } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { serverUrl } from '../support/test-database';
import { buildWorld, type World } from '../support/world';

// A worker shares the API's database: that takes a PostgreSQL server (the embedded one serves one process).
const describeWithServer = serverUrl() ? describe : describe.skip;

const RENDER_TIMEOUT_MS = 8000;

describeWithServer('PDF rendering in the worker pool (PDF_RENDERING=worker), with real Chromium', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;
  let worker: { context: INestApplicationContext; connection: DatabaseConnection } | undefined;

  beforeAll(async () => {
    testApp = await startTestApp({
      PDF_RENDERING: 'worker',
      PDF_RENDER_TIMEOUT_MS: String(RENDER_TIMEOUT_MS),
      // The API has no browser: were it to render in-process, these tests would fail.
      CHROMIUM_PATH: '/nonexistent/chromium',
    });
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
  });

  afterAll(async () => {
    await worker?.context.close();
    await worker?.connection.close();
    await testApp?.close();
  });

  const pdf = (path: string, session: Session) =>
    client.get(path, session).responseType('blob') as unknown as request.Test & Promise<request.Response>;

  const startWorker = async () => {
    const config = loadConfiguration({
      ...process.env,
      DATABASE_URL: testApp.databaseUrl,
      EVIDENCE_DIR: testApp.config.storage.localDirectory,
      JWT_SECRET: 'worker-test-secret-worker-test-secret-00',
      LOG_LEVEL: 'silent',
    });
    const connection = await openDatabaseConnection(config.database);
    const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, connection), {
      logger: false,
    });
    await context.get(PdfDocumentsService).registerRenderWorker();
    worker = { context, connection };
  };

  it('answers 503 PDF_RENDERER_UNAVAILABLE with Retry-After when no worker renders within the deadline', async () => {
    const { certificateNumber } = await cases.published();
    const started = Date.now();
    const response = await pdf(
      `/api/v1/certificates/${certificateNumber}/pdf?lang=en`,
      world.sessions.institution_admin,
    );
    expect(response.status).toBe(503);
    expect(response.body.code ?? JSON.parse(response.body.toString()).code).toBe('PDF_RENDERER_UNAVAILABLE');
    expect(response.headers['retry-after']).toBe(String(PDF_RENDER_RETRY_AFTER_SECONDS));
    expect(Date.now() - started).toBeGreaterThanOrEqual(RENDER_TIMEOUT_MS - 500);
    // The render stays queued for a worker.
    const [{ count }] = await testApp.dataSource.query<{ count: number }[]>(
      "SELECT count(*)::int AS count FROM pgboss.job WHERE name = $1 AND state = 'created'",
      [PDF_RENDER_QUEUE],
    );
    expect(count).toBe(1);
  });

  it('renders in the worker, stores by content hash, and shares one render between simultaneous requests', async () => {
    await startWorker();
    const { certificateNumber } = await cases.published();
    // The worker's Chromium starts on its first render; a client honours Retry-After meanwhile.
    let warm = await pdf(
      `/api/v1/certificates/${certificateNumber}/pdf?lang=fr`,
      world.sessions.institution_admin,
    );
    for (let attempt = 0; warm.status === 503 && attempt < 6; attempt += 1) {
      warm = await pdf(
        `/api/v1/certificates/${certificateNumber}/pdf?lang=fr`,
        world.sessions.institution_admin,
      );
    }
    expect(warm.status).toBe(200);
    // The render queued by the previous test is the worker's too: let it finish before counting.
    for (let waited = 0; waited < 60_000; waited += 200) {
      const [{ count }] = await testApp.dataSource.query<{ count: number }[]>(
        "SELECT count(*)::int AS count FROM pgboss.job WHERE name = $1 AND state IN ('created', 'active', 'retry')",
        [PDF_RENDER_QUEUE],
      );
      if (count === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const renderer = worker!.context.get(PdfRenderer);
    const renderedBefore = renderer.stats().rendered;

    const path = `/api/v1/certificates/${certificateNumber}/pdf?lang=es`;
    const responses = await Promise.all([
      pdf(path, world.sessions.institution_admin),
      pdf(path, world.sessions.institution_admin),
      pdf(path, world.sessions.certifier_admin),
    ]);
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect((response.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    }
    expect(new Set(responses.map((response) => response.headers.etag)).size).toBe(1);
    expect(renderer.stats().rendered - renderedBefore).toBe(1);
    // The API never started a browser.
    expect(testApp.app.get(PdfRenderer).stats().launches).toBe(0);
    const [{ count }] = await testApp.dataSource.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM rendered_document WHERE content_sha256 = $1`,
      [responses[0].headers.etag.replace(/"/g, '')],
    );
    expect(count).toBe(1);

    // A repeat is served from storage, without a render.
    const again = await pdf(path, world.sessions.institution_admin);
    expect(again.status).toBe(200);
    expect(renderer.stats().rendered - renderedBefore).toBe(1);
  });
});
