import { ApiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { aCase } from './support/case-fixture';
import { download, filesUnder, uploadEvidence, uploadVersion } from './support/evidence-requests';
import {
  aCsv,
  aDocx,
  aGif,
  aJpeg,
  aLargePdf,
  anMp4,
  anOpenDocument,
  anXlsx,
  aPdf,
  aPng,
  aPptx,
  aText,
  aWebp,
  sha256,
} from './support/sample-files';
import { TestS3Server } from './support/test-s3-server';

type Driver = 'local-disk' | 's3';

describe.each<Driver>(['local-disk', 's3'])('evidence stored on %s', (driver) => {
  let s3: TestS3Server | undefined;
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let caseId: string;

  /** Where the bytes of a stored version are, as the driver keeps them. */
  async function storedKeys(): Promise<string[]> {
    if (s3) return s3.listKeys();
    const root = testApp.config.storage.localDirectory;
    return filesUnder(root).map((path) => path.slice(root.length + 1));
  }

  beforeAll(async () => {
    s3 = driver === 's3' ? await TestS3Server.start() : undefined;
    testApp = await startTestApp(s3?.env() ?? {});
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    caseId = await aCase(testApp.dataSource, world, { status: 'desk_review' });
  });

  afterAll(async () => {
    await testApp?.close();
    await s3?.close();
  });

  it('streams a PDF and a PNG for several indicators, adds a version, and downloads every version byte-identical', async () => {
    const institution = world.sessions.institution_admin;
    const pdf = aPdf(5000, 'policy v1');
    const png = aPng(128);

    const pdfAnswer = await uploadEvidence(client, institution, caseId, {
      file: pdf,
      fileName: 'Client protection policy.pdf',
      contentType: 'application/pdf',
      title: 'Client protection policy',
      indicatorCodes: ['1.1.2', '1.1.1'],
      description: 'Approved by the board in 2025',
    }).expect(201);
    expect(pdfAnswer.body).toEqual({
      id: expect.any(String),
      caseId,
      version: 1,
      versionId: expect.any(String),
      title: 'Client protection policy',
      description: 'Approved by the board in 2025',
      fileName: 'Client protection policy.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
      sha256: sha256(pdf),
      indicatorCodes: ['1.1.1', '1.1.2'],
      uploadedBy: institution.userId,
      uploadedAt: expect.any(String),
      createdBy: institution.userId,
      createdAt: expect.any(String),
    });

    const pngAnswer = await uploadEvidence(client, world.sessions.rater, caseId, {
      file: png,
      fileName: 'branch-poster.png',
      title: 'Poster in the Lima branch',
      indicatorCodes: ['1.2.1,3.1.1'],
    }).expect(201);
    expect(pngAnswer.body).toMatchObject({
      contentType: 'image/png',
      sha256: sha256(png),
      size: png.length,
      indicatorCodes: ['1.2.1', '3.1.1'],
      uploadedBy: world.sessions.rater.userId,
    });

    const pdfV2 = aPdf(7000, 'policy v2');
    const version = await uploadVersion(
      client,
      institution,
      pdfAnswer.body.id,
      pdfV2,
      'policy-2026.pdf',
    ).expect(201);
    expect(version.body).toEqual({
      id: expect.any(String),
      evidenceId: pdfAnswer.body.id,
      version: 2,
      fileName: 'policy-2026.pdf',
      contentType: 'application/pdf',
      size: pdfV2.length,
      sha256: sha256(pdfV2),
      uploadedBy: institution.userId,
      uploadedAt: expect.any(String),
    });

    const detail = await client.get(`/api/v1/evidence/${pdfAnswer.body.id}`, world.sessions.certifier_admin);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ version: 2, fileName: 'policy-2026.pdf', sha256: sha256(pdfV2) });
    expect(
      (detail.body.versions as { version: number; sha256: string }[]).map((entry) => [
        entry.version,
        entry.sha256,
      ]),
    ).toEqual([
      [1, sha256(pdf)],
      [2, sha256(pdfV2)],
    ]);

    for (const [query, original] of [
      ['?version=1', pdf],
      ['?version=2', pdfV2],
      ['', pdfV2],
    ] as const) {
      const downloaded = await download(
        client,
        world.sessions.secretariat_officer,
        `/api/v1/evidence/${pdfAnswer.body.id}/content${query}`,
      ).expect(200);
      expect(Buffer.isBuffer(downloaded.body)).toBe(true);
      expect(sha256(downloaded.body)).toBe(sha256(original));
    }
    const pngDownload = await download(
      client,
      institution,
      `/api/v1/evidence/${pngAnswer.body.id}/content`,
    ).expect(200);
    expect(sha256(pngDownload.body)).toBe(pngAnswer.body.sha256);

    const keys = await storedKeys();
    const versionRows: { storage_key: string; file_name: string }[] = await testApp.dataSource.query(
      'SELECT storage_key, file_name FROM evidence_version ORDER BY uploaded_at',
    );
    expect(versionRows).toHaveLength(3);
    for (const row of versionRows) {
      expect(row.storage_key).toMatch(new RegExp(`^evidence/${caseId}/[0-9a-f-]{36}$`));
      expect(keys).toContain(row.storage_key);
    }
    expect(keys.join(' ')).not.toMatch(/policy|poster|\.pdf|\.png/);

    const events: { action: string; case_id: string }[] = await testApp.dataSource.query(
      "SELECT action, case_id FROM audit_event WHERE entity_type = 'evidence' ORDER BY sequence",
    );
    expect(events).toEqual([
      { action: 'evidence.uploaded', case_id: caseId },
      { action: 'evidence.uploaded', case_id: caseId },
      { action: 'evidence.version_added', case_id: caseId },
    ]);
  });

  it('streams a file of several 8 MiB parts and gives back the same bytes', async () => {
    const file = aLargePdf(17 * 1024 * 1024 + 123);
    const uploaded = await uploadEvidence(client, world.sessions.institution_admin, caseId, {
      file,
      fileName: 'training-recording.pdf',
      title: 'Training recording',
      indicatorCodes: ['5.1.1'],
    }).expect(201);
    expect(uploaded.body).toMatchObject({ size: file.length, sha256: sha256(file) });
    const downloaded = await download(
      client,
      world.sessions.rater,
      `/api/v1/evidence/${uploaded.body.id}/content`,
    ).expect(200);
    expect(downloaded.body.length).toBe(file.length);
    expect(sha256(downloaded.body)).toBe(sha256(file));
  });

  it('lists the latest version of each item, paged, and filters by indicator code', async () => {
    const listCase = await aCase(testApp.dataSource, world, { status: 'draft' });
    const institution = world.sessions.institution_member;
    for (const [title, codes] of [
      ['Complaints register', ['7.1.1']],
      ['Pricing sheet', ['4.1.1', '7.1.1']],
      ['Privacy notice', ['6.1.1']],
    ] as const) {
      await uploadEvidence(client, institution, listCase, {
        file: aPdf(800, title),
        fileName: `${title}.pdf`,
        title,
        indicatorCodes: [...codes],
      }).expect(201);
    }
    const all = await client
      .get(`/api/v1/cases/${listCase}/evidence`, world.sessions.secretariat_admin)
      .expect(200);
    expect(all.body).toMatchObject({ total: 3, page: 1, pageSize: 20 });
    expect((all.body.items as { title: string }[]).map((item) => item.title)).toEqual([
      'Privacy notice',
      'Pricing sheet',
      'Complaints register',
    ]);
    const filtered = await client
      .get(`/api/v1/cases/${listCase}/evidence?indicatorCode=7.1.1&pageSize=1&page=2`, institution)
      .expect(200);
    expect(filtered.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect((filtered.body.items as { title: string }[]).map((item) => item.title)).toEqual([
      'Complaints register',
    ]);
  });

  it('answers downloads as attachments that browsers must not sniff', async () => {
    const text = aText();
    const uploaded = await uploadEvidence(client, world.sessions.institution_admin, caseId, {
      file: text,
      fileName: '../../etc/Acta de reunión.txt',
      title: 'Board minutes',
      indicatorCodes: ['1.1.1'],
    }).expect(201);
    expect(uploaded.body).toMatchObject({ fileName: 'Acta de reunión.txt', contentType: 'text/plain' });
    const answer = await download(
      client,
      world.sessions.rater,
      `/api/v1/evidence/${uploaded.body.id}/content`,
    ).expect(200);
    expect(answer.headers['content-disposition']).toBe(
      `attachment; filename="Acta de reunion.txt"; filename*=UTF-8''Acta%20de%20reuni%C3%B3n.txt`,
    );
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.headers['content-length']).toBe(String(text.length));
    expect(answer.headers['cache-control']).toBe('private, no-store');
    expect((answer.body as Buffer).equals(text)).toBe(true);
  });

  if (driver === 's3') {
    it('redirects to a presigned URL valid at most 300 seconds when asked', async () => {
      const pdf = aPdf(2000, 'presigned');
      const uploaded = await uploadEvidence(client, world.sessions.institution_admin, caseId, {
        file: pdf,
        fileName: 'presigned.pdf',
        title: 'Presigned',
        indicatorCodes: ['2.1.1'],
      }).expect(201);
      const answer = await client
        .get(`/api/v1/evidence/${uploaded.body.id}/content?delivery=redirect`, world.sessions.rater)
        .redirects(0)
        .expect(302);
      const location = new URL(answer.headers.location);
      expect(location.origin).toBe(s3!.endpoint);
      expect(Number(location.searchParams.get('X-Amz-Expires'))).toBeGreaterThan(0);
      expect(Number(location.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
      const fetched = await fetch(location);
      expect(fetched.status).toBe(200);
      expect(fetched.headers.get('content-disposition')).toMatch(/^attachment; filename="presigned.pdf"/);
      expect(sha256(Buffer.from(await fetched.arrayBuffer()))).toBe(sha256(pdf));
    });
  } else {
    it('streams the bytes even when a redirect is asked (local disk has no presigned URLs)', async () => {
      const pdf = aPdf(1500, 'local redirect');
      const uploaded = await uploadEvidence(client, world.sessions.institution_admin, caseId, {
        file: pdf,
        fileName: 'local.pdf',
        title: 'Local',
        indicatorCodes: ['2.1.1'],
      }).expect(201);
      const answer = await download(
        client,
        world.sessions.rater,
        `/api/v1/evidence/${uploaded.body.id}/content?delivery=redirect`,
      ).expect(200);
      expect(sha256(answer.body)).toBe(sha256(pdf));
    });
  }

  it.each([
    ['report.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', aDocx],
    ['figures.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', anXlsx],
    ['training.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', aPptx],
    ['acta.odt', 'application/vnd.oasis.opendocument.text', () => anOpenDocument('text')],
    ['branches.csv', 'text/csv', aCsv],
    ['notes.txt', 'text/plain', aText],
    ['training.mp4', 'video/mp4', anMp4],
    ['photo.jpeg', 'image/jpeg', aJpeg],
    ['animation.gif', 'image/gif', aGif],
    ['picture.webp', 'image/webp', aWebp],
    ['scan', 'application/pdf', () => aPdf(900)],
  ] as [string, string, () => Buffer][])('accepts %s as %s', async (fileName, contentType, make) => {
    const file = make();
    const answer = await uploadEvidence(client, world.sessions.institution_member, caseId, {
      file,
      fileName,
      title: `Sample ${fileName}`,
      indicatorCodes: ['5.1.1'],
    }).expect(201);
    expect(answer.body).toMatchObject({ contentType, size: file.length, sha256: sha256(file) });
    expect(answer.body.fileName).toBe(fileName === 'scan' ? 'scan.pdf' : fileName);
  });
});
