import { addMonths, todayUtc } from '@app/common';
import { CommitmentPathwayService } from '@app/field';
import ExcelJS from 'exceljs';
import { ApiClient } from '../support/api-client';
import { anOrganization, aSignedInUser } from '../support/builders';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

const COUNTRIES = ['PE', 'BO', 'KE', 'IN', 'MX', 'SN', 'PH', 'CO'];
const KINDS = ['institution', 'investor', 'network', 'donor', 'other'];

function csv(rows: string[][]): Buffer {
  const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return Buffer.from(`${rows.map((row) => row.map(quote).join(',')).join('\n')}\n`);
}

describe('commitments and endorsers', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
  });

  afterAll(() => testApp?.close());

  const importFile = (file: Buffer, fileName: string, dryRun: boolean) =>
    client
      .post(`/api/v1/commitments/import?dryRun=${dryRun}`, world.sessions.secretariat_admin)
      .attach('file', file, fileName);

  it('lists an organization the secretariat records, even one that does not use the product, escaped in HTML', async () => {
    const created = await client.post('/api/v1/commitments', world.sessions.secretariat_officer).send({
      name: 'Impact <script>alert(1)</script> Fund',
      country: 'LU',
      kind: 'investor',
      committedOn: '2014-05-02',
      statement: 'We endorse the principles & invest accordingly.',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ approval: 'approved', source: 'recorded', pathwayStatus: null });

    const list = await client.get('/api/v1/commitments?country=lu&kind=investor');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ name: 'Impact <script>alert(1)</script> Fund', committedOn: '2014-05-02' }),
    ]);
    const page = await client.get('/commitments?country=LU').set('Accept-Language', 'es-PE,es;q=0.9');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="es">');
    expect(page.text).toContain('Impact &lt;script&gt;alert(1)&lt;/script&gt; Fund');
    expect(page.text).not.toContain('<script>alert(1)');
    const csvExport = await client.get('/api/v1/commitments.csv?country=LU');
    expect(csvExport.status).toBe(200);
    expect(csvExport.text.split('\r\n')[0]).toBe(
      'name,country,kind,committedOn,pathwayStatus,certificates,statement',
    );
    expect(csvExport.text).toContain('Impact <script>alert(1)</script> Fund,LU,investor,2014-05-02');
  });

  it('keeps a self-declared commitment out of the list until the secretariat approves it', async () => {
    const declared = await client
      .post('/api/v1/commitments', world.sessions.institution_admin)
      .send({ statement: 'We commit to the principles.' });
    expect(declared.status).toBe(201);
    expect(declared.body).toMatchObject({ approval: 'pending', organizationId: world.institutionId });
    const publicList = await client.get(`/api/v1/commitments?q=${encodeURIComponent(declared.body.name)}`);
    expect(publicList.body.total).toBe(0);

    const again = await client.post('/api/v1/commitments', world.sessions.institution_admin).send({});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_EXISTS');

    const pending = await client.get('/api/v1/commitments/pending', world.sessions.secretariat_officer);
    expect(pending.body.items.map((item: { id: string }) => item.id)).toContain(declared.body.id);

    const stale = await client
      .post(`/api/v1/commitments/${declared.body.id}/approval`, world.sessions.secretariat_admin)
      .send({ decision: 'approve', version: 7 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    const approved = await client
      .post(`/api/v1/commitments/${declared.body.id}/approval`, world.sessions.secretariat_admin)
      .send({ decision: 'approve', version: declared.body.version });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ approval: 'approved', pathwayStatus: 'committed' });
    const twice = await client
      .post(`/api/v1/commitments/${declared.body.id}/approval`, world.sessions.secretariat_admin)
      .send({ decision: 'reject', version: approved.body.version });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('INVALID_TRANSITION');

    const listed = await client.get(`/api/v1/commitments?q=${encodeURIComponent(declared.body.name)}`);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: declared.body.id, kind: 'institution' }),
    ]);
    const audit = await testApp.dataSource.query(
      `SELECT action FROM audit_event WHERE entity_id = $1 ORDER BY sequence`,
      [declared.body.id],
    );
    expect(audit.map((row: { action: string }) => row.action)).toEqual([
      'commitment.created',
      'commitment.approved',
    ]);
  });

  it('lets no pending or rejected entry hold a name: the secretariat records and imports it, the squatter is refused', async () => {
    const suffix = Date.now().toString(36);
    const bigBank = `Big Bank ${suffix}`;
    const trust = `Kiva Trust ${suffix}`;
    // An institution without a certificate renames itself (applied at once), declares, and renames back.
    const squat = async (name: string, country: string) => {
      const own = { name: `Own Name ${name}`, country: 'BO' };
      const organization = await anOrganization('institution')
        .named(own.name)
        .inCountry(own.country)
        .create(client, world.sessions.secretariat_admin);
      const admin = await aSignedInUser(
        client,
        world.sessions.secretariat_admin,
        organization.id,
        'institution_admin',
      );
      const renamed = await client
        .patch(`/api/v1/organizations/${organization.id}`, admin)
        .send({ version: organization.version, name, country })
        .expect(200);
      const declared = await client.post('/api/v1/commitments', admin).send({});
      expect(declared.status).toBe(201);
      expect(declared.body).toMatchObject({ name, country, approval: 'pending' });
      await client
        .patch(`/api/v1/organizations/${organization.id}`, admin)
        .send({ version: renamed.body.version, ...own })
        .expect(200);
      return {
        organization: { ...organization, ...own },
        admin,
        declared: declared.body as { id: string; version: number },
      };
    };
    const squatter = await squat(bigBank, 'PE');

    const recorded = await client.post('/api/v1/commitments', world.sessions.secretariat_admin).send({
      name: `${bigBank} S.A.`,
      country: 'PE',
      kind: 'institution',
      committedOn: '2015-06-01',
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toMatchObject({ approval: 'approved', source: 'recorded' });
    const again = await client
      .post('/api/v1/commitments', world.sessions.secretariat_admin)
      .send({ name: bigBank, country: 'PE', kind: 'institution' });
    expect(again.status).toBe(409);
    expect(again.body.details[0]).toMatchObject({ commitmentId: recorded.body.id });

    // The squatter's entry can no longer be approved under the listed name, only rejected.
    const approve = await client
      .post(`/api/v1/commitments/${squatter.declared.id}/approval`, world.sessions.secretariat_admin)
      .send({ decision: 'approve', version: squatter.declared.version });
    expect(approve.status).toBe(409);
    expect(approve.body).toMatchObject({
      code: 'ALREADY_EXISTS',
      details: [{ commitmentId: recorded.body.id }],
    });
    const rejected = await client
      .post(`/api/v1/commitments/${squatter.declared.id}/approval`, world.sessions.secretariat_admin)
      .send({ decision: 'reject', reason: 'Not this organization', version: squatter.declared.version });
    expect(rejected.status).toBe(200);
    expect(rejected.body.approval).toBe('rejected');

    // A rejected self-declaration does not bar the institution from committing again, under its own name.
    const recommitted = await client.post('/api/v1/commitments', squatter.admin).send({});
    expect(recommitted.status).toBe(201);
    expect(recommitted.body).toMatchObject({
      name: squatter.organization.name,
      country: 'BO',
      approval: 'pending',
      organizationId: squatter.organization.id,
    });
    const audit = await testApp.dataSource.query(
      `SELECT entity_id, action FROM audit_event WHERE entity_id = ANY($1) ORDER BY sequence`,
      [[squatter.declared.id, recommitted.body.id]],
    );
    expect(audit).toEqual([
      { entity_id: squatter.declared.id, action: 'commitment.created' },
      { entity_id: squatter.declared.id, action: 'commitment.rejected' },
      { entity_id: recommitted.body.id, action: 'commitment.created' },
    ]);

    // A pending self-declaration is no duplicate for the import either.
    await squat(trust, 'KE');
    const header = ['name', 'country', 'kind', 'committedOn', 'statement'];
    const imported = await importFile(
      csv([
        header,
        [trust, 'KE', 'investor', '2014-01-01', ''],
        [bigBank, 'PE', 'institution', '2014-01-01', ''],
      ]),
      'signatories.csv',
      false,
    );
    expect(imported.status).toBe(200);
    expect(imported.body.counts).toEqual({ rows: 2, new: 1, duplicate: 1, invalid: 0 });
    expect(imported.body.rows[0]).toMatchObject({ line: 2, outcome: 'new' });
    const listed = await client.get(`/api/v1/commitments?q=${encodeURIComponent(suffix)}`);
    expect(listed.body.items.map((item: { name: string }) => item.name).sort()).toEqual(
      [`${bigBank} S.A.`, trust].sort(),
    );
  });

  it('refuses a CSV of more than 20,000 rows with 413 and writes nothing', async () => {
    const rows = Array.from({ length: 20_001 }, (_, index) => [
      `Overflow ${index}`,
      'PE',
      'donor',
      '2014-01-01',
    ]);
    const refused = await importFile(
      csv([['name', 'country', 'kind', 'committedOn'], ...rows]),
      'signatories.csv',
      false,
    );
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: [{ field: 'file', maxRows: 20_000 }],
    });
    expect((await client.get('/api/v1/commitments?q=Overflow')).body.total).toBe(0);
  });

  it('refuses an institution committing another organization, or naming one itself', async () => {
    const other = await client
      .post('/api/v1/commitments', world.sessions.institution_admin)
      .send({ organizationId: world.otherInstitutionId });
    expect(other.status).toBe(404);
    const named = await client
      .post('/api/v1/commitments', world.sessions.other_institution_admin)
      .send({ name: 'Someone Else', country: 'PE', kind: 'institution' });
    expect(named.status).toBe(400);
    const missing = await client
      .post('/api/v1/commitments', world.sessions.secretariat_admin)
      .send({ name: 'No Country Bank' });
    expect(missing.status).toBe(400);
    expect(missing.body.details.map((detail: { field: string }) => detail.field)).toEqual([
      'country',
      'kind',
    ]);
  });

  it('imports a 2,000-row signatory file: dry run by line, nothing applied with a bad row, then all at once', async () => {
    const header = ['Name', 'Country', 'Kind', 'Committed on', 'Statement'];
    const rows = Array.from({ length: 2000 }, (_, index) => [
      `Signatory ${index} Microfinance S.A.`,
      COUNTRIES[index % COUNTRIES.length],
      KINDS[index % KINDS.length],
      `20${String(11 + (index % 10)).padStart(2, '0')}-0${1 + (index % 9)}-15`,
      index % 3 === 0 ? `Statement, "quoted" ${index}` : '',
    ]);
    // Line numbers: the header is line 1, so rows[i] is line i + 2.
    rows[10] = ['signatory 3 microfinance', COUNTRIES[3], 'network', '2012-01-01', '']; // duplicate of line 5
    rows[20] = ['Signatory 20 Bank', 'Peru', 'investor', '2013-01-01', ''];
    rows[30] = ['Signatory 30 Bank', 'PE', 'bank', '2013-13-01', ''];
    rows[40] = ['', 'KE', 'donor', '2013-01-01', ''];
    const bad = csv([header, ...rows]);

    const dryRun = await importFile(bad, 'signatories.csv', true);
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.counts).toEqual({ rows: 2000, new: 1996, duplicate: 1, invalid: 3 });
    const byLine = new Map(dryRun.body.rows.map((row: { line: number }) => [row.line, row]));
    expect(byLine.get(12)).toMatchObject({ outcome: 'duplicate', problems: ['same organization as line 5'] });
    expect(byLine.get(22)).toMatchObject({
      outcome: 'invalid',
      problems: [expect.stringContaining('country "Peru"')],
    });
    expect(byLine.get(32)).toMatchObject({
      outcome: 'invalid',
      problems: [expect.stringContaining('kind "bank"'), expect.stringContaining('committedOn "2013-13-01"')],
    });
    expect(byLine.get(42)).toMatchObject({ outcome: 'invalid', problems: ['name is missing'] });
    expect((await client.get('/api/v1/commitments?q=Signatory')).body.total).toBe(0);

    const refused = await importFile(bad, 'signatories.csv', false);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('IMPORT_ROWS_INVALID');
    expect(refused.body.details.map((detail: { line: number }) => detail.line)).toEqual([22, 32, 42]);
    expect((await client.get('/api/v1/commitments?q=Signatory')).body.total).toBe(0);

    rows[20][1] = 'PE';
    rows[30] = ['Signatory 30 Bank', 'PE', 'certification body', '2013-12-01', ''];
    rows[40][0] = 'Signatory Forty';
    const started = Date.now();
    const applied = await importFile(csv([header, ...rows]), 'signatories.csv', false);
    expect(applied.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(applied.body).toMatchObject({
      applied: true,
      counts: { rows: 2000, new: 1999, duplicate: 1, invalid: 0 },
    });
    expect((await client.get('/api/v1/commitments?q=Signatory')).body.total).toBe(1999);
    const paged = await client.get('/api/v1/commitments?q=Signatory&kind=investor&pageSize=100&page=2');
    expect(paged.body).toMatchObject({ page: 2, pageSize: 100 });
    expect(paged.body.items).toHaveLength(100);

    // The same list again: every row is now a duplicate, nothing new is written.
    const repeat = await importFile(csv([header, ...rows]), 'signatories.csv', false);
    expect(repeat.body.counts).toMatchObject({ new: 0, duplicate: 2000 });
  }, 120_000);

  it('reads an .xlsx workbook and finds duplicates across accents, case, punctuation and legal forms', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Signatories');
    sheet.addRow(['name', 'country', 'kind', 'committedOn', 'statement']);
    sheet.addRow(['Caja Rural Señor de Luren S.A.', 'PE', 'institution', new Date(Date.UTC(2012, 2, 1)), '']);
    sheet.addRow(['CAJA RURAL SENOR DE LUREN', 'PE', 'institution', '2013-03-01', '']);
    sheet.addRow(['Caja Rural Señor de Luren', 'BO', 'institution', '2013-03-01', '']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const report = await importFile(file, 'signatories.xlsx', false);
    expect(report.status).toBe(200);
    expect(report.body.counts).toEqual({ rows: 3, new: 2, duplicate: 1, invalid: 0 });
    expect(report.body.rows[1]).toMatchObject({ line: 3, outcome: 'duplicate' });
    const listed = await client.get('/api/v1/commitments?q=Luren&country=PE');
    expect(listed.body.items).toEqual([expect.objectContaining({ committedOn: '2012-03-01' })]);
  });

  it('refuses a file that is neither CSV nor a workbook, and a request without a file', async () => {
    const binary = await importFile(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]), 'list.csv', true);
    expect(binary.status).toBe(415);
    const none = await client
      .post('/api/v1/commitments/import?dryRun=true', world.sessions.secretariat_admin)
      .field('note', 'x');
    expect(none.status).toBe(400);
  });

  it('keeps the pathway: committed, certified with its certificate linked, reminders for a year, then inactive', async () => {
    const pathways = testApp.app.get(CommitmentPathwayService);
    const today = todayUtc();
    const institution = await anOrganization('institution').create(client, world.sessions.secretariat_admin);
    const admin = await aSignedInUser(
      client,
      world.sessions.secretariat_admin,
      institution.id,
      'institution_admin',
    );
    const recorded = await client.post('/api/v1/commitments', world.sessions.secretariat_admin).send({
      organizationId: institution.id,
      committedOn: addMonths(today, -13),
    });
    expect(recorded.status).toBe(201);
    const entry = async () =>
      (await client.get(`/api/v1/commitments?q=${encodeURIComponent(recorded.body.name)}`)).body.items[0];

    await pathways.run(today);
    expect((await entry()).pathwayStatus).toBe('committed');
    const reminders = await client.get('/api/v1/me/notifications', admin);
    expect(reminders.body.items.map((item: { title: string }) => item.title)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Self-assessment expected'),
        expect.stringContaining('turns inactive after'),
      ]),
    );
    // Running again sends nothing new.
    expect((await pathways.run(today)).reminders).toBe(0);

    await pathways.run(addMonths(today, 11));
    expect((await entry()).pathwayStatus).toBe('committed');
    await pathways.run(addMonths(today, 12));
    expect((await entry()).pathwayStatus).toBe('inactive');

    // A certificate brings it back as certified and is linked from the entry.
    const cases = new CaseBuilder(client, {
      ...world,
      institutionId: institution.id,
      sessions: { ...world.sessions, institution_admin: admin },
    });
    const published = await cases.published();
    await pathways.run(today);
    const certified = await entry();
    expect(certified.pathwayStatus).toBe('certified');
    expect(certified.certificates).toEqual([
      expect.objectContaining({
        certificateNumber: published.certificateNumber,
        origin: 'issued',
        status: 'active',
      }),
    ]);
    const audit = await testApp.dataSource.query(
      `SELECT to_status FROM audit_event WHERE entity_id = $1 AND action = 'commitment.pathway_changed' ORDER BY sequence`,
      [recorded.body.id],
    );
    expect(audit.map((row: { to_status: string }) => row.to_status)).toEqual(['inactive', 'certified']);
  }, 120_000);
});
