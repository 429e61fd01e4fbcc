import ExcelJS from 'exceljs';
import { ApiClient } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

const HEADER = [
  'number',
  'institution',
  'country',
  'certificationBody',
  'edition',
  'level',
  'issuedOn',
  'validUntil',
  'status',
];
const LEVELS = ['Gold*', 'Silver', 'Gold', 'Bronze', ''];

function historicalRow(index: number): string[] {
  const year = 2013 + (index % 9);
  return [
    `SMART-${year}-${String(index).padStart(3, '0')}`,
    `Historical Institution ${index} S.A.`,
    ['PE', 'BO', 'KE', 'IN', 'MX'][index % 5],
    ['MicroFinanza Rating', 'M-CRIL', 'Planet Rating'][index % 3],
    year < 2016 ? 'smart-2013' : 'cps-2016',
    LEVELS[index % LEVELS.length],
    `${year}-03-15`,
    `${year + 4}-03-14`,
    index % 7 === 0 ? 'revoked' : 'expired',
  ];
}

const csv = (rows: string[][]) =>
  Buffer.from(
    `${rows.map((row) => row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')).join('\n')}\n`,
  );

describe('the historical registry', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let productNumber: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    productNumber = (await new CaseBuilder(client, world).published()).certificateNumber;
  });

  afterAll(() => testApp?.close());

  const importFile = (file: Buffer, fileName: string, dryRun: boolean) =>
    client
      .post(`/api/v1/certificates/import?dryRun=${dryRun}`, world.sessions.secretariat_admin)
      .attach('file', file, fileName);

  it('reports bad rows of a 150-row file by line, records nothing while any is bad, then records all, each audited', async () => {
    const rows = Array.from({ length: 150 }, (_, index) => historicalRow(index));
    // rows[i] is line i + 2.
    rows[5][0] = rows[4][0]; // line 7: same number as line 6
    rows[10][0] = productNumber; // line 12: a number the product issued
    rows[20][0] = 'CPC-2031-0001'; // line 22: the product's own prefix
    rows[30][6] = '15/03/2015'; // line 32: a date not YYYY-MM-DD
    rows[40][2] = 'Kenya'; // line 42
    rows[50][3] = ''; // line 52: no certification body
    rows[60][7] = '2010-01-01'; // line 62: valid until before issued
    rows[70][8] = 'lapsed'; // line 72
    const badLines = [7, 12, 22, 32, 42, 52, 62, 72];

    const dryRun = await importFile(csv([HEADER, ...rows]), 'smart-registry.csv', true);
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.counts).toEqual({ rows: 150, new: 142, duplicate: 0, invalid: 8 });
    const invalid = dryRun.body.rows.filter((row: { outcome: string }) => row.outcome === 'invalid');
    expect(invalid.map((row: { line: number }) => row.line)).toEqual(badLines);
    const problemOf = (line: number) =>
      dryRun.body.rows.find((row: { line: number }) => row.line === line).problems.join('; ');
    expect(problemOf(7)).toContain('same number as line 6');
    expect(problemOf(12)).toContain("product's own prefix");
    expect(problemOf(22)).toContain("product's own prefix");
    expect(problemOf(32)).toContain('issuedOn "15/03/2015"');
    expect(problemOf(62)).toContain('validUntil is before issuedOn');

    const refused = await importFile(csv([HEADER, ...rows]), 'smart-registry.csv', false);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('IMPORT_ROWS_INVALID');
    expect(refused.body.details.map((detail: { line: number }) => detail.line)).toEqual(badLines);
    const [{ count: none }] = await testApp.dataSource.query(
      `SELECT count(*)::int AS count FROM certificate WHERE origin = 'recorded'`,
    );
    expect(none).toBe(0);

    const fixed = rows.map((row, index) =>
      badLines.includes(index + 2) ? historicalRow(index + 1000) : row,
    );
    const applied = await importFile(csv([HEADER, ...fixed]), 'smart-registry.csv', false);
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ applied: true, counts: { rows: 150, new: 150, invalid: 0 } });
    const [{ count }] = await testApp.dataSource.query(
      `SELECT count(*)::int AS count FROM audit_event WHERE action = 'certificate.recorded'`,
    );
    expect(count).toBe(150);
    const chain = await client.get('/api/v1/audit/verify', world.sessions.secretariat_admin);
    expect(chain.body.valid).toBe(true);
  }, 120_000);

  it('shows recorded certificates in the registry and verification as recorded, not issued, by the product', async () => {
    const registry = await client.get(
      '/api/v1/registry?status=all&q=Historical%20Institution%207%20&pageSize=100',
    );
    expect(registry.status).toBe(200);
    const entry = registry.body.items.find(
      (item: { certificateNumber: string }) => item.certificateNumber === 'SMART-2020-007',
    );
    expect(entry).toMatchObject({
      origin: 'recorded',
      level: 'Gold',
      certifier: { name: 'M-CRIL' },
      holder: { name: 'Historical Institution 7 S.A.', country: 'KE' },
      status: 'revoked',
    });
    const product = await client.get(`/api/v1/registry/${productNumber}`);
    expect(product.body.origin).toBe('issued');

    const verification = await client.get('/api/v1/registry/SMART-2013-000');
    expect(verification.status).toBe(200);
    expect(verification.body).toMatchObject({
      origin: 'recorded',
      level: 'Gold*',
      valid: false,
      packageSha256: null,
    });
    const page = await client.get('/registry/SMART-2013-000?lang=fr');
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="origin-recorded"');
    expect(page.text).toContain('Enregistré');
    const list = await client.get('/registry?status=all&certifier=Planet%20Rating&lang=en');
    expect(list.text).toContain('(recorded)');
    const csvExport = await client.get('/api/v1/registry.csv?status=all&certifier=MicroFinanza%20Rating');
    expect(csvExport.text).toMatch(
      /SMART-2013-000,Historical Institution 0 S\.A\.,PE,MicroFinanza Rating,smart-2013,Gold\*,.*,recorded\r\n/,
    );
  });

  it('links a recorded certificate to the commitment of the same organization', async () => {
    const recorded = await client.post('/api/v1/commitments', world.sessions.secretariat_admin).send({
      name: 'HISTORICAL INSTITUTION 3',
      country: 'IN',
      kind: 'institution',
      committedOn: '2012-01-10',
    });
    expect(recorded.status).toBe(201);
    const listed = await client.get('/api/v1/commitments?q=HISTORICAL%20INSTITUTION%203&country=IN');
    expect(listed.body.items[0].certificates).toEqual([
      expect.objectContaining({
        certificateNumber: 'SMART-2016-003',
        origin: 'recorded',
        href: '/api/v1/registry/SMART-2016-003',
      }),
    ]);
  });

  it('reads the same list from an .xlsx workbook, and refuses it from anyone but the secretariat admin', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Registry');
    sheet.addRow(HEADER);
    sheet.addRow([
      'MF.2019.88',
      'Workbook Bank',
      'SN',
      'Planet Rating',
      'cps-2016',
      'Gold*',
      new Date(Date.UTC(2019, 4, 2)),
      new Date(Date.UTC(2023, 4, 1)),
      'expired',
    ]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const officer = await client
      .post('/api/v1/certificates/import?dryRun=false', world.sessions.secretariat_officer)
      .attach('file', file, 'registry.xlsx');
    expect(officer.status).toBe(403);
    const applied = await importFile(file, 'registry.xlsx', false);
    expect(applied.status).toBe(200);
    const again = await importFile(file, 'registry.xlsx', true);
    expect(again.body.rows).toEqual([
      expect.objectContaining({
        line: 2,
        outcome: 'invalid',
        problems: ['number is already in the registry'],
      }),
    ]);
    const verification = await client.get('/api/v1/registry/MF.2019.88');
    expect(verification.body).toMatchObject({
      origin: 'recorded',
      issuedOn: '2019-05-02',
      validUntil: '2023-05-01',
    });
  });
});
