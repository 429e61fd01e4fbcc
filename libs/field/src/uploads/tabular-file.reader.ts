import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ImportFileUnreadableError } from '../field.errors';
import type { UploadedFile } from './uploaded-file.reader';

/** One data row of an import: its line in the file (1 is the header) and its cells by header name. */
export interface TabularRow {
  line: number;
  cells: Record<string, string>;
}

const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
export const MAX_IMPORT_ROWS = 20_000;

/** A header as a lookup key: `Committed on`, `committed_on` and `committedOn` are the same column. */
export function headerKey(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

/**
 * The rows of an uploaded CSV (UTF-8, comma-separated, header row first) or .xlsx workbook (its first
 * sheet, header row first), with header keys from `headerKey`. Blank rows are skipped.
 */
export async function readTabularFile(file: UploadedFile): Promise<TabularRow[]> {
  const workbook = new ExcelJS.Workbook();
  let sheet: ExcelJS.Worksheet | undefined;
  const isWorkbook = file.content.subarray(0, 4).equals(ZIP_SIGNATURE);
  try {
    if (isWorkbook) {
      await workbook.xlsx.load(file.content as unknown as ArrayBuffer);
      sheet = workbook.worksheets[0];
    } else {
      const text = file.content.toString('utf8');
      if (text.includes('\uFFFD') || text.includes('\u0000')) throw new Error('not UTF-8 text');
      // Cells stay text: no number or date guessing.
      sheet = await workbook.csv.read(Readable.from([text.replace(/^\uFEFF/, '')]), {
        map: (value: unknown) => value,
      });
    }
  } catch (error) {
    throw new ImportFileUnreadableError((error as Error).message);
  }
  if (!sheet) throw new ImportFileUnreadableError('the workbook has no sheet');
  if (sheet.rowCount > MAX_IMPORT_ROWS + 1)
    throw new ImportFileUnreadableError(`more than ${MAX_IMPORT_ROWS} rows`);
  const headers: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, column) => {
    headers[column] = headerKey(cellText(cell.value));
  });
  if (headers.filter(Boolean).length === 0) throw new ImportFileUnreadableError('no header row');
  const rows: TabularRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    if (line === 1) return;
    const cells: Record<string, string> = {};
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      const key = headers[column];
      if (key) cells[key] = cellText(cell.value).trim();
    });
    if (Object.values(cells).some((value) => value !== '')) rows.push({ line, cells });
  });
  return rows;
}
