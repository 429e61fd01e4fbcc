import { rmSync, writeFileSync } from 'node:fs';
import { ApiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { aCase } from './support/case-fixture';
import { uploadEvidence, uploadVersion } from './support/evidence-requests';
import { aLargePdf, aPdf } from './support/sample-files';
import { TestS3Server } from './support/test-s3-server';

type Driver = 'local-disk' | 's3';

describe.each<Driver>(['local-disk', 's3'])('%s storage unavailable', (driver) => {
  let s3: TestS3Server | undefined;
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let caseId: string;
  let evidenceId: string;

  const countRows = async (): Promise<{ items: number; versions: number; events: number }> => {
    const [row]: { items: number; versions: number; events: number }[] = await testApp.dataSource.query(
      `SELECT (SELECT count(*)::int FROM evidence_item) AS items,
              (SELECT count(*)::int FROM evidence_version) AS versions,
              (SELECT count(*)::int FROM audit_event WHERE entity_type = 'evidence') AS events`,
    );
    return row;
  };

  beforeAll(async () => {
    s3 = driver === 's3' ? await TestS3Server.start() : undefined;
    testApp = await startTestApp(s3?.env() ?? {});
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    caseId = await aCase(testApp.dataSource, world, { status: 'desk_review' });
    const uploaded = await uploadEvidence(client, world.sessions.institution_admin, caseId, {
      file: aPdf(),
      fileName: 'before.pdf',
      title: 'Uploaded while the storage answered',
      indicatorCodes: ['1.1.1'],
    }).expect(201);
    evidenceId = uploaded.body.id;
    // The storage goes away: the S3 server stops; the evidence folder becomes a regular file.
    if (s3) await s3.stop();
    else {
      rmSync(testApp.config.storage.localDirectory, { recursive: true, force: true });
      writeFileSync(testApp.config.storage.localDirectory, 'not a folder');
    }
  });

  afterAll(async () => {
    await testApp?.close();
    await s3?.close();
  });

  it.each([
    ['a small file', () => aPdf()],
    ['a file of several parts', () => aLargePdf(9 * 1024 * 1024)],
  ])('answers an upload of %s with 503 STORAGE_UNAVAILABLE and writes no row', async (_label, make) => {
    const before = await countRows();
    const response = await uploadEvidence(client, world.sessions.institution_admin, caseId, {
      file: make(),
      fileName: 'during.pdf',
      title: 'Uploaded while the storage is down',
      indicatorCodes: ['1.1.1'],
    });
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      statusCode: 503,
      code: 'STORAGE_UNAVAILABLE',
      message: expect.any(String),
    });
    expect(await countRows()).toEqual(before);
  });

  it('answers a new version with 503 and keeps the evidence at its version', async () => {
    const response = await uploadVersion(
      client,
      world.sessions.institution_admin,
      evidenceId,
      aPdf(),
      'v2.pdf',
    );
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('STORAGE_UNAVAILABLE');
    const detail = await client
      .get(`/api/v1/evidence/${evidenceId}`, world.sessions.institution_admin)
      .expect(200);
    expect(detail.body.version).toBe(1);
  });

  it('answers a download with 503 and reports the storage down in readiness', async () => {
    const response = await client.get(`/api/v1/evidence/${evidenceId}/content`, world.sessions.rater);
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('STORAGE_UNAVAILABLE');
    const ready = await client.get('/health/ready');
    expect(ready.status).toBe(503);
  });
});
