import { randomBytes } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { ApiClient, type Session } from '../support/api-client';
import { anEditionV2 } from '../support/edition-builder';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, CALLERS, type World } from '../support/world';
import {
  calcEditAndSave,
  calcSheetAsCsv,
  calcUnavailable,
  downloadWorkbook,
  reworkWorkbook,
} from '../support/workbooks';

const suffix = (): string => randomBytes(3).toString('hex');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The row whose first cell is `key` in a sheet (a field name, a code). */
function rowOf(sheet: ExcelJS.Worksheet, key: string): number {
  for (let row = 2; row <= sheet.rowCount; row++) if (sheet.getRow(row).getCell(1).text === key) return row;
  throw new Error(`no row ${key} in ${sheet.name}`);
}

function columnOf(sheet: ExcelJS.Worksheet, header: string): number {
  for (let column = 1; column <= sheet.columnCount; column++) {
    if (sheet.getRow(1).getCell(column).text === header) return column;
  }
  throw new Error(`no column ${header} in ${sheet.name}`);
}

/** The workbook with its edition id changed (and any further edit). */
function withId(
  bytes: Buffer,
  id: string,
  change: (workbook: ExcelJS.Workbook) => void = () => undefined,
): Promise<Buffer> {
  return reworkWorkbook(bytes, (workbook) => {
    const edition = workbook.getWorksheet('Edition')!;
    edition.getRow(rowOf(edition, 'id')).getCell(2).value = id;
    change(workbook);
  });
}

/** Issue 12 item 3: the standard owner's edition as a workbook, exported and imported back. */
describe('editions as workbooks', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let admin: Session;
  let world: World;
  let exported: Buffer;
  let original: Record<string, unknown>;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    admin = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    world = await buildWorld(client);
    original = (await client.get('/api/v1/standards/cps-2022-v3').expect(200)).body;
    exported = await downloadWorkbook(client, '/api/v1/standards/cps-2022-v3/workbook', admin);
  });

  afterAll(() => testApp?.close());

  const importWorkbook = (file: Buffer, session: Session | null = admin) =>
    client.post('/api/v1/standards', session).attach('file', file, 'edition.xlsx');

  it('exports the shipped 2022 edition; imported as a new id it is the same edition', async () => {
    const response = await client.get('/api/v1/standards/cps-2022-v3/workbook').expect(200);
    expect(response.headers['content-type']).toContain(XLSX);
    expect(response.headers['content-disposition']).toContain('edition-cps-2022-v3.xlsx');

    const id = `wb-2022-${suffix()}`;
    const imported = await importWorkbook(await withId(exported, id)).expect(201);
    expect(imported.body).toMatchObject({ id, status: 'draft', indicatorCount: 153 });
    const copy = (await client.get(`/api/v1/standards/${id}`, admin).expect(200)).body;
    expect(copy).toEqual({ ...original, id });
    // And the copy's workbook is the original's but for the id.
    const again = await downloadWorkbook(client, `/api/v1/standards/${id}/workbook`, admin);
    const back = await importWorkbook(await withId(again, `${id}-2`)).expect(201);
    expect(back.body.id).toBe(`${id}-2`);
    expect((await client.get(`/api/v1/standards/${id}-2`, admin).expect(200)).body).toEqual({
      ...original,
      id: `${id}-2`,
    });
  });

  it('LibreOffice Calc opens the exported workbook, and what Calc saves imports as the same edition', async () => {
    const noCalc = await calcUnavailable();
    if (noCalc) {
      console.warn(`skipped: ${noCalc}`);
      return;
    }
    const items = await calcSheetAsCsv(exported, 6);
    const [header, first] = items.split('\n');
    expect(header).toMatch(/^code,parent,level,tag,mandatory,refs\.ussepm,title\.en,title\.fr,title\.es,/);
    expect(first).toMatch(/^1,,cp_standard,,,3B,Appropriate product design and delivery,/);
    expect(items).toContain('3B.1.1,3B.1,indicator,entry,,3B.1.1,');

    const edition = await calcSheetAsCsv(exported, 1);
    const idRow = edition.split('\n').findIndex((line) => line.startsWith('id,')) + 1;
    const id = `wb-calc-${suffix()}`;
    const saved = await calcEditAndSave(exported, [{ sheet: 1, cell: `B${idRow}`, value: id }]);
    const imported = await importWorkbook(saved);
    if (imported.status !== 201) throw new Error(JSON.stringify(imported.body));
    expect((await client.get(`/api/v1/standards/${id}`, admin).expect(200)).body).toEqual({
      ...original,
      id,
    });
  }, 300_000);

  it('answers a broken workbook 422 with the sheet, row and column of every problem, and imports nothing', async () => {
    const id = `wb-broken-${suffix()}`;
    let expected: Record<string, unknown>[] = [];
    const broken = await withId(exported, id, (workbook) => {
      const items = workbook.getWorksheet('Items')!;
      const tagColumn = columnOf(items, 'tag');
      const parentColumn = columnOf(items, 'parent');
      const tagRow = rowOf(items, '3B.1.1');
      const parentRow = rowOf(items, '3B.1.2');
      items.getRow(tagRow).getCell(tagColumn).value = 'platinum';
      items.getRow(parentRow).getCell(parentColumn).value = 'no-such-code';
      expected = [
        expect.objectContaining({
          sheet: 'Items',
          row: parentRow,
          column: String.fromCharCode(64 + parentColumn),
          message: 'parent no-such-code is not the code of an earlier row',
        }),
      ];
    });
    const response = await importWorkbook(broken).expect(422);
    expect(response.body).toMatchObject({ code: 'WORKBOOK_ROWS_INVALID' });
    expect(response.body.details).toEqual(expected);

    // (the rows under 3B.1.2 are left out with it, without problems of their own)
    // Once the layout is right, the validator's problems point at their cells too.
    let tagCell: Record<string, unknown> = {};
    const badTag = await withId(exported, id, (workbook) => {
      const items = workbook.getWorksheet('Items')!;
      const row = rowOf(items, '3B.1.1');
      items.getRow(row).getCell(columnOf(items, 'tag')).value = 'platinum';
      tagCell = { sheet: 'Items', row, column: String.fromCharCode(64 + columnOf(items, 'tag')) };
    });
    const semantic = await importWorkbook(badTag).expect(422);
    expect(semantic.body.code).toBe('WORKBOOK_ROWS_INVALID');
    expect(semantic.body.details).toEqual([
      expect.objectContaining({ ...tagCell, field: expect.stringMatching(/\.tag$/) }),
    ]);
    await client.get(`/api/v1/standards/${id}`, admin).expect(404);

    // An id already used: 409, pointing at the id cell.
    const taken = await importWorkbook(exported).expect(409);
    expect(taken.body).toMatchObject({
      code: 'ALREADY_EXISTS',
      details: [expect.objectContaining({ sheet: 'Edition', row: 3, column: 'B', field: 'id' })],
    });
    // Not a workbook at all.
    const unreadable = await importWorkbook(Buffer.from('id,title\nx,y\n')).expect(422);
    expect(unreadable.body.code).toBe('WORKBOOK_UNREADABLE');
  });

  it('only the secretariat admin imports a workbook; a draft is exported to the secretariat only', async () => {
    for (const caller of CALLERS) {
      const id = `wb-role-${suffix()}`;
      const response = await importWorkbook(await withId(exported, id), world.sessionOf(caller));
      const expected = caller === 'secretariat_admin' ? 201 : caller === 'anonymous' ? 401 : 403;
      expect({ caller, status: response.status }).toEqual({ caller, status: expected });
    }
    const draft = anEditionV2().withId(`wb-draft-${suffix()}`).inFrench().build();
    await client.post('/api/v1/standards', admin).send(draft).expect(201);
    for (const caller of CALLERS) {
      const response = await client.get(`/api/v1/standards/${draft.id}/workbook`, world.sessionOf(caller));
      const expected = caller === 'secretariat_admin' || caller === 'secretariat_officer' ? 200 : 404;
      expect({ caller, status: response.status }).toEqual({ caller, status: expected });
    }
  });

  it('documents both bodies of POST /standards and the workbook export in the OpenAPI document', async () => {
    const document = (await client.get('/api/docs-json').expect(200)).body;
    const post = document.paths['/api/v1/standards'].post;
    expect(post.requestBody.content['application/json'].schema).toMatchObject({ type: 'object' });
    expect(post.requestBody.content['multipart/form-data'].schema).toMatchObject({
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    });
    expect(post['x-request-content']).toBeUndefined();
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '400', '409', '413', '422']));
    const get = document.paths['/api/v1/standards/{editionId}/workbook'].get;
    expect(Object.keys(get.responses['200'].content)).toEqual([XLSX]);
    expect(get.security).toEqual([]); // public
  });

  it('replays a repeated import with the same Idempotency-Key, and refuses another workbook under it', async () => {
    const key = `wb-${suffix()}`;
    const first = await withId(exported, `wb-idem-${suffix()}`);
    const created = await importWorkbook(first).set('Idempotency-Key', key).expect(201);
    const replayed = await importWorkbook(first).set('Idempotency-Key', key).expect(201);
    expect(replayed.body).toEqual(created.body);
    const other = await withId(exported, `wb-idem-${suffix()}`);
    const refused = await importWorkbook(other).set('Idempotency-Key', key).expect(409);
    expect(refused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});
