import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import type { ApiClient, Session } from './api-client';

const run = promisify(execFile);

/** Downloads a workbook route's bytes. */
export async function downloadWorkbook(client: ApiClient, path: string, session: Session): Promise<Buffer> {
  const response = await client
    .get(path, session)
    .buffer(true)
    .parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
  if (response.status !== 200) {
    throw new Error(`export ${path}: ${response.status} ${Buffer.from(response.body as Buffer).toString()}`);
  }
  return response.body as Buffer;
}

export function uploadWorkbook(
  client: ApiClient,
  path: string,
  session: Session,
  file: Buffer,
  query: { mode?: string; dryRun?: boolean } = {},
) {
  const search = new URLSearchParams();
  if (query.mode) search.set('mode', query.mode);
  if (query.dryRun !== undefined) search.set('dryRun', String(query.dryRun));
  const suffix = search.toString() ? `?${search.toString()}` : '';
  return client.post(`${path}${suffix}`, session).attach('file', file, 'workbook.xlsx');
}

export interface RowEdit {
  rating?: unknown;
  note?: unknown;
  evidence?: unknown;
}

/** Fills cells of the rating sheet (its second worksheet) by indicator code, as a rater would in Excel. */
export async function fillWorkbook(
  bytes: Buffer,
  edits: Record<string, RowEdit>,
  columns: { rating: number; note: number; evidence?: number } = { rating: 6, note: 7, evidence: 8 },
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as never);
  const sheet = workbook.worksheets[1];
  sheet.eachRow((row) => {
    const code = row.getCell(1).text;
    const edit = edits[code];
    if (!edit) return;
    if (edit.rating !== undefined) row.getCell(columns.rating).value = edit.rating as ExcelJS.CellValue;
    if (edit.note !== undefined) row.getCell(columns.note).value = edit.note as ExcelJS.CellValue;
    if (edit.evidence !== undefined && columns.evidence)
      row.getCell(columns.evidence).value = edit.evidence as ExcelJS.CellValue;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Applies `change` to the loaded workbook and writes it back. */
export async function reworkWorkbook(
  bytes: Buffer,
  change: (workbook: ExcelJS.Workbook) => void | Promise<void>,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as never);
  await change(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// --- LibreOffice Calc -----------------------------------------------------------------------------

const SOFFICE = ['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice'].find((path) => existsSync(path));
const PYTHON_WITH_UNO = '/usr/bin/python3';

/** Why Calc cannot run here, or null when it can. */
export async function calcUnavailable(): Promise<string | null> {
  if (!SOFFICE)
    return 'soffice is not installed (apt-get install libreoffice-calc-nogui; npm run test:deps does it)';
  try {
    await run(PYTHON_WITH_UNO, ['-c', 'import uno']);
  } catch {
    return 'python3-uno is not installed (apt-get install python3-uno; npm run test:deps does it)';
  }
  return null;
}

function profileDir(): string {
  return mkdtempSync(join(tmpdir(), 'calc-profile-'));
}

/** What Calc sees in one sheet (1-based), through its own CSV export. */
export async function calcSheetAsCsv(bytes: Buffer, sheet: number): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'calc-csv-'));
  const profile = profileDir();
  try {
    writeFileSync(join(work, 'workbook.xlsx'), bytes);
    // Filter options: comma, double quote, UTF-8, from line 1, …, token 12 = the sheet to export.
    await run(
      SOFFICE!,
      [
        `-env:UserInstallation=file://${profile}`,
        '--headless',
        '--convert-to',
        `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,${sheet}`,
        '--outdir',
        work,
        join(work, 'workbook.xlsx'),
      ],
      { timeout: 120_000 },
    );
    const csv = readdirSync(work).find((name) => name.endsWith('.csv'));
    if (!csv) throw new Error('Calc produced no CSV');
    return readFileSync(join(work, csv), 'utf8');
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

export interface CalcEdit {
  sheet: number;
  cell: string;
  value: string;
}

/**
 * Opens the workbook in Calc (headless, through its UNO API), types the values into the cells as a
 * user would, and lets Calc save it as .xlsx with its own writer.
 */
export async function calcEditAndSave(bytes: Buffer, edits: CalcEdit[]): Promise<Buffer> {
  const work = mkdtempSync(join(tmpdir(), 'calc-edit-'));
  const profile = profileDir();
  try {
    writeFileSync(join(work, 'in.xlsx'), bytes);
    await run(
      PYTHON_WITH_UNO,
      [
        join(__dirname, 'calc-edit.py'),
        join(work, 'in.xlsx'),
        join(work, 'out.xlsx'),
        JSON.stringify(edits),
        profile,
      ],
      { timeout: 180_000 },
    );
    return readFileSync(join(work, 'out.xlsx'));
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}
