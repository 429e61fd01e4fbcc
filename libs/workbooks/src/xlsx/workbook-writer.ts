import ExcelJS from 'exceljs';
import { WORKBOOK_TEXTS } from '../workbook-texts';
import { columnLetter, layoutOf, valuesDigest, type WorkbookModel } from './workbook-model';

/** The machine keys of the cover sheet, in its hidden third column. */
export const COVER_KEYS = {
  caseId: 'case_id',
  editionId: 'edition_id',
  kind: 'kind',
  language: 'language',
  fingerprint: 'fingerprint',
} as const;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
const PRINCIPLE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const STANDARD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDF1F9' } };
const EDITABLE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFDE7' } };

// Structure is protected without a password: only the rating, justification and evidence cells are unlocked.
const PROTECTION: Partial<ExcelJS.WorksheetProtection> = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
  autoFilter: true,
};

/** Writes the workbook as .xlsx bytes. */
export async function writeWorkbook(model: WorkbookModel): Promise<Buffer> {
  const texts = WORKBOOK_TEXTS[model.language];
  const layout = layoutOf(model.kind);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'cp-certification';
  workbook.created = new Date(model.cover.exportedAt);

  // Cover: what the workbook is, for whom, and the fingerprint the import checks.
  const cover = workbook.addWorksheet(texts.sheets.cover);
  cover.columns = [{ width: 28 }, { width: 90 }, { width: 14, hidden: true }];
  const title = cover.addRow([texts.cover.title[model.kind]]);
  title.font = { bold: true, size: 16 };
  const facts: [string, string, string | null][] = [
    [texts.cover.caseId, model.caseId, COVER_KEYS.caseId],
    [texts.cover.caseType, model.cover.caseType, null],
    [texts.cover.status, model.cover.status, null],
    [texts.cover.institution, model.cover.institution, null],
    [texts.cover.certifier, model.cover.certifier, null],
    [texts.cover.edition, model.cover.edition, null],
    [texts.cover.edition, model.editionId, COVER_KEYS.editionId],
    [texts.cover.team, model.cover.team.join(', '), null],
    [texts.cover.exportedAt, model.cover.exportedAt, null],
    [texts.cover.exportedBy, model.cover.exportedBy, null],
    [texts.cover.language, model.language, COVER_KEYS.language],
    [texts.cover.title[model.kind], model.kind, COVER_KEYS.kind],
    [texts.cover.fingerprint, model.fingerprint, COVER_KEYS.fingerprint],
  ];
  for (const [label, value, key] of facts) {
    const row = cover.addRow([label, value, key]);
    row.getCell(1).font = { bold: true };
  }
  cover.addRow([]);
  cover.addRow([texts.cover.scale]).getCell(1).font = { bold: true };
  for (const rating of model.scale) {
    cover.addRow([
      rating.value,
      rating.requiresJustification ? `${rating.label} (${texts.cover.requiresJustification})` : rating.label,
    ]);
  }
  cover.addRow([]);
  const instructions = cover.addRow(['', texts.cover.instructions[model.kind]]);
  instructions.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  instructions.height = 75;
  await cover.protect('', PROTECTION);

  // The rating sheet: one row per principle, standard and indicator, outlined by level.
  const sheet = workbook.addWorksheet(
    model.kind === 'ratings' ? texts.sheets.ratings : texts.sheets.selfAssessment,
    {
      properties: { outlineProperties: { summaryBelow: false, summaryRight: false } },
      views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }],
    },
  );
  const widths = new Map<number, number>([
    [layout.code, 9],
    [layout.level, 12],
    [layout.text, 60],
    [layout.guidance, 40],
    [layout.applicable, 11],
    [layout.rating, 16],
    [layout.note, 50],
    [layout.version, 9],
    [layout.exported, 18],
  ]);
  if (layout.evidence) widths.set(layout.evidence, 40);
  sheet.columns = Array.from({ length: layout.columnCount }, (_, index) => ({
    width: widths.get(index + 1) ?? 12,
    hidden: index + 1 === layout.version || index + 1 === layout.exported,
  }));
  const header: string[] = [];
  header[layout.code - 1] = texts.columns.code;
  header[layout.level - 1] = texts.columns.level;
  header[layout.text - 1] = texts.columns.text;
  header[layout.guidance - 1] = texts.columns.guidance;
  header[layout.applicable - 1] = texts.columns.applicable;
  header[layout.rating - 1] = texts.columns.rating;
  header[layout.note - 1] = model.kind === 'ratings' ? texts.columns.justification : texts.columns.comment;
  if (layout.evidence) header[layout.evidence - 1] = texts.columns.evidence;
  header[layout.version - 1] = texts.columns.version;
  header[layout.exported - 1] = texts.columns.exported;
  const headerRow = sheet.addRow(header);
  headerRow.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  headerRow.fill = HEADER_FILL;
  headerRow.alignment = { vertical: 'middle', wrapText: true };

  const scaleList = `"${model.scale.map((rating) => rating.value).join(',')}"`;
  for (const line of model.lines) {
    const values: (string | number | null)[] = new Array<string | number | null>(layout.columnCount).fill(
      null,
    );
    values[layout.code - 1] = line.code;
    values[layout.level - 1] = texts.levels[line.kind];
    values[layout.text - 1] = line.text;
    values[layout.guidance - 1] = line.guidance;
    if (line.kind === 'indicator') {
      values[layout.applicable - 1] = line.applicable ? texts.yes : texts.no;
      values[layout.rating - 1] = line.rating;
      values[layout.note - 1] = line.note;
      if (layout.evidence) values[layout.evidence - 1] = line.evidenceIds.join(', ') || null;
      values[layout.version - 1] = line.version;
      values[layout.exported - 1] = valuesDigest(line.rating, line.note, line.evidenceIds);
    }
    const row = sheet.addRow(values);
    // exceljs marks every row at the sheet's deepest outline level `collapsed`, which Calc shows as
    // folded groups: the workbook opens with every level expanded.
    Object.defineProperty(row, 'collapsed', { get: () => false });
    row.getCell(layout.code).numFmt = '@';
    row.alignment = { vertical: 'top', wrapText: true };
    if (line.kind === 'principle') {
      row.outlineLevel = 0;
      row.font = { bold: true, size: 12 };
      row.fill = PRINCIPLE_FILL;
    } else if (line.kind === 'standard') {
      row.outlineLevel = 1;
      row.font = { bold: true };
      row.fill = STANDARD_FILL;
    } else {
      row.outlineLevel = 2;
      const editable = [layout.rating, layout.note, ...(layout.evidence ? [layout.evidence] : [])];
      for (const column of editable) {
        const cell = row.getCell(column);
        cell.protection = { locked: false };
        cell.fill = EDITABLE_FILL;
        cell.numFmt = '@';
      }
      row.getCell(layout.rating).dataValidation = {
        type: 'list',
        allowBlank: true,
        showErrorMessage: true,
        errorStyle: 'stop',
        formulae: [scaleList],
      };
    }
  }
  const lastRow = model.lines.length + 1;
  const nonCompliant = model.scale.filter((rating) => !rating.compliant).map((rating) => rating.value);
  if (nonCompliant.length > 0 && lastRow > 1) {
    const ratingRef = `$${columnLetter(layout.rating)}2`;
    const noteRef = `$${columnLetter(layout.note)}2`;
    sheet.addConditionalFormatting({
      ref: `${columnLetter(layout.rating)}2:${columnLetter(layout.note)}${lastRow}`,
      rules: [
        {
          type: 'expression',
          priority: 1,
          formulae: [
            `AND(OR(${nonCompliant.map((value) => `${ratingRef}="${value}"`).join(',')}),LEN(TRIM(${noteRef}))=0)`,
          ],
          style: {
            fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFFFC7CE' } },
            font: { color: { argb: 'FF9C0006' } },
          },
        },
      ],
    });
  }
  await sheet.protect('', PROTECTION);

  if (model.evidence) {
    const evidence = workbook.addWorksheet(texts.sheets.evidence, {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    evidence.columns = [{ width: 38 }, { width: 40 }, { width: 32 }, { width: 30 }];
    const head = evidence.addRow([
      texts.evidenceColumns.id,
      texts.evidenceColumns.title,
      texts.evidenceColumns.fileName,
      texts.evidenceColumns.indicators,
    ]);
    head.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    head.fill = HEADER_FILL;
    for (const item of model.evidence) {
      evidence.addRow([item.id, item.title, item.fileName, item.indicatorCodes.join(', ')]);
    }
    await evidence.protect('', PROTECTION);
  }
  workbook.views = [
    { x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 1, visibility: 'visible' },
  ];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
