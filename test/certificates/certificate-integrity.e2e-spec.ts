import { PDFParse } from 'pdf-parse';
import { ApiClient, type Session } from '../support/api-client';
import { anOrganization, aSignedInUser } from '../support/builders';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

async function pdfText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

/**
 * The certificate lifecycle as an attacker or a careless party would bend it: another institution's
 * certificate in a check-in or renewal, a holder renaming itself, validity counted from publication,
 * new initial certifications on a closed edition.
 */
describe('certificate lifecycle integrity', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;

  beforeAll(async () => {
    testApp = await startTestApp({ PUBLIC_BASE_URL: 'https://registry.example.org' });
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
  });

  afterAll(() => testApp?.close());

  const openCase = (session: Session, body: Record<string, unknown>) =>
    client.post('/api/v1/cases', session).send({ certifierId: world.certifierId, ...body });
  const transition = async (caseId: string, action: string, session: Session, status: number) => {
    const { version } = await cases.read(caseId);
    return client
      .post(`/api/v1/cases/${caseId}/transitions`, session)
      .send({ action, version })
      .expect(status);
  };
  const verify = (number: string) => client.get(`/api/v1/registry/${number}`).expect(200);
  const certificateRow = async (number: string) =>
    (
      await testApp.dataSource.query<{ status: string; institution_id: string }[]>(
        'SELECT status, institution_id FROM certificate WHERE number = $1',
        [number],
      )
    )[0];
  const casesNaming = async (number: string): Promise<number> =>
    (
      await testApp.dataSource.query<{ count: number }[]>(
        'SELECT count(*)::int AS count FROM certification_case WHERE certificate_number = $1',
        [number],
      )
    )[0].count;
  /** A certificate of the other institution (Sahel), as one of the world's institution (Esperanza) names it. */
  const othersCertificate = async (): Promise<string> => {
    const { certificateNumber } = await cases.published();
    await testApp.dataSource.query(
      `UPDATE certificate SET institution_id = $2, holder_name = organization.name, holder_country = organization.country
       FROM organization WHERE organization.id = $2 AND certificate.number = $1`,
      [certificateNumber, world.otherInstitutionId],
    );
    return certificateNumber;
  };
  /** Simulates a case stored before the rule: it names another certificate than the one it was opened for. */
  const pointCaseAt = (caseId: string, number: string) =>
    testApp.dataSource.query('UPDATE certification_case SET certificate_number = $2 WHERE id = $1', [
      caseId,
      number,
    ]);

  describe('a check-in or renewal names a certificate the institution holds', () => {
    it('refuses a renewal or check-in naming another institution’s certificate, at opening and in a draft edit', async () => {
      const sahels = await othersCertificate();
      for (const type of ['renewal', 'check_in']) {
        const response = await openCase(world.sessions.institution_admin, {
          editionId: world.openEditionId,
          type,
          certificateNumber: sahels,
        }).expect(422);
        expect(response.body).toMatchObject({ code: 'CERTIFICATE_NOT_HELD' });
      }
      const unknown = await openCase(world.sessions.institution_admin, {
        editionId: world.openEditionId,
        type: 'renewal',
        certificateNumber: 'CPC-1999-0001',
      }).expect(422);
      expect(unknown.body.code).toBe('CERTIFICATE_NOT_HELD');

      const draft = await cases.open();
      const edited = await client
        .patch(`/api/v1/cases/${draft.id}`, world.sessions.institution_admin)
        .send({ version: draft.version, type: 'renewal', certificateNumber: sahels })
        .expect(422);
      expect(edited.body.code).toBe('CERTIFICATE_NOT_HELD');
      expect(await casesNaming(sahels)).toBe(0);
      expect((await verify(sahels)).body).toMatchObject({ status: 'active', valid: true });
    });

    it('does not let a renewal published by one institution supersede another’s certificate', async () => {
      const own = await cases.published();
      const renewal = await cases.decided('certified', {
        type: 'renewal',
        certificateNumber: own.certificateNumber,
      });
      await cases.transition(renewal.id, 'accept_decision', world.sessions.institution_admin);
      const sahels = await othersCertificate();
      await pointCaseAt(renewal.id, sahels);

      const refused = await transition(renewal.id, 'publish', world.sessions.secretariat_officer, 422);
      expect(refused.body.code).toBe('CERTIFICATE_NOT_HELD');
      expect((await cases.read(renewal.id)).status).toBe('decided');
      expect(await certificateRow(sahels)).toMatchObject({ status: 'active' });
    });

    it('does not let a failed check-in of one institution suspend another’s certificate', async () => {
      const own = await cases.published();
      const checkIn = await cases.decided('not_certified', {
        type: 'check_in',
        certificateNumber: own.certificateNumber,
      });
      await cases.transition(checkIn.id, 'accept_decision', world.sessions.institution_admin);
      const esperanzas = await othersCertificate();
      await pointCaseAt(checkIn.id, esperanzas);

      const refused = await transition(checkIn.id, 'close', world.sessions.secretariat_officer, 422);
      expect(refused.body.code).toBe('CERTIFICATE_NOT_HELD');
      expect(await certificateRow(esperanzas)).toMatchObject({ status: 'active' });
      expect(await certificateRow(own.certificateNumber)).toMatchObject({ status: 'active' });
    });

    it('checks the certificate again at submit and at accept', async () => {
      const own = await cases.published();
      const sahels = await othersCertificate();
      const draft = await cases.open({ type: 'renewal', certificateNumber: own.certificateNumber });
      await cases.completeSelfAssessment(draft.id);
      await pointCaseAt(draft.id, sahels);
      const atSubmit = await transition(draft.id, 'submit', world.sessions.institution_admin, 422);
      expect(atSubmit.body.code).toBe('CERTIFICATE_NOT_HELD');

      await pointCaseAt(draft.id, own.certificateNumber);
      await cases.transition(draft.id, 'submit', world.sessions.institution_admin);
      await pointCaseAt(draft.id, sahels);
      const { version } = await cases.read(draft.id);
      const atAccept = await client
        .post(`/api/v1/cases/${draft.id}/transitions`, world.sessions.certifier_admin)
        .send({ action: 'accept', version, data: { leadRaterId: world.sessions.rater.userId } })
        .expect(422);
      expect(atAccept.body.code).toBe('CERTIFICATE_NOT_HELD');
    });

    it('renews only an active, suspended or recently expired certificate, never a revoked or superseded one', async () => {
      const renew = (number: string) =>
        openCase(world.sessions.institution_admin, {
          editionId: world.openEditionId,
          type: 'renewal',
          certificateNumber: number,
        });
      const revoked = await cases.published();
      await client
        .post(`/api/v1/certificates/${revoked.certificateNumber}/actions`, world.sessions.secretariat_officer)
        .send({ action: 'revoke', reason: 'Misrepresented its pricing' })
        .expect(200);
      expect((await renew(revoked.certificateNumber).expect(422)).body.code).toBe(
        'CERTIFICATE_NOT_RENEWABLE',
      );

      const original = await cases.published();
      await cases.published({ type: 'renewal', certificateNumber: original.certificateNumber });
      expect((await renew(original.certificateNumber).expect(422)).body.code).toBe(
        'CERTIFICATE_NOT_RENEWABLE',
      );

      const longExpired = await cases.published();
      await testApp.dataSource.query(
        "UPDATE certificate SET valid_until = current_date - interval '13 months' WHERE number = $1",
        [longExpired.certificateNumber],
      );
      expect((await renew(longExpired.certificateNumber).expect(422)).body.code).toBe(
        'CERTIFICATE_NOT_RENEWABLE',
      );
      const recentlyExpired = await cases.published();
      await testApp.dataSource.query(
        "UPDATE certificate SET valid_until = current_date - interval '2 months' WHERE number = $1",
        [recentlyExpired.certificateNumber],
      );
      await renew(recentlyExpired.certificateNumber).expect(201);
    });

    it('checks in only a certificate of an edition with check-ins, once, while active or suspended', async () => {
      const checkIn = (number: string, editionId = world.openEditionId) =>
        openCase(world.sessions.institution_admin, {
          editionId,
          type: 'check_in',
          certificateNumber: number,
        });

      const of2022 = await cases.published();
      await testApp.dataSource.query(
        "UPDATE certificate SET edition_id = 'cps-2022', check_in_due_on = NULL WHERE number = $1",
        [of2022.certificateNumber],
      );
      expect((await checkIn(of2022.certificateNumber, 'cps-2022').expect(422)).body.code).toBe(
        'CERTIFICATE_NOT_CHECKABLE',
      );

      const revoked = await cases.published();
      await client
        .post(`/api/v1/certificates/${revoked.certificateNumber}/actions`, world.sessions.secretariat_officer)
        .send({ action: 'revoke', reason: 'Misrepresented its pricing' })
        .expect(200);
      expect((await checkIn(revoked.certificateNumber).expect(422)).body.code).toBe(
        'CERTIFICATE_NOT_CHECKABLE',
      );

      const checked = await cases.published();
      const confirmed = await cases.published({
        type: 'check_in',
        certificateNumber: checked.certificateNumber,
      });
      expect(confirmed.certificateNumber).toBe(checked.certificateNumber);
      const again = await checkIn(checked.certificateNumber).expect(422);
      expect(again.body.code).toBe('CERTIFICATE_NOT_CHECKABLE');
      const certificate = await client
        .get(`/api/v1/certificates/${checked.certificateNumber}`, world.sessions.institution_admin)
        .expect(200);
      expect(certificate.body.checkedInOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);

      const suspended = await cases.published();
      await client
        .post(
          `/api/v1/certificates/${suspended.certificateNumber}/actions`,
          world.sessions.secretariat_officer,
        )
        .send({ action: 'suspend', reason: 'Complaint under review' })
        .expect(200);
      await checkIn(suspended.certificateNumber).expect(201);
    });
  });

  describe('a closed certified case names the certificate it produced', () => {
    it('answers issuedCertificateNumber beside certificateNumber, null before publication', async () => {
      const original = await cases.published();
      expect(
        (await cases.read(original.caseId, world.sessions.institution_admin)).issuedCertificateNumber,
      ).toBe(original.certificateNumber);
      const renewal = await cases.decided('certified', {
        type: 'renewal',
        certificateNumber: original.certificateNumber,
      });
      expect(await cases.read(renewal.id)).toMatchObject({
        certificateNumber: original.certificateNumber,
        issuedCertificateNumber: null,
      });
      await cases.transition(renewal.id, 'accept_decision', world.sessions.institution_admin);
      await cases.transition(renewal.id, 'publish', world.sessions.secretariat_officer);
      const closed = await cases.read(renewal.id, world.sessions.institution_admin);
      expect(closed.certificateNumber).toBe(original.certificateNumber);
      expect(closed.issuedCertificateNumber).toMatch(/^CPC-\d{4}-\d{4}$/);
      expect(closed.issuedCertificateNumber).not.toBe(original.certificateNumber);
      expect((await verify(closed.issuedCertificateNumber)).body.status).toBe('active');
    });
  });

  describe('validity counts from the decision', () => {
    it('dates validity from the committee’s decision and shows the decision and publication dates', async () => {
      const decided = await cases.decided('certified');
      // The secretariat publishes 20 days after the committee decided.
      await testApp.dataSource.query('ALTER TABLE case_decision DISABLE TRIGGER case_decision_sealed');
      await testApp.dataSource.query(
        "UPDATE case_decision SET decided_at = decided_at - interval '20 days' WHERE case_id = $1",
        [decided.id],
      );
      await testApp.dataSource.query('ALTER TABLE case_decision ENABLE TRIGGER case_decision_sealed');
      const [{ decided_on: decidedOn, today }] = await testApp.dataSource.query<
        { decided_on: string; today: string }[]
      >(
        `SELECT to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS decided_on,
                to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS today
         FROM case_decision WHERE case_id = $1`,
        [decided.id],
      );
      await cases.transition(decided.id, 'accept_decision', world.sessions.institution_admin);
      await cases.transition(decided.id, 'publish', world.sessions.secretariat_officer);
      const number = (await cases.read(decided.id)).issuedCertificateNumber as string;

      const certificate = await client
        .get(`/api/v1/certificates/${number}`, world.sessions.institution_admin)
        .expect(200);
      const [{ valid_until: expectedValidUntil, check_in: expectedCheckIn }] = await testApp.dataSource.query<
        { valid_until: string; check_in: string }[]
      >(
        `SELECT to_char($1::date + interval '48 months' - interval '1 day', 'YYYY-MM-DD') AS valid_until,
                to_char($1::date + interval '24 months', 'YYYY-MM-DD') AS check_in`,
        [decidedOn],
      );
      expect(certificate.body).toMatchObject({
        decidedOn,
        issuedOn: decidedOn,
        publishedOn: today,
        validUntil: expectedValidUntil,
        checkInDueOn: expectedCheckIn,
      });
      expect((await verify(number)).body).toMatchObject({
        decidedOn,
        issuedOn: decidedOn,
        publishedOn: today,
      });
      const page = await client.get(`/registry/${number}?lang=en`).expect(200);
      expect(page.text).toContain(decidedOn);
      expect(page.text).toContain(today);

      const pdf = await client
        .get(`/api/v1/certificates/${number}/pdf?lang=en`, world.sessions.institution_admin)
        .responseType('blob');
      expect(pdf.status).toBe(200);
      const text = await pdfText(pdf.body as Buffer);
      const longDate = (date: string) =>
        new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(
          new Date(`${date}T00:00:00Z`),
        );
      expect(text).toContain('Decided on');
      expect(text).toContain(longDate(decidedOn));
      expect(text).toContain('Published on');
      expect(text).toContain(longDate(today));
    });
  });

  describe('the holder as certified', () => {
    const organization = (session: Session) =>
      client.get(`/api/v1/organizations/${world.institutionId}`, session).expect(200);

    it('keeps a rename of a certificate holder pending until the secretariat approves it; the registry keeps the certified holder', async () => {
      const { certificateNumber } = await cases.published();
      const before = (await organization(world.sessions.institution_admin)).body;
      const sahel = (
        await client.get(
          `/api/v1/organizations/${world.otherInstitutionId}`,
          world.sessions.secretariat_admin,
        )
      ).body;

      // Esperanza takes Sahel's name and country.
      const renamed = await client
        .patch(`/api/v1/organizations/${world.institutionId}`, world.sessions.institution_admin)
        .send({ version: before.version, name: sahel.name, country: 'SN' })
        .expect(200);
      expect(renamed.body).toMatchObject({
        name: before.name,
        country: before.country,
        pendingChange: { name: sahel.name, country: 'SN' },
      });
      expect(renamed.body.pendingChange.requestedAt).toEqual(expect.any(String));
      const registry = await client.get(`/api/v1/registry?q=${encodeURIComponent(sahel.name)}&status=all`);
      expect(registry.body.items.map((item: any) => item.certificateNumber)).not.toContain(certificateNumber);
      expect((await verify(certificateNumber)).body.holder).toEqual({
        name: before.name,
        country: before.country,
      });

      // Only the secretariat admin decides.
      await client
        .post(`/api/v1/organizations/${world.institutionId}/pending-change`, world.sessions.institution_admin)
        .send({ decision: 'approve', reason: 'Mine' })
        .expect(403);
      const rejected = await client
        .post(`/api/v1/organizations/${world.institutionId}/pending-change`, world.sessions.secretariat_admin)
        .send({ decision: 'reject', reason: 'The name belongs to another certified institution' })
        .expect(200);
      expect(rejected.body).toMatchObject({
        name: before.name,
        country: before.country,
        pendingChange: null,
      });
      await client
        .post(`/api/v1/organizations/${world.institutionId}/pending-change`, world.sessions.secretariat_admin)
        .send({ decision: 'approve', reason: 'Nothing left' })
        .expect(422)
        .expect((response) => expect(response.body.code).toBe('NO_PENDING_CHANGE'));

      // A legitimate change, approved: existing certificates keep their holder, a renewal carries the new name.
      const newName = `${before.name} Financiera`;
      await client
        .patch(`/api/v1/organizations/${world.institutionId}`, world.sessions.institution_admin)
        .send({ version: rejected.body.version, name: newName })
        .expect(200);
      const approved = await client
        .post(`/api/v1/organizations/${world.institutionId}/pending-change`, world.sessions.secretariat_admin)
        .send({ decision: 'approve', reason: 'Registered change of legal name' })
        .expect(200);
      expect(approved.body).toMatchObject({ name: newName, country: before.country, pendingChange: null });
      const verified = (await verify(certificateNumber)).body;
      expect(verified.holder).toEqual({ name: before.name, country: before.country });
      const pdf = await client
        .get(`/api/v1/certificates/${certificateNumber}/pdf?lang=en`, world.sessions.institution_admin)
        .responseType('blob');
      const text = await pdfText(pdf.body as Buffer);
      expect(text).toContain(before.name);
      expect(text).not.toContain(newName);

      const renewal = await cases.published({ type: 'renewal', certificateNumber });
      expect((await verify(renewal.certificateNumber)).body.holder).toEqual({
        name: newName,
        country: before.country,
      });
      const csv = await client.get('/api/v1/registry.csv?status=all').expect(200);
      expect(csv.text).toContain(`${certificateNumber},${before.name},`);

      const history = await testApp.dataSource.query<{ action: string; reason: string | null }[]>(
        `SELECT action, reason FROM audit_event WHERE entity_type = 'organization' AND entity_id = $1
         AND action LIKE 'organization.change_%' ORDER BY occurred_at`,
        [world.institutionId],
      );
      expect(history.map((event) => event.action)).toEqual([
        'organization.change_requested',
        'organization.change_rejected',
        'organization.change_requested',
        'organization.change_approved',
      ]);
    });

    it('issues the certificate to the holder sealed in the decision, whatever the organization is called at publication', async () => {
      const decided = await cases.decided('certified');
      const [sealed] = await testApp.dataSource.query<{ name: string; country: string }[]>(
        `SELECT package_json::jsonb #>> '{institution,name}' AS name,
                package_json::jsonb #>> '{institution,country}' AS country
           FROM case_decision WHERE case_id = $1`,
        [decided.id],
      );
      const [current] = await testApp.dataSource.query<{ name: string; country: string }[]>(
        'SELECT name, country FROM organization WHERE id = $1',
        [world.institutionId],
      );
      expect(sealed).toEqual(current);
      await cases.transition(decided.id, 'accept_decision', world.sessions.institution_admin);
      // Between the decision and publication the organization's row changes (an institution without a
      // certificate renames itself at once; here by SQL, whichever way it came).
      await testApp.dataSource.query(
        "UPDATE organization SET name = 'Any Name It Likes', country = 'FR' WHERE id = $1",
        [world.institutionId],
      );
      try {
        await cases.transition(decided.id, 'publish', world.sessions.secretariat_officer);
        const number = (await cases.read(decided.id)).issuedCertificateNumber as string;
        expect((await verify(number)).body.holder).toEqual(sealed);
        const page = await client.get(`/registry/${number}?lang=en`).expect(200);
        expect(page.text).toContain(sealed.name);
        expect(page.text).not.toContain('Any Name It Likes');
      } finally {
        await testApp.dataSource.query('UPDATE organization SET name = $2, country = $3 WHERE id = $1', [
          world.institutionId,
          current.name,
          current.country,
        ]);
      }
    });

    it('applies a rename at once for an institution that holds no active certificate', async () => {
      const newcomer = await anOrganization('institution').create(client, world.sessions.secretariat_admin);
      const admin = await aSignedInUser(
        client,
        world.sessions.secretariat_admin,
        newcomer.id,
        'institution_admin',
      );
      const renamed = await client
        .patch(`/api/v1/organizations/${newcomer.id}`, admin)
        .send({ version: newcomer.version, name: 'Caja Nueva Esperanza' })
        .expect(200);
      expect(renamed.body).toMatchObject({ name: 'Caja Nueva Esperanza', pendingChange: null });
    });
  });

  describe('an edition says until when it takes new initial certifications', () => {
    it('closes the bundled 2016 edition to new certifications but keeps check-ins and renewals of its certificates', async () => {
      const edition = await client.get('/api/v1/standards/cps-2016').expect(200);
      expect(edition.body).toMatchObject({ openForNewCasesUntil: '2021-04-30', retiredOn: null });
      const [{ document_sha256: storedHash }] = await testApp.dataSource.query<{ document_sha256: string }[]>(
        "SELECT document_sha256 FROM standards_edition WHERE id = 'cps-2016'",
      );

      const opened = await openCase(world.sessions.institution_admin, {
        editionId: 'cps-2016',
        type: 'certification',
      }).expect(422);
      expect(opened.body).toMatchObject({ code: 'EDITION_CLOSED' });

      const draft = await cases.open();
      const edited = await client
        .patch(`/api/v1/cases/${draft.id}`, world.sessions.institution_admin)
        .send({ version: draft.version, editionId: 'cps-2016' })
        .expect(422);
      expect(edited.body.code).toBe('EDITION_CLOSED');
      await cases.completeSelfAssessment(draft.id);
      await testApp.dataSource.query("UPDATE certification_case SET edition_id = 'cps-2016' WHERE id = $1", [
        draft.id,
      ]);
      const submitted = await transition(draft.id, 'submit', world.sessions.institution_admin, 422);
      expect(submitted.body.code).toBe('EDITION_CLOSED');

      // A certificate issued under 2016 (before its closing date) is still checked in and renewed.
      const { certificateNumber } = await cases.published();
      await testApp.dataSource.query("UPDATE certificate SET edition_id = 'cps-2016' WHERE number = $1", [
        certificateNumber,
      ]);
      await openCase(world.sessions.institution_admin, {
        editionId: 'cps-2016',
        type: 'check_in',
        certificateNumber,
      }).expect(201);
      await openCase(world.sessions.institution_admin, {
        editionId: 'cps-2016',
        type: 'renewal',
        certificateNumber,
      }).expect(201);
      const [{ document_sha256: hashAfter }] = await testApp.dataSource.query<{ document_sha256: string }[]>(
        "SELECT document_sha256 FROM standards_edition WHERE id = 'cps-2016'",
      );
      expect(hashAfter).toBe(storedHash);
    });

    it('stores an edition’s closing date from its document and refuses a closing date before it takes effect', async () => {
      const bundled = (await client.get(`/api/v1/standards/${world.openEditionId}`)).body;
      const closed = {
        ...bundled,
        id: `closed-${Date.now()}`,
        openForNewCasesUntil: '2020-12-31',
        retiredOn: null,
      };
      await client.post('/api/v1/standards', world.sessions.secretariat_admin).send(closed).expect(201);
      await client
        .post(`/api/v1/standards/${closed.id}/publish`, world.sessions.secretariat_admin)
        .expect(200);
      expect((await client.get(`/api/v1/standards/${closed.id}`)).body.openForNewCasesUntil).toBe(
        '2020-12-31',
      );
      const refused = await openCase(world.sessions.institution_admin, {
        editionId: closed.id,
        type: 'certification',
      });
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('EDITION_CLOSED');

      const invalid = { ...bundled, id: `invalid-${Date.now()}`, openForNewCasesUntil: '2010-01-01' };
      const response = await client.post('/api/v1/standards', world.sessions.secretariat_admin).send(invalid);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body.details)).toContain('openForNewCasesUntil');
    });
  });
});
