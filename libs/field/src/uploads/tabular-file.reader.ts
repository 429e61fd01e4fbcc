import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { DomainError } from '@app/common';
import {
  inspectWorkbookZip,
  WORKBOOK_LIMITS,
  type WorkbookLimits,
  WorkbookTooLargeError,
  WorkbookUnreadableError,
} from '@app/workbooks';
import ExcelJS from 'exceljs';
import { ImportFileUnreadableError } from '../field.errors';
import { ImportFileTooManyRowsError } from './tabular-file.errors';
import { IMPORT_MAX_BYTES, type UploadedFile } from './uploaded-file.reader';

/** One data row of an import: its line in the file (1 is the header) and its cells by header name. */
export interface TabularRow {
  line: number;
  cells: Record<string, string>;
}

const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const CSV_CHUNK_BYTES = 64 * 1024;
export const MAX_IMPORT_ROWS = 20_000;

/**
 * The workbook checks of the offline workbooks, with an import's limits: its upload size, a header and
 * `MAX_IMPORT_ROWS` rows over the sheets, and at most 64 MiB of XML for ExcelJS to load.
 */
export const IMPORT_WORKBOOK_LIMITS: WorkbookLimits = {
  ...WORKBOOK_LIMITS,
  maxFileBytes: IMPORT_MAX_BYTES,
  maxUncompressedBytes: 64 * 1024 * 1024,
  maxRows: MAX_IMPORT_ROWS + 1,
};

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
 * The first sheet of an .xlsx, checked before ExcelJS loads it: `inspectWorkbookZip` reads the zip as a
 * stream, refusing a zip bomb (declared or inflated size, expansion ratio) and counting `<row>` elements,
 * so a workbook over the row limit is refused (413) without being loaded.
 */
async function readWorkbookSheet(content: Buffer): Promise<ExcelJS.Worksheet | undefined> {
  try {
    await inspectWorkbookZip(content, IMPORT_WORKBOOK_LIMITS);
  } catch (error) {
    if (error instanceof WorkbookTooLargeError) throw error;
    throw new ImportFileUnreadableError(
      error instanceof WorkbookUnreadableError ? String(error.details[0]?.message) : (error as Error).message,
    );
  }
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(content as unknown as ArrayBuffer);
  return workbook.worksheets[0];
}

/**
 * The CSV as a sheet, parsed as a stream in small chunks and stopped one record past the limit, so an
 * over-long file costs no more than a full one (its records are counted by the same parser that reads
 * them, quoted line breaks and all).
 */
async function readCsvSheet(content: Buffer): Promise<ExcelJS.Worksheet> {
  if (!isUtf8(content) || content.includes(0)) throw new Error('not UTF-8 text');
  const text = content.subarray(0, 3).equals(UTF8_BOM) ? content.subarray(3) : content;
  function* chunks(): Generator<Buffer> {
    for (let start = 0; start < text.length; start += CSV_CHUNK_BYTES)
      yield text.subarray(start, start + CSV_CHUNK_BYTES);
  }
  // Cells stay text: no number or date guessing.
  return new ExcelJS.Workbook().csv.read(Readable.from(chunks(), { objectMode: false }), {
    map: (value: unknown) => value,
    parserOptions: { maxRows: MAX_IMPORT_ROWS + 2 },
  });
}

/**
 * The rows of an uploaded CSV (UTF-8, comma-separated, header row first) or .xlsx workbook (its first
 * sheet, header row first), with header keys from `headerKey`. Blank rows are skipped. A file of more
 * than `MAX_IMPORT_ROWS` rows after the header is refused (413) before it is read whole.
 */
export async function readTabularFile(file: UploadedFile): Promise<TabularRow[]> {
  let sheet: ExcelJS.Worksheet | undefined;
  const isWorkbook = file.content.subarray(0, 4).equals(ZIP_SIGNATURE);
  try {
    sheet = isWorkbook ? await readWorkbookSheet(file.content) : await readCsvSheet(file.content);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new ImportFileUnreadableError((error as Error).message);
  }
  if (!sheet) throw new ImportFileUnreadableError('the workbook has no sheet');
  if (sheet.rowCount > MAX_IMPORT_ROWS + 1) throw new ImportFileTooManyRowsError(MAX_IMPORT_ROWS);
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
