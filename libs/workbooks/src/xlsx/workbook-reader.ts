import ExcelJS from 'exceljs';
import { sheetNames, type WorkbookKind } from '../workbook-texts';
import { WorkbookNotForCaseError, WorkbookUnreadableError } from '../workbooks.errors';
import { columnLetter, layoutOf } from './workbook-model';
import { COVER_KEYS } from './workbook-writer';

/** A cell as the import reads it: its value as text, or the fact that it holds a formula or an error. */
export interface CellRead {
  text: string | null;
  /** A formula (never evaluated) or an error value: the cell is invalid. */
  isFormula: boolean;
}

export interface CellRef {
  sheet: string;
  row: number;
  column: string;
}

export interface ReadRow {
  row: number;
  code: string | null;
  /** The exported "Applicable" cell (Yes/No in the workbook's language), as read. */
  applicable: CellRead;
  rating: CellRead;
  note: CellRead;
  evidence: CellRead | null;
  version: CellRead;
  exported: CellRead;
  cells: { rating: CellRef; note: CellRef; evidence: CellRef | null; version: CellRef };
}

export interface ReadWorkbook {
  cover: Partial<Record<keyof typeof COVER_KEYS, string>>;
  sheetName: string;
  rows: ReadRow[];
}

/** Cell values only: a formula is reported, never evaluated (its cached result is ignored too). */
export function readCell(cell: ExcelJS.Cell): CellRead {
  const value = cell.value as unknown;
  if (value === null || value === undefined) return { text: null, isFormula: false };
  if (typeof value === 'string') return { text: value, isFormula: false };
  if (typeof value === 'number' || typeof value === 'boolean')
    return { text: String(value), isFormula: false };
  if (value instanceof Date) return { text: value.toISOString(), isFormula: false };
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('formula' in object || 'sharedFormula' in object || 'error' in object)
      return { text: null, isFormula: true };
    if (Array.isArray(object.richText)) {
      return {
        text: (object.richText as { text?: string }[]).map((run) => run.text ?? '').join(''),
        isFormula: false,
      };
    }
    if (typeof object.text === 'string') return { text: object.text, isFormula: false };
  }
  // Anything else (an unknown rich value) is not a plain value either: the row is invalid.
  return { text: null, isFormula: true };
}

function findSheet(workbook: ExcelJS.Workbook, names: string[]): ExcelJS.Worksheet | undefined {
  const wanted = names.map((name) => name.toLowerCase());
  return workbook.worksheets.find((sheet) => wanted.includes(sheet.name.trim().toLowerCase()));
}

/** Parses the checked bytes with exceljs, reading the cover's keys and the rating sheet's rows. */
export async function readWorkbook(buffer: Buffer, kind: WorkbookKind): Promise<ReadWorkbook> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch (error) {
    throw new WorkbookUnreadableError(`the spreadsheet cannot be read (${(error as Error).message})`);
  }
  const coverSheet = findSheet(workbook, sheetNames('cover'));
  if (!coverSheet) throw new WorkbookNotForCaseError('it has no cover sheet with a case fingerprint');
  const keys = new Map<string, keyof typeof COVER_KEYS>(
    Object.entries(COVER_KEYS).map(([name, key]) => [key, name as keyof typeof COVER_KEYS]),
  );
  const cover: ReadWorkbook['cover'] = {};
  coverSheet.eachRow((row) => {
    const key = readCell(row.getCell(3)).text?.trim();
    const name = key ? keys.get(key) : undefined;
    if (name) cover[name] = readCell(row.getCell(2)).text?.trim() ?? '';
  });

  const sheet = findSheet(workbook, sheetNames(kind === 'ratings' ? 'ratings' : 'selfAssessment'));
  if (!sheet) {
    throw new WorkbookNotForCaseError(
      kind === 'ratings' ? 'it has no Ratings sheet' : 'it has no Self-assessment sheet',
    );
  }
  const layout = layoutOf(kind);
  const ref = (row: number, column: number): CellRef => ({
    sheet: sheet.name,
    row,
    column: columnLetter(column),
  });
  const rows: ReadRow[] = [];
  for (let number = 2; number <= sheet.rowCount; number++) {
    const row = sheet.getRow(number);
    const code = readCell(row.getCell(layout.code)).text?.trim() || null;
    const read: ReadRow = {
      row: number,
      code,
      applicable: readCell(row.getCell(layout.applicable)),
      rating: readCell(row.getCell(layout.rating)),
      note: readCell(row.getCell(layout.note)),
      evidence: layout.evidence ? readCell(row.getCell(layout.evidence)) : null,
      version: readCell(row.getCell(layout.version)),
      exported: readCell(row.getCell(layout.exported)),
      cells: {
        rating: ref(number, layout.rating),
        note: ref(number, layout.note),
        evidence: layout.evidence ? ref(number, layout.evidence) : null,
        version: ref(number, layout.version),
      },
    };
    rows.push(read);
  }
  // Trailing empty rows (a spreadsheet application may keep formatted blank rows) are not rows.
  while (rows.length > 0) {
    const last = rows[rows.length - 1];
    const empty = [last.rating, last.note, last.evidence, last.version].every(
      (cell) => !cell || (!cell.text && !cell.isFormula),
    );
    if (last.code === null && empty) rows.pop();
    else break;
  }
  return { cover, sheetName: sheet.name, rows };
}
