import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type EditionDocumentV2, EditionValidator } from '@app/standards';
import ExcelJS from 'exceljs';
import { anEditionV2, randomEditionV2 } from '../../../../test/support/edition-builder';
import { columnLetter } from '../xlsx/workbook-model';
import { EDITION_SHEETS, editionFromWorkbook, writeEditionWorkbook } from './edition-workbook';

const STANDARDS_DIRECTORY = resolve(__dirname, '../../../../standards');
const validator = new EditionValidator(STANDARDS_DIRECTORY);
const normalize = (candidate: unknown) => validator.normalize(candidate);

type Json = Record<string, any>;

async function roundTrip(document: Json): Promise<Json> {
  const result = await editionFromWorkbook(
    await writeEditionWorkbook(document as EditionDocumentV2),
    normalize,
  );
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.document;
}

/** The problems of the workbook written for `document` once `change` has edited it. */
async function problemsAfter(
  change: (workbook: ExcelJS.Workbook) => void,
  document: Json = tieredEdition(),
): Promise<Json[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await writeEditionWorkbook(document as EditionDocumentV2)) as never);
  change(workbook);
  const result = await editionFromWorkbook(Buffer.from(await workbook.xlsx.writeBuffer()), normalize);
  if (result.ok) throw new Error('the workbook was accepted');
  if (result.unreadable) throw new Error('the workbook was unreadable');
  return result.problems;
}

function tieredEdition(): Json {
  return anEditionV2()
    .inFrench()
    .withDriver({ key: 'legalForm', type: 'enum', values: ['bank', 'ngo'], label: { en: 'Legal form' } })
    .tagged((index) => ['entry', 'progress', 'advanced'][index % 3])
    .withTiers([
      { level: 'bronze', requiredIndicatorLevels: ['entry'] },
      { level: 'silver', requiredIndicatorLevels: ['entry'], minShare: { progress: 0.8 } },
    ])
    .build();
}

function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  return workbook.getWorksheet(name)!;
}

/** The column number of a header in a sheet's first row. */
function columnOf(worksheet: ExcelJS.Worksheet, header: string): number {
  for (let column = 1; column <= worksheet.columnCount; column++) {
    if (worksheet.getRow(1).getCell(column).text === header) return column;
  }
  throw new Error(`no column ${header} in ${worksheet.name}`);
}

/** The row number whose first cell is `key` (a code, a field name, a level key). */
function rowOf(worksheet: ExcelJS.Worksheet, key: string): number {
  for (let row = 2; row <= worksheet.rowCount; row++) {
    if (worksheet.getRow(row).getCell(1).text === key) return row;
  }
  throw new Error(`no row ${key} in ${worksheet.name}`);
}

function cell(workbook: ExcelJS.Workbook, name: string, key: string, header: string): ExcelJS.Cell {
  const worksheet = sheet(workbook, name);
  return worksheet.getRow(rowOf(worksheet, key)).getCell(columnOf(worksheet, header));
}

function at(workbook: ExcelJS.Workbook, name: string, key: string, header: string) {
  const worksheet = sheet(workbook, name);
  return {
    sheet: name,
    row: rowOf(worksheet, key),
    column: columnLetter(columnOf(worksheet, header)),
  };
}

describe('editions as workbooks', () => {
  it('keeps 200 random valid editions unchanged through JSON → workbook → JSON', async () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const document = randomEditionV2(seed);
      expect({ seed, problems: validator.problems(document) }).toEqual({ seed, problems: [] });
      expect({ seed, document: await roundTrip(document) }).toStrictEqual({ seed, document });
    }
  }, 240_000);

  it.each(readdirSync(STANDARDS_DIRECTORY).filter((file) => file.endsWith('.json')))(
    'keeps the shipped %s unchanged (as stored: v1 converted to v2)',
    async (file) => {
      const normalized = validator.normalize(
        JSON.parse(readFileSync(join(STANDARDS_DIRECTORY, file), 'utf8')),
      );
      if (!normalized.ok) throw new Error(JSON.stringify(normalized.problems));
      expect(await roundTrip(normalized.document)).toStrictEqual(normalized.document);
    },
    60_000,
  );

  it('keeps null and absent apart, and reads what a person types: yes/no, numbers as text, dates, plain text with a translation', async () => {
    const document = {
      ...tieredEdition(),
      checkInMonths: null,
      openForNewCasesUntil: null,
      retiredOn: '2031-01-01',
    };
    // (JSON-copied: the builder's structuredClone makes objects of another realm under Jest)
    expect(await roundTrip(document)).toStrictEqual(JSON.parse(JSON.stringify(document)));

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await writeEditionWorkbook(tieredEdition() as EditionDocumentV2)) as never);
    const levels = sheet(workbook, EDITION_SHEETS.levels);
    levels.getRow(rowOf(levels, 'indicator')).getCell(columnOf(levels, 'rated')).value = 'yes';
    // LibreOffice Calc saves booleans as the formulas TRUE() and FALSE().
    cell(workbook, EDITION_SHEETS.scale, 'met', 'compliant').value = {
      formula: 'TRUE()',
      result: true,
    };
    cell(workbook, EDITION_SHEETS.scale, 'met', 'notApplicable').value = {
      formula: 'FALSE()',
      result: false,
    };
    cell(workbook, EDITION_SHEETS.scale, 'not_met', 'score').value = { formula: '1-1', result: 0 };
    cell(workbook, EDITION_SHEETS.edition, 'validityMonths', 'value').value = '48';
    // A date typed into a cell formatted as a date (as a spreadsheet application does).
    const effective = cell(workbook, EDITION_SHEETS.edition, 'effectiveFrom', 'value');
    effective.value = new Date('2027-03-01T00:00:00Z');
    effective.style = { ...effective.style, numFmt: 'yyyy-mm-dd' }; // its own style: exceljs shares them
    const refused = await editionFromWorkbook(Buffer.from(await workbook.xlsx.writeBuffer()), normalize);
    expect(refused).toMatchObject({
      ok: false,
      problems: [
        {
          ...at(workbook, EDITION_SHEETS.scale, 'not_met', 'score'),
          message: expect.stringMatching(/formula/),
        },
      ],
    });
    cell(workbook, EDITION_SHEETS.scale, 'not_met', 'score').value = 0;
    const result = await editionFromWorkbook(Buffer.from(await workbook.xlsx.writeBuffer()), normalize);
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.document).toMatchObject({ validityMonths: 48, effectiveFrom: '2027-03-01' });
    expect(result.document.levels[2].rated).toBe(true);
    expect(result.document.scale.ratings[0]).toMatchObject({ compliant: true, notApplicable: false });

    // A plain (English) column with a French one beside it is one text in both languages.
    const plain = anEditionV2().build();
    plain.languages = ['en', 'fr'];
    const edited = new ExcelJS.Workbook();
    await edited.xlsx.load((await writeEditionWorkbook(plain as EditionDocumentV2)) as never);
    const items = sheet(edited, EDITION_SHEETS.items);
    expect(columnOf(items, 'title')).toBeGreaterThan(0);
    items.getRow(rowOf(items, '1')).getCell(columnOf(items, 'title.fr')).value = 'Norme 1';
    const merged = await editionFromWorkbook(Buffer.from(await edited.xlsx.writeBuffer()), normalize);
    if (!merged.ok) throw new Error(JSON.stringify(merged));
    expect(merged.document.items[0].title).toEqual({ en: plain.items[0].title, fr: 'Norme 1' });
  });

  it('says the file is unreadable when it is not a workbook', async () => {
    expect(await editionFromWorkbook(Buffer.from('not a zip'), normalize)).toEqual({
      ok: false,
      unreadable: true,
    });
  });

  describe('names the sheet, row and column of every problem', () => {
    it('a missing sheet', async () => {
      const problems = await problemsAfter((workbook) =>
        workbook.removeWorksheet(sheet(workbook, EDITION_SHEETS.drivers).id),
      );
      expect(problems).toEqual([
        { sheet: 'Drivers', row: null, column: null, message: 'the sheet Drivers is missing' },
      ]);
    });

    it('an unknown column, a repeated column and a missing required column', async () => {
      const problems = await problemsAfter((workbook) => {
        const items = sheet(workbook, EDITION_SHEETS.items);
        items.getRow(1).getCell(columnOf(items, 'tag')).value = 'colour';
        items.getRow(1).getCell(columnOf(items, 'parent')).value = 'code';
      });
      expect(problems).toEqual([
        expect.objectContaining({
          sheet: 'Items',
          row: 1,
          column: 'B',
          message: 'the column code is repeated',
        }),
        expect.objectContaining({
          sheet: 'Items',
          row: 1,
          column: 'D',
          message: 'colour is not a known column',
        }),
      ]);
      const missing = await problemsAfter((workbook) => {
        const scale = sheet(workbook, EDITION_SHEETS.scale);
        scale.getRow(1).getCell(columnOf(scale, 'compliant')).value = null;
      });
      // (and the values left under no header)
      expect(missing).toEqual([
        expect.objectContaining({
          sheet: 'Scale',
          row: 1,
          column: null,
          message: 'the column compliant is missing',
        }),
        ...[2, 3, 4, 5].map((row) => ({
          sheet: 'Scale',
          row,
          column: 'F',
          message: 'a value in a column without a header',
        })),
      ]);
    });

    it('a formula, JSON that does not parse, a list that is not a JSON array', async () => {
      let expected: Json[] = [];
      const problems = await problemsAfter((workbook) => {
        cell(workbook, EDITION_SHEETS.items, '1A.1', 'statement.en').value = { formula: 'A1&"x"' };
        cell(workbook, EDITION_SHEETS.items, '1A.2', 'appliesWhen').value = '{"anyOf": [offersCredit]}';
        cell(workbook, EDITION_SHEETS.edition, 'languages', 'value').value = '[en, fr';
        expected = [
          {
            ...at(workbook, EDITION_SHEETS.edition, 'languages', 'value'),
            header: 'value',
            field: 'languages',
            message: expect.stringMatching(/^languages is not a JSON array/),
          },
          {
            ...at(workbook, EDITION_SHEETS.items, '1A.1', 'statement.en'),
            header: 'statement.en',
            field: 'items[0].children[0].children[0].statement.en',
            message: 'statement.en holds a formula or an error value; type the value itself',
          },
          {
            ...at(workbook, EDITION_SHEETS.items, '1A.2', 'appliesWhen'),
            header: 'appliesWhen',
            field: 'items[0].children[0].children[1].appliesWhen',
            message: expect.stringMatching(/^appliesWhen is not valid JSON/),
          },
        ];
      });
      expect(problems).toEqual(expected);
    });

    it('an unknown, a repeated and a nameless field of the Edition sheet', async () => {
      const rows: number[] = [];
      const problems = await problemsAfter((workbook) => {
        const edition = sheet(workbook, EDITION_SHEETS.edition);
        rows.push(
          rowOf(edition, 'retiredOn'),
          rowOf(edition, 'checkInGraceDays'),
          rowOf(edition, 'decisionRule'),
        );
        edition.getRow(rows[0]).getCell(1).value = 'retired';
        edition.getRow(rows[1]).getCell(1).value = 'validityMonths';
        edition.getRow(rows[2]).getCell(1).value = null;
      });
      expect(problems.map(({ sheet, row, column, message }) => ({ sheet, row, column, message }))).toEqual([
        { sheet: 'Edition', row: rows[0], column: 'A', message: 'retired is not a field of the edition' },
        { sheet: 'Edition', row: rows[1], column: 'A', message: 'the field validityMonths is repeated' },
        { sheet: 'Edition', row: rows[2], column: 'A', message: 'a value without a field name' },
      ]);
    });

    it('a parent that is not an earlier row (its rows below left out with it), and a text given both plain and in English', async () => {
      let expected: Json[] = [];
      const document = anEditionV2().build();
      document.items[1].title = { en: 'Two', fr: 'Deux' };
      const problems = await problemsAfter((workbook) => {
        cell(workbook, EDITION_SHEETS.items, '1B', 'parent').value = '9.9';
        cell(workbook, EDITION_SHEETS.items, '1', 'title.en').value = 'One again';
        expected = [
          {
            ...at(workbook, EDITION_SHEETS.items, '1', 'title'),
            header: 'title',
            field: 'items[0].title',
            message: 'title and title.en are both filled; keep one (title is the English text)',
          },
          {
            ...at(workbook, EDITION_SHEETS.items, '1B', 'parent'),
            header: 'parent',
            message: 'parent 9.9 is not the code of an earlier row',
          },
        ];
      }, document);
      expect(problems).toEqual(expected);
    });

    it("the validator's problems, each mapped back to its cell", async () => {
      let expected: Json[] = [];
      const problems = await problemsAfter((workbook) => {
        cell(workbook, EDITION_SHEETS.items, '1A.2', 'code').value = '1A.1';
        cell(workbook, EDITION_SHEETS.items, '2A.1', 'tag').value = 'platinum';
        cell(workbook, EDITION_SHEETS.items, '2A.2', 'appliesWhen').value =
          '{"anyOf":[{"field":"staff","op":"gt","value":3}]}';
        cell(workbook, EDITION_SHEETS.levels, 'indicator', 'label.en').value = null;
        cell(workbook, EDITION_SHEETS.edition, 'checkInMonths', 'value').value = 40;
        cell(workbook, EDITION_SHEETS.rule, 'silver', 'minShare.advanced').value = 1.5;
        expected = [
          expect.objectContaining({
            ...at(workbook, EDITION_SHEETS.levels, 'indicator', 'label.en'),
            field: 'levels[2].label',
          }),
          expect.objectContaining({
            ...at(workbook, EDITION_SHEETS.rule, 'silver', 'minShare.advanced'),
            field: 'decisionRule.tiers[1].minShare.advanced',
          }),
          expect.objectContaining({
            ...at(workbook, EDITION_SHEETS.items, '2A.1', 'tag'),
            field: 'items[1].children[0].children[0].tag',
          }),
        ];
      });
      expect(problems).toEqual(expect.arrayContaining(expected));
      // A field without its row: the problem points where the row would go, after the last one.
      let end = 0;
      const noId = await problemsAfter((workbook) => {
        const edition = sheet(workbook, EDITION_SHEETS.edition);
        edition.spliceRows(rowOf(edition, 'id'), 1);
        end = edition.rowCount + 1;
      });
      expect(noId).toEqual([
        { sheet: 'Edition', row: end, column: 'A', header: 'field', field: 'id', message: 'is required' },
      ]);
      // The schema's problems come first; once they are fixed, the semantic ones.
      const items = { sheet: 'Items', column: 'A' };
      const withId = await problemsAfter((workbook) => {
        cell(workbook, EDITION_SHEETS.items, '1A.2', 'code').value = '1A.1';
        cell(workbook, EDITION_SHEETS.items, '2A.2', 'appliesWhen').value =
          '{"anyOf":[{"field":"staff","op":"gt","value":3}]}';
        cell(workbook, EDITION_SHEETS.edition, 'checkInMonths', 'value').value = 40;
        cell(workbook, EDITION_SHEETS.drivers, 'legalForm', 'values').value = null;
        cell(workbook, EDITION_SHEETS.rule, 'silver', 'requiredIndicatorLevels').value = null;
        expected = [
          { ...at(workbook, EDITION_SHEETS.drivers, 'legalForm', 'values'), field: 'drivers[1].values' },
          { ...at(workbook, EDITION_SHEETS.edition, 'checkInMonths', 'value'), field: 'checkInMonths' },
          {
            ...items,
            row: at(workbook, EDITION_SHEETS.items, '1A.1', 'code').row + 1,
            field: 'items[0].children[0].children[1].code',
          },
          {
            ...at(workbook, EDITION_SHEETS.items, '2A.2', 'appliesWhen'),
            field: 'items[1].children[0].children[1].appliesWhen.anyOf[0].field',
          },
          {
            ...at(workbook, EDITION_SHEETS.rule, 'silver', 'requiredIndicatorLevels'),
            field: 'decisionRule.tiers[1].requiredIndicatorLevels',
          },
        ];
      });
      expect(withId.map(({ sheet, row, column, field }) => ({ sheet, row, column, field }))).toEqual(
        expected,
      );
    });

    it('a value under no header, text PostgreSQL cannot store, nesting too deep', async () => {
      let expected: Json[] = [];
      const problems = await problemsAfter((workbook) => {
        const items = sheet(workbook, EDITION_SHEETS.items);
        const row = rowOf(items, '1A.1');
        const stray = items.columnCount + 2;
        items.getRow(row).getCell(stray).value = 'stray';
        cell(workbook, EDITION_SHEETS.items, '1A.2', 'appliesWhen').value =
          '{"anyOf":[{"field":"legalForm","op":"eq","value":"bank\\u0000"}]}';
        let deep: Json = { field: 'offersCredit', op: 'eq', value: true };
        for (let level = 0; level < 20; level++) deep = { allOf: [deep] };
        cell(workbook, EDITION_SHEETS.items, '1A.3', 'appliesWhen').value = JSON.stringify(deep);
        expected = [
          {
            sheet: 'Items',
            row,
            column: columnLetter(stray),
            message: 'a value in a column without a header',
          },
          expect.objectContaining({
            ...at(workbook, EDITION_SHEETS.items, '1A.3', 'appliesWhen'),
            message: 'is nested deeper than 32 levels',
          }),
          expect.objectContaining({
            ...at(workbook, EDITION_SHEETS.items, '1A.2', 'appliesWhen'),
            field: 'items[0].children[0].children[1].appliesWhen.anyOf[0].value',
            message: 'must not contain NUL or unpaired surrogate characters',
          }),
        ];
      });
      expect(problems).toEqual(expected);
    });

    it('a tiered rule without tiers, and tiers under a pass/fail rule', async () => {
      const problems = await problemsAfter((workbook) => {
        const rule = sheet(workbook, EDITION_SHEETS.rule);
        for (let row = 2; row <= rule.rowCount; row++) {
          rule.getRow(row).eachCell((entry) => (entry.value = null));
        }
      });
      expect(problems).toEqual([
        expect.objectContaining({ sheet: 'Decision rule', row: 2, column: 'A', field: 'decisionRule.tiers' }),
      ]);
      const passFail = await problemsAfter((workbook) => {
        cell(workbook, EDITION_SHEETS.edition, 'decisionRule', 'value').value =
          'all_applicable_standards_met';
      });
      expect(passFail).toEqual([
        expect.objectContaining({
          sheet: 'Decision rule',
          row: 2,
          column: 'A',
          field: 'decisionRule.tiers',
          message: 'is only allowed on a tiered rule',
        }),
      ]);
    });
  });
});
