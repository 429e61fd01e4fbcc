import { CertificateExpiryService } from '@app/certificates';
import { ApiClient } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

describe('publication, certificates and the public registry', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
  });

  afterAll(() => testApp?.close());

  const verify = (number: string) => client.get(`/api/v1/registry/${number}`);
  const act = (number: string, action: string, reason = 'Secretariat review') =>
    client
      .post(`/api/v1/certificates/${number}/actions`, world.sessions.secretariat_officer)
      .send({ action, reason });

  it('publishes a certified case into a numbered certificate that the registry lists and verifies', async () => {
    const year = new Date().getUTCFullYear();
    const first = await cases.published();
    const second = await cases.published();
    expect(first.certificateNumber).toMatch(new RegExp(`^CPC-${year}-\\d{4}$`));
    expect(Number(second.certificateNumber.slice(-4))).toBe(Number(first.certificateNumber.slice(-4)) + 1);
    expect((await cases.read(first.caseId)).status).toBe('closed');

    const certificate = await client
      .get(`/api/v1/certificates/${first.certificateNumber}`, world.sessions.institution_admin)
      .expect(200);
    expect(certificate.body).toMatchObject({ status: 'active', edition: world.openEditionId, level: null });
    expect(certificate.body.validUntil > certificate.body.issuedOn).toBe(true);
    const decision = await client.get(
      `/api/v1/cases/${first.caseId}/decision`,
      world.sessions.institution_admin,
    );
    expect(certificate.body.packageSha256).toBe(decision.body.packageSha256);
    await client
      .get(`/api/v1/certificates/${first.certificateNumber}`, world.sessions.other_institution_admin)
      .expect(404);

    const registry = await client.get('/api/v1/registry').expect(200);
    expect(registry.headers['cache-control']).toContain('max-age=60');
    expect(registry.headers.etag).toBeDefined();
    expect(registry.body.items.map((item: any) => item.certificateNumber)).toEqual(
      expect.arrayContaining([first.certificateNumber, second.certificateNumber]),
    );
    const again = await client.get('/api/v1/registry').set('If-None-Match', registry.headers.etag);
    expect(again.status).toBe(304);
    const verified = await verify(first.certificateNumber).expect(200);
    expect(verified.body).toMatchObject({
      status: 'active',
      valid: true,
      packageSha256: certificate.body.packageSha256,
    });
    await verify('CPC-1999-0001').expect(404);
    await client.get('/api/v1/registry?country=ZZ').expect(200);
    const filtered = await client.get(`/api/v1/registry?country=PE&level=gold`).expect(200);
    expect(filtered.body.total).toBe(0);
    const csv = await client.get('/api/v1/registry.csv?country=PE').expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('registry.csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'certificateNumber,institution,country,certifier,edition,level,issuedOn,checkInDueOn,validUntil,status,decidedOn,publishedOn,checkInOverdue,origin',
    );
    expect(lines.some((line) => line.startsWith(`${first.certificateNumber},`))).toBe(true);
    await client.get('/api/v1/registry.csv?status=bogus').expect(400);
  });

  it('suspends, reinstates and revokes, and verification says so', async () => {
    const { certificateNumber } = await cases.published();
    expect((await act(certificateNumber, 'suspend')).status).toBe(200);
    expect((await verify(certificateNumber)).body).toMatchObject({ status: 'suspended', valid: false });
    const active = await client.get('/api/v1/registry?pageSize=100');
    expect(active.body.items.map((item: any) => item.certificateNumber)).not.toContain(certificateNumber);
    const all = await client.get('/api/v1/registry?status=all&pageSize=100');
    expect(all.body.items.find((item: any) => item.certificateNumber === certificateNumber).status).toBe(
      'suspended',
    );
    expect((await act(certificateNumber, 'reinstate')).body.status).toBe('active');
    expect((await act(certificateNumber, 'revoke', 'Misrepresented its pricing')).body).toMatchObject({
      status: 'revoked',
      statusReason: 'Misrepresented its pricing',
    });
    expect((await verify(certificateNumber)).body).toMatchObject({ status: 'revoked', valid: false });
    const refused = await act(certificateNumber, 'reinstate');
    expect(refused.status).toBe(409);
    await act(certificateNumber, 'suspend').then((response) =>
      expect(response.body.code).toBe('INVALID_TRANSITION'),
    );
    await client
      .post(`/api/v1/certificates/${certificateNumber}/actions`, world.sessions.secretariat_admin)
      .send({ action: 'suspend', reason: 'x' })
      .expect(403);
    const history = await client.get(
      `/api/v1/cases/${(await client.get(`/api/v1/certificates/${certificateNumber}`, world.sessions.secretariat_officer)).body.caseId}/history`,
      world.sessions.secretariat_admin,
    );
    expect(history.body.map((event: any) => event.action)).toEqual(
      expect.arrayContaining([
        'certificate.issued',
        'certificate.suspend',
        'certificate.reinstate',
        'certificate.revoke',
      ]),
    );
  });

  it('shows a publication and a suspension at once, also to a reader who has just read the registry', async () => {
    const path = '/api/v1/registry?status=all&pageSize=100';
    const statusIn = (body: any, number: string) =>
      body.items.find((item: any) => item.certificateNumber === number)?.status;
    await client.get(path).expect(200);
    const { certificateNumber } = await cases.published();
    expect(statusIn((await client.get(path).expect(200)).body, certificateNumber)).toBe('active');
    await act(certificateNumber, 'suspend');
    expect(statusIn((await client.get(path).expect(200)).body, certificateNumber)).toBe('suspended');
    await act(certificateNumber, 'reinstate');
    expect(statusIn((await client.get(path).expect(200)).body, certificateNumber)).toBe('active');
  });

  it('shows a suspension at once on the HTML pages, which are kept rendered between changes', async () => {
    const { certificateNumber } = await cases.published();
    const listPath = '/registry?status=all&pageSize=100';
    const verificationPath = `/registry/${certificateNumber}`;
    const rowOf = (html: string) => html.slice(html.indexOf(certificateNumber)).split('</tr>')[0];
    expect(rowOf((await client.get(listPath).expect(200)).text)).toContain('status-active">active<');
    expect((await client.get(verificationPath).expect(200)).text).toContain('(active)');
    await act(certificateNumber, 'suspend');
    expect(rowOf((await client.get(listPath).expect(200)).text)).toContain('status-suspended">suspended<');
    expect((await client.get(verificationPath).expect(200)).text).toContain('(suspended)');
  });

  it('reads an expired certificate as expired', async () => {
    const { certificateNumber } = await cases.published();
    await testApp.dataSource.query(
      'UPDATE certificate SET valid_until = current_date - 1 WHERE number = $1',
      [certificateNumber],
    );
    expect((await verify(certificateNumber)).body).toMatchObject({ status: 'expired', valid: false });
    const expired = await client.get('/api/v1/registry?status=expired&pageSize=100');
    expect(expired.body.items.map((item: any) => item.certificateNumber)).toContain(certificateNumber);

    // The worker's expiry job records it: the stored status changes once, with an audit event.
    const expiry = testApp.app.get(CertificateExpiryService);
    expect(await expiry.expireDue()).toBeGreaterThanOrEqual(1);
    expect(await expiry.expireDue()).toBe(0);
    const [stored] = await testApp.dataSource.query('SELECT status FROM certificate WHERE number = $1', [
      certificateNumber,
    ]);
    expect(stored.status).toBe('expired');
    const [{ count }] = await testApp.dataSource.query(
      "SELECT count(*)::int AS count FROM audit_event WHERE entity_id = $1 AND action = 'certificate.expired'",
      [certificateNumber],
    );
    expect(count).toBe(1);
    expect((await verify(certificateNumber)).body).toMatchObject({ status: 'expired', valid: false });
    const page = await client.get(`/registry/${certificateNumber}?lang=en`).expect(200);
    expect(page.text).toContain('expired');
    expect(
      (await client.get('/api/v1/registry?pageSize=100')).body.items.map(
        (item: any) => item.certificateNumber,
      ),
    ).not.toContain(certificateNumber);
  });

  it('supersedes the old certificate when a renewal is published', async () => {
    const original = await cases.published();
    const renewal = await cases.published({ type: 'renewal', certificateNumber: original.certificateNumber });
    expect(renewal.certificateNumber).not.toBe(original.certificateNumber);
    expect((await verify(original.certificateNumber)).body).toMatchObject({
      status: 'superseded',
      valid: false,
    });
    expect((await verify(renewal.certificateNumber)).body).toMatchObject({ status: 'active', valid: true });
  });

  it('suspends the certificate when a check-in is not certified', async () => {
    const original = await cases.published();
    const checkIn = await cases.decided('not_certified', {
      type: 'check_in',
      certificateNumber: original.certificateNumber,
    });
    await cases.transition(checkIn.id, 'accept_decision', world.sessions.institution_admin);
    await cases.transition(checkIn.id, 'close', world.sessions.secretariat_officer);
    expect((await verify(original.certificateNumber)).body.status).toBe('suspended');
  });

  it('never publishes or lists a case that was not certified', async () => {
    const decided = await cases.decided('not_certified');
    const { version } = await cases.read(decided.id);
    const refused = await client
      .post(`/api/v1/cases/${decided.id}/transitions`, world.sessions.secretariat_officer)
      .send({ action: 'publish', version })
      .expect(422);
    expect(refused.body.code).toBe('CASE_NOT_CERTIFIED');
    const certified = await cases.decided('certified');
    const early = await client
      .post(`/api/v1/cases/${certified.id}/transitions`, world.sessions.secretariat_officer)
      .send({ action: 'publish', version: (await cases.read(certified.id)).version })
      .expect(422);
    expect(early.body.code).toBe('APPEAL_WINDOW_OPEN');
    const [{ count }] = await testApp.dataSource.query(
      'SELECT count(*)::int AS count FROM certificate WHERE case_id IN ($1, $2)',
      [decided.id, certified.id],
    );
    expect(count).toBe(0);
  });

  it('serves the registry and verification as HTML pages in English, French and Spanish', async () => {
    const { certificateNumber, caseId } = await cases.published();
    const institution = (await client.get(`/api/v1/cases/${caseId}`, world.sessions.secretariat_admin)).body
      .institution.name;
    const english = await client.get('/registry?pageSize=100').expect(200);
    expect(english.headers['content-type']).toContain('text/html');
    expect(english.text).toContain('Registry of client protection certifications');
    expect(english.text).toContain(certificateNumber);
    expect(english.text).toContain(institution);
    const french = await client
      .get('/registry?pageSize=100')
      .set('Accept-Language', 'fr-FR,fr;q=0.9,en;q=0.5')
      .expect(200);
    expect(french.text).toContain('Registre des certifications de protection des clients');
    expect(french.text).toContain('<html lang="fr">');
    const spanish = await client.get('/registry?lang=es&pageSize=100').expect(200);
    expect(spanish.text).toContain('Registro de certificaciones');
    const narrowed = await client.get('/registry?q=no-such-institution-name').expect(200);
    expect(narrowed.text).not.toContain(certificateNumber);
    await client.get('/registry?lang=de').expect(400);

    await act(certificateNumber, 'revoke', 'Misrepresented its pricing');
    const page = await client.get(`/registry/${certificateNumber}?lang=es`).expect(200);
    expect(page.text).toContain('Este certificado no es válido.');
    expect(page.text).toContain('revocado');
    await client.get('/registry/CPC-1999-0001').expect(404);
  });
});
