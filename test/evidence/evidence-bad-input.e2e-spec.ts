import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type request from 'supertest';
import { ApiClient, type Session } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { aCase } from './support/case-fixture';
import { filesUnder, uploadEvidence } from './support/evidence-requests';
import { aPdf } from './support/sample-files';

const BOUNDARY = 'cpc-test-boundary';

function part(name: string, value: string): string {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
}

function filePart(name: string, fileName: string, content: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${fileName}"\r\n` +
        'Content-Type: application/pdf\r\n\r\n',
    ),
    content,
    Buffer.from('\r\n'),
  ]);
}

const END = `--${BOUNDARY}--\r\n`;

function expectError(response: request.Response, status: number, code: string, fields?: string[]): void {
  expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
  expect(response.body).toMatchObject({
    statusCode: status,
    message: expect.any(String),
    requestId: expect.any(String),
  });
  if (fields) {
    expect((response.body.details as { field?: string }[]).map((detail) => detail.field)).toEqual(fields);
  }
}

describe('bad evidence uploads are refused with 400/422, never 500, and leave nothing behind', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let caseId: string;
  let admin: Session;
  /** Versions a test keeps on purpose; everything else must leave no row and no file. */
  let keptVersions = 0;

  const raw = (body: Buffer | string, contentType = `multipart/form-data; boundary=${BOUNDARY}`) =>
    client.post(`/api/v1/cases/${caseId}/evidence`, admin).set('Content-Type', contentType).send(body);

  async function expectNothingStored(): Promise<void> {
    const [{ count }]: { count: number }[] = await testApp.dataSource.query(
      'SELECT count(*)::int AS count FROM evidence_version',
    );
    expect(count).toBe(keptVersions);
    expect(filesUnder(testApp.config.storage.localDirectory)).toHaveLength(keptVersions);
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    admin = world.sessions.institution_admin;
    caseId = await aCase(testApp.dataSource, world, { status: 'draft' });
  });

  afterEach(() => expectNothingStored());

  afterAll(() => testApp?.close());

  it('refuses a body without a file part', async () => {
    const response = await client
      .post(`/api/v1/cases/${caseId}/evidence`, admin)
      .field('title', 'No file')
      .field('indicatorCodes', '1.1.1');
    expectError(response, 400, 'VALIDATION_FAILED', ['file']);
  });

  it.each([
    ['JSON', 'application/json', JSON.stringify({ title: 'x', indicatorCodes: ['1.1.1'] })],
    ['plain text', 'text/plain', 'hello'],
    ['a form', 'application/x-www-form-urlencoded', 'title=x&indicatorCodes=1.1.1'],
    ['multipart without a boundary', 'multipart/form-data', part('title', 'x')],
  ])('refuses %s with 400 MALFORMED_MULTIPART', async (_label, contentType, body) => {
    const response = await raw(body, contentType);
    expectError(response, 400, 'MALFORMED_MULTIPART');
  });

  it('refuses a request without any body', async () => {
    const response = await client.post(`/api/v1/cases/${caseId}/evidence`, admin);
    expectError(response, 400, 'MALFORMED_MULTIPART');
  });

  it('refuses a multipart body cut short inside the file', async () => {
    const body = Buffer.concat([
      Buffer.from(part('title', 'Cut') + part('indicatorCodes', '1.1.1')),
      filePart('file', 'cut.pdf', aPdf(9000)),
    ]).subarray(0, 6000);
    const response = await raw(body);
    expectError(response, 400, 'MALFORMED_MULTIPART');
  });

  it('refuses a multipart body without its closing boundary', async () => {
    const body = Buffer.concat([
      Buffer.from(part('title', 'Unclosed') + part('indicatorCodes', '1.1.1')),
      filePart('file', 'unclosed.pdf', aPdf(900)),
    ]);
    const response = await raw(body);
    expectError(response, 400, 'MALFORMED_MULTIPART');
  });

  it('refuses an empty file', async () => {
    const response = await uploadEvidence(client, admin, caseId, {
      file: Buffer.alloc(0),
      fileName: 'empty.pdf',
      title: 'Empty',
      indicatorCodes: ['1.1.1'],
    });
    expectError(response, 400, 'VALIDATION_FAILED', ['file']);
  });

  it('refuses unknown fields, the file under another name, a file sent as text and a second file', async () => {
    const unknown = await raw(
      Buffer.concat([Buffer.from(part('owner', 'me')), filePart('file', 'a.pdf', aPdf()), Buffer.from(END)]),
    );
    expectError(unknown, 400, 'VALIDATION_FAILED', ['owner']);

    const otherName = await raw(
      Buffer.concat([
        Buffer.from(part('title', 'x') + part('indicatorCodes', '1.1.1')),
        filePart('document', 'a.pdf', aPdf()),
        Buffer.from(END),
      ]),
    );
    expectError(otherName, 400, 'VALIDATION_FAILED', ['document']);

    const asText = await raw(
      part('title', 'x') + part('indicatorCodes', '1.1.1') + part('file', 'not a file') + END,
    );
    expectError(asText, 400, 'VALIDATION_FAILED', ['file']);

    const twoFiles = await raw(
      Buffer.concat([
        Buffer.from(part('title', 'x') + part('indicatorCodes', '1.1.1')),
        filePart('file', 'a.pdf', aPdf()),
        filePart('file', 'b.pdf', aPdf()),
        Buffer.from(END),
      ]),
    );
    expectError(twoFiles, 400, 'VALIDATION_FAILED', ['file']);
  });

  it.each([
    ['a missing title', { indicatorCodes: ['1.1.1'] }, ['title']],
    ['a blank title', { title: '   ', indicatorCodes: ['1.1.1'] }, ['title']],
    ['a title of 201 characters', { title: 'x'.repeat(201), indicatorCodes: ['1.1.1'] }, ['title']],
    ['a title with a NUL character', { title: 'a\u0000b', indicatorCodes: ['1.1.1'] }, ['title']],
    ['missing indicator codes', { title: 'x' }, ['indicatorCodes']],
    ['only commas as indicator codes', { title: 'x', indicatorCodes: [', ,'] }, ['indicatorCodes']],
    [
      'a malformed indicator code',
      { title: 'x', indicatorCodes: ['1.1.1', 'DROP TABLE;'] },
      ['indicatorCodes[1]'],
    ],
    [
      'a description of 2001 characters',
      { title: 'x', indicatorCodes: ['1.1.1'], description: 'd'.repeat(2001) },
      ['description'],
    ],
    ['two titles', { title: ['a', 'b'], indicatorCodes: ['1.1.1'] }, ['title']],
  ] as [string, { title?: string | string[]; indicatorCodes?: string[]; description?: string }, string[]][])(
    'refuses %s with 400 naming the field',
    async (_label, fields, paths) => {
      const test = client.post(`/api/v1/cases/${caseId}/evidence`, admin);
      for (const title of [fields.title ?? []].flat()) test.field('title', title);
      for (const code of fields.indicatorCodes ?? []) test.field('indicatorCodes', code);
      if (fields.description !== undefined) test.field('description', fields.description);
      const response = await test.attach('file', aPdf(), {
        filename: 'a.pdf',
        contentType: 'application/pdf',
      });
      expectError(response, 400, 'VALIDATION_FAILED', paths);
    },
  );

  it('refuses invalid fields sent after the file, and discards the stored file', async () => {
    const response = await raw(
      Buffer.concat([
        filePart('file', 'first.pdf', aPdf(3000)),
        Buffer.from(part('title', '') + part('indicatorCodes', '1.1.1') + END),
      ]),
    );
    expectError(response, 400, 'VALIDATION_FAILED', ['title']);
  });

  it('refuses unknown indicator codes with 422, whether they come before or after the file', async () => {
    const before = await uploadEvidence(client, admin, caseId, {
      file: aPdf(),
      fileName: 'a.pdf',
      title: 'Unknown codes',
      indicatorCodes: ['1.1.1', '99.9.9', '1.1.77'],
    });
    expectError(before, 422, 'UNKNOWN_INDICATOR_CODES');
    expect((before.body.details as { code: string }[]).map((detail) => detail.code)).toEqual([
      '99.9.9',
      '1.1.77',
    ]);

    const after = await raw(
      Buffer.concat([
        filePart('file', 'after.pdf', aPdf(2000)),
        Buffer.from(part('title', 'After') + part('indicatorCodes', '42.4.2') + END),
      ]),
    );
    expectError(after, 422, 'UNKNOWN_INDICATOR_CODES');
  });

  it('checks the route before reading the body: bad ids 400, unknown case or evidence 404', async () => {
    const badId = await uploadEvidence(client, admin, 'not-a-uuid', {
      file: aPdf(),
      fileName: 'a.pdf',
      title: 'x',
      indicatorCodes: ['1.1.1'],
    });
    expectError(badId, 400, 'VALIDATION_FAILED', ['caseId']);
    const unknownCase = await uploadEvidence(client, admin, '00000000-0000-4000-8000-000000000000', {
      file: aPdf(),
      fileName: 'a.pdf',
      title: 'x',
      indicatorCodes: ['1.1.1'],
    });
    expectError(unknownCase, 404, 'NOT_FOUND');
    const unknownEvidence = await client
      .post('/api/v1/evidence/00000000-0000-4000-8000-000000000000/versions', admin)
      .attach('file', aPdf(), 'a.pdf');
    expectError(unknownEvidence, 404, 'NOT_FOUND');
  });

  it('refuses text fields on a new version', async () => {
    const uploaded = await uploadEvidence(client, admin, caseId, {
      file: aPdf(),
      fileName: 'a.pdf',
      title: 'Versioned',
      indicatorCodes: ['1.1.1'],
    }).expect(201);
    keptVersions = 1;
    const response = await client
      .post(`/api/v1/evidence/${uploaded.body.id}/versions`, admin)
      .field('title', 'renamed')
      .attach('file', aPdf(), 'b.pdf');
    expectError(response, 400, 'VALIDATION_FAILED', ['title']);
  });

  it('keeps nothing when the client goes away in the middle of an upload', async () => {
    const server: Server = testApp.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const head = Buffer.concat([
        Buffer.from(part('title', 'Interrupted') + part('indicatorCodes', '1.1.1')),
        filePart('file', 'interrupted.pdf', aPdf(200_000)).subarray(0, 100_000),
      ]);
      await new Promise<void>((resolve) => {
        const outgoing = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/api/v1/cases/${caseId}/evidence`,
          headers: {
            Authorization: `Bearer ${admin.accessToken}`,
            'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
            'Content-Length': String(head.length + 200_000),
          },
        });
        outgoing.on('error', () => resolve());
        outgoing.write(head, () =>
          setTimeout(() => {
            outgoing.destroy();
            resolve();
          }, 300),
        );
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
