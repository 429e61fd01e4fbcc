import ExcelJS from 'exceljs';
import { ApiClient } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { handWrittenXlsx } from '../support/hand-written-xlsx';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import {
  calcEditAndSave,
  calcSheetAsCsv,
  calcUnavailable,
  downloadWorkbook,
  fillWorkbook,
  uploadWorkbook,
} from '../support/workbooks';

/** Row numbers of the rating sheet by code, and every cell value as text. */
async function sheetsOf(
  bytes: Buffer,
): Promise<{ rowOf: Map<string, number>; values: (string | number | null)[][][]; names: string[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as never);
  const rowOf = new Map<string, number>();
  workbook.worksheets[1].eachRow((row, number) => rowOf.set(row.getCell(1).text, number));
  const values = workbook.worksheets.map((sheet) => {
    const rows: (string | number | null)[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, number) => {
      const cells: (string | number | null)[] = [];
      for (let c = 1; c <= sheet.columnCount; c++) {
        const cell = row.getCell(c);
        const value = cell.value;
        cells.push(
          value === null || value === undefined ? null : typeof value === 'number' ? value : cell.text,
        );
      }
      rows[number - 1] = cells;
    });
    return rows;
  });
  return { rowOf, values, names: workbook.worksheets.map((sheet) => sheet.name) };
}

describe('workbooks with other spreadsheet software, and the self-assessment workbook', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;
  let noCalc: string | null;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
    noCalc = await calcUnavailable();
    if (noCalc) console.warn(`LibreOffice Calc tests skipped: ${noCalc}`);
  });

  afterAll(() => testApp?.close());

  const ratingPath = (caseId: string) => `/api/v1/cases/${caseId}/rating-workbook`;

  async function ratings(caseId: string): Promise<Map<string, any>> {
    const response = await client.get(`/api/v1/cases/${caseId}/ratings`, world.sessions.rater).expect(200);
    return new Map(response.body.ratings.map((rating: any) => [rating.indicatorCode, rating]));
  }

  it('LibreOffice Calc opens the exported workbook, a rater fills it in Calc, and what Calc saved imports', async () => {
    if (noCalc) {
      console.warn(`skipped: ${noCalc}`);
      return;
    }
    const onsite = await cases.onsite();
    const current = await ratings(onsite.id);
    const applicable = [...current.values()]
      .filter((rating) => rating.applicable)
      .map((rating) => rating.indicatorCode);
    const inapplicable = [...current.values()].find((rating) => !rating.applicable);
    const [a, b, c] = applicable;
    const exported = await downloadWorkbook(client, `${ratingPath(onsite.id)}?lang=es`, world.sessions.rater);
    const { rowOf } = await sheetsOf(exported);

    // What Calc sees: the rating sheet through Calc's own CSV export.
    const csv = await calcSheetAsCsv(exported, 2);
    const lines = csv.split(/\r?\n/);
    expect(lines[0]).toContain('Calificación');
    expect(lines[0]).toContain('Justificación');
    expect(lines[rowOf.get(a)! - 1]).toMatch(new RegExp(`^"?${a.replace(/\./g, '\\.')}"?,`));
    expect(lines[rowOf.get(inapplicable.indicatorCode)! - 1]).toContain('not_applicable');

    // A rater types into the cells in Calc (through its UNO API, as typing does), and Calc saves .xlsx.
    const saved = await calcEditAndSave(exported, [
      { sheet: 2, cell: `F${rowOf.get(a)}`, value: 'met' },
      { sheet: 2, cell: `F${rowOf.get(b)}`, value: 'not_met' },
      { sheet: 2, cell: `G${rowOf.get(b)}`, value: 'Sin mecanismo de quejas en las sucursales' },
      { sheet: 2, cell: `F${rowOf.get(c)}`, value: '="met"' },
    ]);
    expect(saved.equals(exported)).toBe(false);

    const dry = await uploadWorkbook(client, ratingPath(onsite.id), world.sessions.rater, saved).expect(200);
    const byCode = new Map(dry.body.rows.map((row: any) => [row.indicatorCode, row]));
    expect(byCode.get(a)).toMatchObject({ outcome: 'new', workbook: { rating: 'met' } });
    expect(byCode.get(b)).toMatchObject({ outcome: 'new', workbook: { rating: 'not_met' } });
    // A formula typed in Calc is never evaluated: the row is invalid, naming the cell.
    expect(byCode.get(c)).toMatchObject({ outcome: 'invalid', cell: { column: 'F', row: rowOf.get(c) } });
    expect(dry.body.counts.invalid).toBe(1);

    const fixed = await calcEditAndSave(saved, [
      { sheet: 2, cell: `F${rowOf.get(c)}`, value: 'partially_met' },
      { sheet: 2, cell: `G${rowOf.get(c)}`, value: 'Tarifas solo verbales' },
    ]);
    await uploadWorkbook(client, ratingPath(onsite.id), world.sessions.rater, fixed, {
      dryRun: false,
    }).expect(200);
    const after = await ratings(onsite.id);
    expect(after.get(a)).toMatchObject({ rating: 'met', version: 1 });
    expect(after.get(b)).toMatchObject({
      rating: 'not_met',
      justification: 'Sin mecanismo de quejas en las sucursales',
    });
    expect(after.get(c)).toMatchObject({ rating: 'partially_met', justification: 'Tarifas solo verbales' });
  });

  it('a workbook written by another writer (inline strings, no styles) imports too', async () => {
    const onsite = await cases.onsite();
    const [a] = [...(await ratings(onsite.id)).values()]
      .filter((r) => r.applicable)
      .map((r) => r.indicatorCode);
    const exported = await downloadWorkbook(client, ratingPath(onsite.id), world.sessions.rater);
    const { rowOf, values, names } = await sheetsOf(exported);
    const ratingRows = values[1].map((row) => [...row]);
    ratingRows[rowOf.get(a)! - 1][5] = 'not_met';
    ratingRows[rowOf.get(a)! - 1][6] = 'Written with another tool';
    const rewritten = await handWrittenXlsx([
      { name: names[0], rows: values[0] },
      { name: names[1], rows: ratingRows },
    ]);
    const applied = await uploadWorkbook(client, ratingPath(onsite.id), world.sessions.rater, rewritten, {
      dryRun: false,
    }).expect(200);
    expect(applied.body.counts).toMatchObject({ new: 1, invalid: 0, conflict: 0 });
    expect((await ratings(onsite.id)).get(a)).toMatchObject({
      rating: 'not_met',
      justification: 'Written with another tool',
    });
  });

  describe('self-assessment workbook', () => {
    const path = (caseId: string) => `/api/v1/cases/${caseId}/self-assessment-workbook`;

    async function answers(caseId: string): Promise<Map<string, any>> {
      const response = await client
        .get(`/api/v1/cases/${caseId}/self-assessment`, world.sessions.institution_admin)
        .expect(200);
      return new Map(response.body.answers.map((answer: any) => [answer.indicatorCode, answer]));
    }

    it('export → fill → dry run → apply; a server edit after export is a conflict; the window and actors', async () => {
      const draft = await cases.open();
      const codes = [...(await answers(draft.id)).values()]
        .filter((answer) => answer.applicable)
        .map((answer) => answer.indicatorCode);
      const [a, b, c] = codes;
      const exported = await downloadWorkbook(
        client,
        `${path(draft.id)}?lang=fr`,
        world.sessions.institution_admin,
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(exported as never);
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Couverture', 'Auto-évaluation']);
      expect(workbook.worksheets[1].getRow(1).values).toEqual(expect.arrayContaining(['Commentaire']));

      const filled = await fillWorkbook(
        exported,
        {
          [a]: { rating: 'met', note: 'Manuel, section 4' },
          [b]: { rating: 'not_met' },
          [c]: { rating: 'met' },
        },
        { rating: 6, note: 7 },
      );
      const dry = await uploadWorkbook(
        client,
        path(draft.id),
        world.sessions.institution_admin,
        filled,
      ).expect(200);
      expect(dry.body).toMatchObject({ applied: false, counts: { new: 3, conflict: 0, invalid: 0 } });
      expect(dry.body.rows.find((row: any) => row.indicatorCode === a)).toMatchObject({
        workbook: { rating: 'met', comment: 'Manuel, section 4' },
      });

      // The institution changes c through the API after the export: the workbook's c is a conflict.
      await client
        .put(`/api/v1/cases/${draft.id}/self-assessment`, world.sessions.institution_member)
        .send({ answers: [{ indicatorCode: c, rating: 'partially_met' }] })
        .expect(200);
      const conflict = await uploadWorkbook(
        client,
        path(draft.id),
        world.sessions.institution_admin,
        filled,
        {
          mode: 'override',
          dryRun: false,
        },
      ).expect(409);
      expect(conflict.body.code).toBe('STALE_VERSION');
      expect((await answers(draft.id)).get(a).rating).toBeNull();

      const fresh = await fillWorkbook(
        await downloadWorkbook(client, path(draft.id), world.sessions.institution_admin),
        {
          [a]: { rating: 'met', note: 'Manuel, section 4' },
          [b]: { rating: 'not_met' },
          [c]: { rating: 'met' },
        },
        { rating: 6, note: 7 },
      );
      const blanks = await uploadWorkbook(client, path(draft.id), world.sessions.institution_admin, fresh, {
        dryRun: false,
      }).expect(200);
      expect(blanks.body).toMatchObject({ applied: true, counts: { new: 2, skipped: 1 } });
      const now = await answers(draft.id);
      expect(now.get(a)).toMatchObject({ rating: 'met', comment: 'Manuel, section 4' });
      expect(now.get(b)).toMatchObject({ rating: 'not_met' });
      expect(now.get(c)).toMatchObject({ rating: 'partially_met' });

      // A rating workbook is not a self-assessment workbook, and raters have no say here.
      await client.get(path(draft.id), world.sessions.other_institution_admin).expect(404);
      await client.get(path(draft.id), world.sessions.certifier_admin).expect(403);
      const submitted = await cases.submitted();
      expect(
        (await client.get(path(submitted.id), world.sessions.institution_admin).expect(409)).body.code,
      ).toBe('CASE_LOCKED');
    });
  });
});
