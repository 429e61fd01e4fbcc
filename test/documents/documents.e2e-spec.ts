import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDate, PAGE_LANGUAGES } from '@app/common';
import { PdfDocumentsService, PdfRenderer } from '@app/documents';
import { PDFParse } from 'pdf-parse';
import type request from 'supertest';
import { ApiClient, type Session } from '../support/api-client';
import { TEST_ARTIFACTS } from '../support/browser';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

/** Keeps a rendered PDF beside the screenshots, for a person to look at. */
function keepArtifact(name: string, bytes: Buffer): void {
  mkdirSync(TEST_ARTIFACTS, { recursive: true });
  writeFileSync(join(TEST_ARTIFACTS, name), bytes);
}

async function pdfText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    // Chromium may break a long line anywhere; compare on single spaces.
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

const PDF_WORDS = {
  en: {
    certificate: 'Client Protection Certificate',
    level: 'Certified',
    gold: 'Gold',
    report: 'Certification report',
    met: 'Met',
    notCertified: 'Not certified',
  },
  fr: {
    certificate: 'Certificat de protection des clients',
    level: 'Certifié',
    gold: 'Or',
    report: 'Rapport de certification',
    met: 'Satisfait',
    notCertified: 'Non certifiée',
  },
  es: {
    certificate: 'Certificado de protección al cliente',
    level: 'Certificado',
    gold: 'Oro',
    report: 'Informe de certificación',
    met: 'Cumplido',
    notCertified: 'No certificada',
  },
} as const;

describe('certificate and report PDFs', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;
  let renderer: PdfRenderer;

  beforeAll(async () => {
    testApp = await startTestApp({ PUBLIC_BASE_URL: 'https://registry.example.org' });
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
    renderer = testApp.app.get(PdfRenderer);
  });

  afterAll(() => testApp?.close());

  const pdf = (path: string, session: Session | null) =>
    client.get(path, session).responseType('blob') as unknown as request.Test & Promise<request.Response>;

  it('renders the certificate with institution, number, dates, level and verification URL in each language', async () => {
    const { certificateNumber } = await cases.published();
    const certificate = (
      await client
        .get(`/api/v1/certificates/${certificateNumber}`, world.sessions.institution_admin)
        .expect(200)
    ).body;

    for (const lang of PAGE_LANGUAGES) {
      const response = await pdf(
        `/api/v1/certificates/${certificateNumber}/pdf?lang=${lang}`,
        world.sessions.institution_admin,
      );
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toBe(
        `inline; filename="${certificateNumber}-${lang}.pdf"`,
      );
      const bytes = response.body as Buffer;
      keepArtifact(`certificate-${lang}.pdf`, bytes);
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const text = await pdfText(bytes);
      expect(text).toContain(PDF_WORDS[lang].certificate);
      expect(text).toContain(certificate.institution.name);
      expect(text).toContain(certificateNumber);
      expect(text).toContain(formatDate(certificate.issuedOn, lang));
      expect(text).toContain(formatDate(certificate.validUntil, lang));
      expect(text).toContain(PDF_WORDS[lang].level);
      expect(text).toContain(certificate.certifier.name);
      expect(text).toContain(`https://registry.example.org/registry/${certificateNumber}`);
    }
    // French dates are written the French way.
    const french = await pdfText(
      (await pdf(`/api/v1/certificates/${certificateNumber}/pdf?lang=fr`, world.sessions.institution_admin))
        .body,
    );
    expect(french).toMatch(
      /\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}/,
    );
  });

  it('names a tiered level in the reader’s language', async () => {
    const { certificateNumber } = await cases.withEdition('cps-2022').published();
    const certificate = (
      await client
        .get(`/api/v1/certificates/${certificateNumber}`, world.sessions.secretariat_officer)
        .expect(200)
    ).body;
    expect(certificate.level).toBe('gold');
    for (const lang of PAGE_LANGUAGES) {
      const text = await pdfText(
        (
          await pdf(
            `/api/v1/certificates/${certificateNumber}/pdf?lang=${lang}`,
            world.sessions.secretariat_officer,
          )
        ).body,
      );
      expect(text).toContain(PDF_WORDS[lang].gold);
    }
  });

  it('takes the language from Accept-Language when ?lang is absent, and refuses an unknown one', async () => {
    const { certificateNumber } = await cases.published();
    const response = await pdf(
      `/api/v1/certificates/${certificateNumber}/pdf`,
      world.sessions.institution_admin,
    ).set('Accept-Language', 'es-PE,es;q=0.9,en;q=0.5');
    expect(response.status).toBe(200);
    expect(await pdfText(response.body)).toContain(PDF_WORDS.es.certificate);
    const refused = await client
      .get(`/api/v1/certificates/${certificateNumber}/pdf?lang=de`, world.sessions.institution_admin)
      .expect(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
  });

  it('keeps a rendered PDF in storage by content hash and serves it again without rendering', async () => {
    const { certificateNumber } = await cases.published();
    const path = `/api/v1/certificates/${certificateNumber}/pdf?lang=en`;
    const first = await pdf(path, world.sessions.institution_admin).expect(200);
    const renderedBefore = renderer.stats().rendered;
    const second = await pdf(path, world.sessions.certifier_admin).expect(200);
    expect(renderer.stats().rendered).toBe(renderedBefore);
    expect(Buffer.compare(second.body, first.body)).toBe(0);
    const etag = first.headers.etag;
    expect(second.headers.etag).toBe(etag);
    const sha256 = etag.replaceAll('"', '');
    const stored = readFileSync(join(testApp.config.storage.localDirectory, 'documents', sha256));
    expect(Buffer.compare(stored, first.body)).toBe(0);
    const [row] = await testApp.dataSource.query(
      'SELECT kind, byte_size FROM rendered_document WHERE content_sha256 = $1',
      [sha256],
    );
    expect(row).toEqual({ kind: 'certificate', byte_size: first.body.length });

    await client.get(path, world.sessions.institution_admin).set('If-None-Match', etag).expect(304);
    expect(renderer.stats().rendered).toBe(renderedBefore);
  });

  it('renders again when the certificate changes, and says across the page that a suspended one is not valid', async () => {
    const { certificateNumber } = await cases.published();
    const path = `/api/v1/certificates/${certificateNumber}/pdf?lang=en`;
    const active = await pdf(path, world.sessions.institution_admin).expect(200);
    expect(await pdfText(active.body)).not.toContain('not valid');
    await client
      .post(`/api/v1/certificates/${certificateNumber}/actions`, world.sessions.secretariat_officer)
      .send({ action: 'suspend', reason: 'Complaint under review' })
      .expect(200);
    const suspended = await pdf(path, world.sessions.institution_admin).expect(200);
    expect(suspended.headers.etag).not.toBe(active.headers.etag);
    expect(await pdfText(suspended.body)).toContain('This certificate is not valid: suspended');
  });

  it('answers 404 to those who may not see the certificate, 401 to anonymous callers', async () => {
    const { certificateNumber } = await cases.published();
    const path = `/api/v1/certificates/${certificateNumber}/pdf`;
    expect((await client.get(path, world.sessions.other_institution_admin)).status).toBe(404);
    expect((await client.get(path, world.sessions.other_certifier_admin)).status).toBe(404);
    expect((await client.get(path, null)).status).toBe(401);
    expect(
      (await client.get('/api/v1/certificates/CPC-1999-0001/pdf', world.sessions.secretariat_officer)).status,
    ).toBe(404);
  });

  it('renders the confidential report with every principle’s result, in each language', async () => {
    const { caseId, certificateNumber } = await cases.published();
    const decision = (
      await client.get(`/api/v1/cases/${caseId}/decision`, world.sessions.institution_admin).expect(200)
    ).body;
    const results = (
      await client.get(`/api/v1/cases/${caseId}/results`, world.sessions.institution_admin).expect(200)
    ).body;
    const edition = (
      await client
        .get(`/api/v1/standards/${world.openEditionId}`, world.sessions.institution_admin)
        .expect(200)
    ).body;
    const certificate = (
      await client
        .get(`/api/v1/certificates/${certificateNumber}`, world.sessions.institution_admin)
        .expect(200)
    ).body;
    expect(edition.items).toHaveLength(7);

    for (const lang of PAGE_LANGUAGES) {
      const response = await pdf(
        `/api/v1/cases/${caseId}/report.pdf?lang=${lang}`,
        world.sessions.institution_admin,
      );
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toContain('attachment');
      keepArtifact(`report-${lang}.pdf`, response.body);
      const text = await pdfText(response.body);
      expect(text).toContain(PDF_WORDS[lang].report);
      expect(text).toContain(certificate.institution.name);
      expect(text).toContain(certificate.certifier.name);
      expect(text).toContain(decision.packageSha256);
      expect(text).toContain(decision.rationale);
      // Titles in the report's language (English where the edition has no translation).
      const localized = (
        await client
          .get(`/api/v1/standards/${world.openEditionId}?lang=${lang}`, world.sessions.institution_admin)
          .expect(200)
      ).body;
      for (const principle of localized.items as { code: string; title: string }[]) {
        expect(text).toContain(`${principle.code}. ${principle.title} ${PDF_WORDS[lang].met}`);
      }
      expect(results.principles).toHaveLength(7);
    }
  });

  it('shows findings, the institution’s responses and a not-certified decision in the report', async () => {
    const issued = await cases.findingsIssued(['2.1.1']);
    const [finding] = (
      await client.get(`/api/v1/cases/${issued.id}/findings`, world.sessions.rater).expect(200)
    ).body.items;
    const responseText = 'The capacity analysis now applies to every cycle; see the circular of 2 March.';
    await client
      .post(`/api/v1/findings/${finding.id}/responses`, world.sessions.institution_member)
      .send({ text: responseText })
      .expect(201);
    await client.get(`/api/v1/cases/${issued.id}/report.pdf`, world.sessions.institution_admin).expect(422);
    await cases.transition(issued.id, 'refer_to_committee', world.sessions.rater);
    await cases.transition(issued.id, 'decide', world.sessions.committee_member, {
      data: { outcome: 'not_certified', rationale: 'Repayment capacity is not assessed' },
    });

    const text = await pdfText(
      (await pdf(`/api/v1/cases/${issued.id}/report.pdf?lang=fr`, world.sessions.certifier_admin).expect(200))
        .body,
    );
    expect(text).toContain('Non certifiée');
    expect(text).toContain('Loan officers do not verify repayment capacity for repeat loans');
    expect(text).toContain(responseText);
    expect(text).toContain('Repayment capacity is not assessed');
    expect(text).toContain('Constats et réponses');
  });

  it('keeps the report from other institutions, other certifiers and raters not on the case', async () => {
    const decided = await cases.decided();
    const path = `/api/v1/cases/${decided.id}/report.pdf`;
    await pdf(path, world.sessions.secretariat_admin).expect(200);
    await pdf(path, world.sessions.committee_member).expect(200);
    expect((await client.get(path, world.sessions.other_institution_admin)).status).toBe(404);
    expect((await client.get(path, world.sessions.other_certifier_admin)).status).toBe(404);
    expect((await client.get(path, null)).status).toBe(401);
    expect(
      (await client.get('/api/v1/cases/not-a-uuid/report.pdf', world.sessions.secretariat_admin)).status,
    ).toBe(400);
  });

  it('answers 503 when Chromium is killed during a render, and the next render succeeds without a restart', async () => {
    const { certificateNumber } = await cases.published();
    await pdf(
      `/api/v1/certificates/${certificateNumber}/pdf?lang=en`,
      world.sessions.institution_admin,
    ).expect(200);
    const { browserPid, launches } = renderer.stats();
    expect(browserPid).toEqual(expect.any(Number));

    // Not rendered yet in French: this request needs Chromium. Kill it as soon as the render begins.
    const path = `/api/v1/certificates/${certificateNumber}/pdf?lang=fr`;
    const killed = pdf(path, world.sessions.institution_admin).then((response) => response);
    while (renderer.stats().inFlight === 0) await new Promise((resolve) => setImmediate(resolve));
    process.kill(browserPid!, 'SIGKILL');
    const failed = await killed;
    expect(failed.status).toBe(503);
    const error = JSON.parse(Buffer.from(failed.body).toString('utf8'));
    expect(error).toMatchObject({ statusCode: 503, code: 'PDF_RENDERER_UNAVAILABLE' });

    const retried = await pdf(path, world.sessions.institution_admin);
    expect(retried.status).toBe(200);
    expect(await pdfText(retried.body)).toContain(certificateNumber);
    expect(renderer.stats().launches).toBe(launches + 1);
    expect(renderer.stats().browserPid).not.toBe(browserPid);
  });
});

describe('PDFs without Chromium', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;

  beforeAll(async () => {
    testApp = await startTestApp({ CHROMIUM_PATH: '/nonexistent/chromium' });
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
  });

  afterAll(() => testApp?.close());

  it('answers 503 PDF_RENDERER_UNAVAILABLE naming what is missing, and the rest of the API works', async () => {
    const { certificateNumber } = await new CaseBuilder(client, world).published();
    const response = await client
      .get(`/api/v1/certificates/${certificateNumber}/pdf`, world.sessions.institution_admin)
      .expect(503);
    expect(response.body).toMatchObject({ code: 'PDF_RENDERER_UNAVAILABLE' });
    expect(response.body.message).toContain('/nonexistent/chromium');
    expect(response.body.message).toContain('CHROMIUM_PATH');
    await client
      .get(`/api/v1/certificates/${certificateNumber}`, world.sessions.institution_admin)
      .expect(200);
    await client.get('/health/ready').expect(200);
  });
});

describe('stored PDFs after their retention', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
  });

  afterAll(() => testApp?.close());

  it('forgets a document rendered more than 90 days ago, removes its file, and renders it again on request', async () => {
    const { certificateNumber } = await new CaseBuilder(client, world).published();
    const path = `/api/v1/certificates/${certificateNumber}/pdf?lang=es`;
    const first = await client.get(path, world.sessions.institution_admin).responseType('blob').expect(200);
    const sha256 = first.headers.etag.replaceAll('"', '');
    const file = join(testApp.config.storage.localDirectory, 'documents', sha256);
    expect(existsSync(file)).toBe(true);
    const documents = testApp.app.get(PdfDocumentsService);
    expect(await documents.purgeOlderThanRetention()).toBe(0);

    await testApp.dataSource.query(
      "UPDATE rendered_document SET created_at = now() - interval '91 days' WHERE content_sha256 = $1",
      [sha256],
    );
    expect(await documents.purgeOlderThanRetention()).toBe(1);
    expect(existsSync(file)).toBe(false);
    expect(
      await testApp.dataSource.query('SELECT 1 FROM rendered_document WHERE content_sha256 = $1', [sha256]),
    ).toEqual([]);

    const rendered = testApp.app.get(PdfRenderer).stats().rendered;
    const again = await client.get(path, world.sessions.institution_admin).responseType('blob').expect(200);
    expect(testApp.app.get(PdfRenderer).stats().rendered).toBe(rendered + 1);
    // Stored again under its content hash.
    expect(
      existsSync(
        join(testApp.config.storage.localDirectory, 'documents', again.headers.etag.replaceAll('"', '')),
      ),
    ).toBe(true);
  });
});
