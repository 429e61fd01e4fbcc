import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { EvidenceStorage, type S3Storage } from '@app/storage';
import { ApiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { aCase } from '../evidence/support/case-fixture';
import { uploadEvidence } from '../evidence/support/evidence-requests';
import { aLargePdf, aPdf } from '../evidence/support/sample-files';
import { type RunningProcess, startProcess, stopAllProcesses } from '../smoke/process-runner';
import { freePort } from './support/postgres-cluster';
import { waitUntil } from './support/processes';

const BUCKET = 'cpc-faults';
const FIFTY_MB = 50 * 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Evidence uploads while the S3-compatible store fails: s3rver in a process of its own (killed and
 * started again on the same port and folder), the API in this process on its own database.
 */
describe('the evidence store failing mid-upload (s3rver, killed and faulted)', () => {
  let directory: string;
  let port: number;
  let s3: RunningProcess | undefined;
  let admin: S3Client;
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let caseId: string;

  const uploadsFolder = (): string => join(directory, BUCKET, '._S3rver_uploads');
  const pendingUploads = (): string[] => (existsSync(uploadsFolder()) ? readdirSync(uploadsFolder()) : []);
  const hasStoredParts = (): boolean =>
    pendingUploads().some((upload) =>
      readdirSync(join(uploadsFolder(), upload)).some((file) => /^\d+$/.test(file)),
    );

  async function startS3(): Promise<void> {
    s3 = startProcess('test/faults/support/s3-server.js', [directory, String(port)], {});
    await s3.waitFor(/S3 port \d+/, 15_000);
  }

  const countRows = async (): Promise<{ items: number; versions: number }> => {
    const [row]: { items: number; versions: number }[] = await testApp.dataSource.query(
      `SELECT (SELECT count(*)::int FROM evidence_item) AS items,
              (SELECT count(*)::int FROM evidence_version) AS versions`,
    );
    return row;
  };

  const upload = (file: Buffer) =>
    uploadEvidence(client, world.sessions.institution_admin, caseId, {
      file,
      fileName: 'large.pdf',
      title: 'A large file',
      indicatorCodes: ['1.1.1'],
    });

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'cpc-faults-s3-'));
    port = await freePort();
    await startS3();
    const endpoint = `http://127.0.0.1:${port}`;
    admin = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    await admin.send(new CreateBucketCommand({ Bucket: BUCKET }));
    testApp = await startTestApp({
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    caseId = await aCase(testApp.dataSource, world, { status: 'desk_review' });
  }, 120_000);

  afterAll(async () => {
    await testApp?.close();
    admin?.destroy();
    await stopAllProcesses();
    if (directory) rmSync(directory, { recursive: true, force: true });
  }, 60_000);

  it('answers 503 STORAGE_UNAVAILABLE with Retry-After when the store is killed mid-upload, and recovers', async () => {
    const before = await countRows();
    const started = Date.now();
    const answer = upload(aLargePdf(FIFTY_MB)).then((response) => response);
    expect(await waitUntil(hasStoredParts, 30_000, 10)).toBe(true);
    s3!.child.kill('SIGKILL');
    await s3!.exited;

    const response = await answer;
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({
      statusCode: 503,
      code: 'STORAGE_UNAVAILABLE',
      requestId: expect.any(String),
    });
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await countRows()).toEqual(before);

    // The store comes back: the API answers again without a restart.
    await startS3();
    const ready = await client.get('/health/ready');
    expect(ready.status).toBe(200);
    await upload(aPdf()).expect(201);

    // The killed upload's parts could not be aborted while the store was down: the clean-up job
    // (ListMultipartUploads + AbortMultipartUpload) removes them once they are old enough.
    const listed = await admin.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(listed.Uploads?.length ?? 0).toBeGreaterThan(0);
    const storage = testApp.app.get<EvidenceStorage, S3Storage>(EvidenceStorage);
    expect(await storage.abortIncompleteUploads(new Date(Date.now() - DAY_MS))).toBe(0);
    expect(pendingUploads().length).toBeGreaterThan(0);
    expect(await storage.abortIncompleteUploads(new Date(Date.now() + 1000))).toBe(listed.Uploads!.length);
    expect(pendingUploads()).toEqual([]);
    expect((await admin.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? []).toEqual([]);
  }, 60_000);

  it('aborts the multipart upload at once when the store fails mid-upload but still answers: no parts left', async () => {
    const before = await countRows();
    const answer = upload(aLargePdf(FIFTY_MB)).then((response) => response);
    expect(await waitUntil(hasStoredParts, 30_000, 10)).toBe(true);
    s3!.child.kill('SIGUSR2');
    try {
      const response = await answer;
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('STORAGE_UNAVAILABLE');
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(await countRows()).toEqual(before);
      expect(pendingUploads()).toEqual([]);
    } finally {
      s3!.child.kill('SIGUSR2');
    }
    await upload(aPdf()).expect(201);
    expect(pendingUploads()).toEqual([]);
  }, 60_000);
});
