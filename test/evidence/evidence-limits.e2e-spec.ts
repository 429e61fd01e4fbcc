import type request from 'supertest';
import { ApiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { aCase } from './support/case-fixture';
import { filesUnder, uploadEvidence } from './support/evidence-requests';
import { aLargePdf, anExecutable, aPdf, aPng, aText, aZip, sha256 } from './support/sample-files';
import { TestS3Server } from './support/test-s3-server';

type Driver = 'local-disk' | 's3';

const LIMIT = 65536;

function expectError(response: request.Response, status: number, code: string): void {
  expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
  expect(response.body).toMatchObject({
    statusCode: status,
    message: expect.any(String),
    requestId: expect.any(String),
  });
}

describe.each<Driver>(['local-disk', 's3'])(
  'upload limits on %s storage (EVIDENCE_MAX_BYTES=65536)',
  (driver) => {
    let s3: TestS3Server | undefined;
    let testApp: TestApp;
    let client: ApiClient;
    let world: World;
    let caseId: string;

    /** No evidence row, no object in the bucket, no file (temporary ones included) in EVIDENCE_DIR. */
    async function expectNothingStored(): Promise<void> {
      const [{ items, versions }]: { items: number; versions: number }[] = await testApp.dataSource.query(
        'SELECT (SELECT count(*)::int FROM evidence_item) AS items, (SELECT count(*)::int FROM evidence_version) AS versions',
      );
      expect({ items, versions }).toEqual({ items: 0, versions: 0 });
      expect(filesUnder(testApp.config.storage.localDirectory)).toEqual([]);
      if (s3) expect(await s3.listKeys()).toEqual([]);
    }

    const upload = (file: Buffer, fileName: string, contentType?: string) =>
      uploadEvidence(client, world.sessions.institution_admin, caseId, {
        file,
        fileName,
        contentType,
        title: 'Scan',
        indicatorCodes: ['1.1.1'],
      });

    beforeAll(async () => {
      s3 = driver === 's3' ? await TestS3Server.start() : undefined;
      testApp = await startTestApp({ ...s3?.env(), EVIDENCE_MAX_BYTES: String(LIMIT) });
      client = new ApiClient(testApp.app);
      world = await buildWorld(client);
      caseId = await aCase(testApp.dataSource, world, { status: 'draft' });
    });

    afterAll(async () => {
      await testApp?.close();
      await s3?.close();
    });

    it('refuses a 200 KB file with 413 and keeps nothing, not even a partial or temporary file', async () => {
      const response = await upload(aLargePdf(200 * 1024), 'big-scan.pdf');
      expectError(response, 413, 'PAYLOAD_TOO_LARGE');
      expect(response.body.details).toEqual([
        { field: 'file', message: `must be at most ${LIMIT} bytes`, maxBytes: LIMIT },
      ]);
      await expectNothingStored();
    });

    it('refuses a body whose declared length is far over the limit before reading it', async () => {
      const response = await upload(aLargePdf(3 * 1024 * 1024), 'huge-scan.pdf');
      expectError(response, 413, 'PAYLOAD_TOO_LARGE');
      await expectNothingStored();
    });

    it.each([
      ['a .pdf whose bytes are not a PDF', aPng(), 'scan.pdf', undefined],
      ['bytes of no accepted type', anExecutable(), 'setup.exe', undefined],
      ['the same bytes without an extension', anExecutable(), 'setup', undefined],
      ['a PDF declared as image/png', aPdf(), 'scan', 'image/png'],
      ['a PDF named .exe', aPdf(), 'scan.exe', undefined],
      ['a ZIP that is no office document', aZip([['data.bin', 'x']]), 'archive.zip', undefined],
      [
        'text with NUL bytes',
        Buffer.concat([aText(), Buffer.from([0, 1, 2]), aText()]),
        'notes.txt',
        undefined,
      ],
      [
        'a .txt that is not UTF-8',
        Buffer.from([0x48, 0x6f, 0x6c, 0x61, 0x20, 0xe9, 0xe9, 0x0a]),
        'notes.txt',
        undefined,
      ],
    ] as [string, Buffer, string, string | undefined][])(
      'refuses %s with 415 and keeps nothing',
      async (_label, file, fileName, contentType) => {
        const response = await upload(file, fileName, contentType);
        expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
        expect(response.body.details).toEqual([{ field: 'file', message: expect.any(String) }]);
        await expectNothingStored();
      },
    );

    it('accepts a file of exactly the limit on the same connection after the refusals', async () => {
      const file = aLargePdf(LIMIT);
      expect(file.length).toBe(LIMIT);
      const response = await upload(file, 'exact.pdf').expect(201);
      expect(response.body).toMatchObject({ size: LIMIT, sha256: sha256(file) });
      const overByOne = await upload(aLargePdf(LIMIT + 1), 'over.pdf');
      expectError(overByOne, 413, 'PAYLOAD_TOO_LARGE');
      const [{ count }]: { count: number }[] = await testApp.dataSource.query(
        'SELECT count(*)::int AS count FROM evidence_version',
      );
      expect(count).toBe(1);
      const keys = s3 ? await s3.listKeys() : filesUnder(testApp.config.storage.localDirectory);
      expect(keys).toHaveLength(1);
    });
  },
);
