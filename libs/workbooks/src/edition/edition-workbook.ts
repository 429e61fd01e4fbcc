import type { ErrorDetail } from '@app/common';
import type { EditionDocumentV2, EditionItem, NormalizedEdition, Text } from '@app/standards';
import ExcelJS from 'exceljs';
import { columnLetter } from '../xlsx/workbook-model';

/**
 * An edition document v2 as a workbook, and back (see the README, "Editions as workbooks"). Lossless: the
 * document read from the workbook written for a document is that document. Conventions:
 * - sheets `Edition` (field/value rows), `Levels`, `Drivers`, `Scale`, `Decision rule` (one row per tier)
 *   and `Items` (one row per item in document order, its parent named by code); the first row of every
 *   table is its header, and columns are found by header, in any order;
 * - a text is either one column `<field>` (a plain string, English) or columns `<field>.<lang>`;
 * - an empty cell is an absent field; `none` is null (checkInMonths, openForNewCasesUntil, retiredOn);
 * - lists are comma-separated (or a JSON array when a value holds a comma); `appliesWhen` is JSON.
 */
export const EDITION_SHEETS = {
  edition: 'Edition',
  levels: 'Levels',
  drivers: 'Drivers',
  scale: 'Scale',
  rule: 'Decision rule',
  items: 'Items',
} as const;

const TAGS = ['entry', 'progress', 'advanced'];
const NULL_WORD = 'none';

/** The cell a problem is about; row and column are null when the sheet or the column is missing. */
export interface CellLocation {
  sheet: string;
  row: number | null;
  column: string | null;
  header?: string;
}

export type EditionWorkbookProblem = ErrorDetail & CellLocation;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
const TOP_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };

type Json = Record<string, unknown>;
type CellContent = string | number | boolean | null;

// --- writing ------------------------------------------------------------------------------------

function formatList(values: string[]): string {
  const plain = values.every((value) => value !== '' && !value.includes(',') && value.trim() === value);
  return plain && !(values[0] ?? '').startsWith('[') ? values.join(', ') : JSON.stringify(values);
}

/** The text columns of a field: `<field>` if any text is a plain string, `<field>.<lang>` for the others. */
function textHeaders(field: string, texts: (Text | undefined)[], languages: string[]): string[] {
  const plain = texts.some((text) => typeof text === 'string');
  const objects = texts.filter((text): text is Exclude<Text, string> => typeof text === 'object');
  const langs = new Set<string>(objects.length > 0 || !plain ? ['en'] : []);
  for (const lang of languages) if (lang !== 'en') langs.add(lang);
  for (const text of objects) for (const lang of Object.keys(text)) langs.add(lang);
  return [...(plain ? [field] : []), ...[...langs].map((lang) => `${field}.${lang}`)];
}

function textCells(field: string, text: Text | undefined): Record<string, string> {
  if (text === undefined) return {};
  if (typeof text === 'string') return { [field]: text };
  return Object.fromEntries(Object.entries(text).map(([lang, value]) => [`${field}.${lang}`, value]));
}

interface TableColumn {
  header: string;
  width: number;
  /** Stored as text whatever it looks like (codes, dates, keys). */
  asText?: boolean;
}

function addTable(
  workbook: ExcelJS.Workbook,
  name: string,
  columns: TableColumn[],
  rows: { cells: Record<string, CellContent>; outline?: number; top?: boolean }[],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }],
    properties: { outlineProperties: { summaryBelow: false, summaryRight: false } },
  });
  sheet.columns = columns.map((column) => ({ width: column.width }));
  const header = sheet.addRow(columns.map((column) => column.header));
  header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  header.fill = HEADER_FILL;
  for (const entry of rows) {
    const row = sheet.addRow(columns.map((column) => entry.cells[column.header] ?? null));
    row.alignment = { vertical: 'top', wrapText: true };
    columns.forEach((column, index) => {
      if (column.asText) row.getCell(index + 1).numFmt = '@';
    });
    if (entry.outline) {
      row.outlineLevel = entry.outline;
      // exceljs marks rows at the deepest outline level collapsed; the workbook opens expanded.
      Object.defineProperty(row, 'collapsed', { get: () => false });
    }
    if (entry.top) {
      row.font = { bold: true };
      row.fill = TOP_FILL;
    }
  }
  return sheet;
}

function textColumns(headers: string[], width = 40): TableColumn[] {
  return headers.map((header) => ({ header, width }));
}

/** The .xlsx bytes of an edition document v2. */
export async function writeEditionWorkbook(document: EditionDocumentV2): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'cp-certification';
  const languages = document.languages;

  // Edition: field / value rows.
  const editionRows: { cells: Record<string, CellContent> }[] = [];
  const fieldRow = (field: string, value: CellContent): void => {
    editionRows.push({ cells: { field, value } });
  };
  const textRows = (field: string, text: Text | undefined): void => {
    const cells = Object.entries(textCells(field, text));
    if (cells.length === 0) fieldRow(languages.length > 1 ? `${field}.en` : field, null);
    for (const [header, value] of cells) fieldRow(header, value);
  };
  const nullable = (value: string | number | null | undefined): CellContent =>
    value === null ? NULL_WORD : (value ?? null);
  fieldRow('schemaVersion', document.schemaVersion);
  fieldRow('id', document.id);
  textRows('title', document.title);
  fieldRow('languages', formatList(document.languages));
  textRows('modelled', document.modelled);
  fieldRow('effectiveFrom', document.effectiveFrom);
  fieldRow('openForNewCasesUntil', nullable(document.openForNewCasesUntil));
  fieldRow('retiredOn', nullable(document.retiredOn));
  fieldRow('validityMonths', document.validityMonths);
  fieldRow('checkInMonths', nullable(document.checkInMonths));
  fieldRow('checkInGraceDays', document.checkInGraceDays ?? null);
  fieldRow('decisionRule', document.decisionRule.type);
  addTable(
    workbook,
    EDITION_SHEETS.edition,
    [
      { header: 'field', width: 24 },
      { header: 'value', width: 90, asText: true },
    ],
    editionRows,
  );

  // Levels.
  const levelLabels = textHeaders(
    'label',
    document.levels.map((level) => level.label),
    languages,
  );
  addTable(
    workbook,
    EDITION_SHEETS.levels,
    [
      { header: 'key', width: 22, asText: true },
      ...textColumns(levelLabels, 30),
      { header: 'rated', width: 8 },
    ],
    document.levels.map((level) => ({
      cells: { key: level.key, ...textCells('label', level.label), rated: level.rated ?? null },
    })),
  );

  // Drivers.
  const driverLabels = textHeaders(
    'label',
    document.drivers.map((driver) => driver.label),
    languages,
  );
  addTable(
    workbook,
    EDITION_SHEETS.drivers,
    [
      { header: 'key', width: 22, asText: true },
      { header: 'type', width: 10, asText: true },
      ...textColumns(driverLabels, 30),
      { header: 'values', width: 40, asText: true },
    ],
    document.drivers.map((driver) => {
      const values = (driver as { values?: string[] }).values;
      return {
        cells: {
          key: driver.key,
          type: driver.type,
          ...textCells('label', driver.label),
          values: values ? formatList(values) : null,
        },
      };
    }),
  );

  // Scale.
  const ratingLabels = textHeaders(
    'label',
    document.scale.ratings.map((rating) => rating.label),
    languages,
  );
  addTable(
    workbook,
    EDITION_SHEETS.scale,
    [
      { header: 'value', width: 20, asText: true },
      ...textColumns(ratingLabels, 30),
      { header: 'compliant', width: 11 },
      { header: 'score', width: 8 },
      { header: 'requiresJustification', width: 11 },
      { header: 'notApplicable', width: 11 },
    ],
    document.scale.ratings.map((rating) => ({
      cells: {
        value: rating.value,
        ...textCells('label', rating.label),
        compliant: rating.compliant,
        score: rating.score ?? null,
        requiresJustification: rating.requiresJustification,
        notApplicable: rating.notApplicable,
      },
    })),
  );

  // Decision rule: one row per tier (none for pass/fail).
  const tiers = document.decisionRule.type === 'tiered' ? document.decisionRule.tiers : [];
  const shareTags = [...new Set([...TAGS, ...tiers.flatMap((tier) => Object.keys(tier.minShare ?? {}))])];
  addTable(
    workbook,
    EDITION_SHEETS.rule,
    [
      { header: 'level', width: 14, asText: true },
      ...textColumns(
        textHeaders(
          'label',
          tiers.map((tier) => tier.label),
          languages,
        ),
        20,
      ),
      { header: 'requiredIndicatorLevels', width: 30, asText: true },
      ...shareTags.map((tag) => ({ header: `minShare.${tag}`, width: 12 })),
    ],
    tiers.map((tier) => ({
      cells: {
        level: tier.level,
        ...textCells('label', tier.label),
        requiredIndicatorLevels: tier.requiredIndicatorLevels.length
          ? formatList(tier.requiredIndicatorLevels)
          : null,
        ...Object.fromEntries(
          Object.entries(tier.minShare ?? {}).map(([tag, share]) => [`minShare.${tag}`, share]),
        ),
      },
    })),
  );

  // Items: one row per item, in document order.
  const flat: { item: EditionItem; parent: string | null; depth: number }[] = [];
  const walk = (items: EditionItem[], parent: string | null, depth: number): void => {
    for (const item of items) {
      flat.push({ item, parent, depth });
      if (item.children) walk(item.children, item.code, depth + 1);
    }
  };
  walk(document.items, null, 0);
  const refKeys = [...new Set(flat.flatMap(({ item }) => Object.keys(item.refs ?? {})))];
  const textFields = ['title', 'statement', 'guidance'] as const;
  addTable(
    workbook,
    EDITION_SHEETS.items,
    [
      { header: 'code', width: 12, asText: true },
      { header: 'parent', width: 12, asText: true },
      { header: 'level', width: 18, asText: true },
      { header: 'tag', width: 10, asText: true },
      { header: 'mandatory', width: 11 },
      ...refKeys.map((key) => ({ header: `refs.${key}`, width: 12, asText: true })),
      ...textFields.flatMap((field) =>
        textColumns(
          textHeaders(
            field,
            flat.map(({ item }) => item[field]),
            languages,
          ),
          field === 'title' ? 40 : 60,
        ),
      ),
      { header: 'appliesWhen', width: 40, asText: true },
    ],
    flat.map(({ item, parent, depth }) => ({
      outline: depth,
      top: depth === 0,
      cells: {
        code: item.code,
        parent,
        level: item.level,
        tag: item.tag ?? null,
        mandatory: item.mandatory ?? null,
        ...Object.fromEntries(Object.entries(item.refs ?? {}).map(([key, value]) => [`refs.${key}`, value])),
        ...textCells('title', item.title),
        ...textCells('statement', item.statement),
        ...textCells('guidance', item.guidance),
        appliesWhen: item.appliesWhen ? JSON.stringify(item.appliesWhen) : null,
      },
    })),
  );
  workbook.views = [
    { x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' },
  ];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// --- reading ------------------------------------------------------------------------------------

type Raw = { kind: 'empty' } | { kind: 'value'; value: string | number | boolean } | { kind: 'invalid' };

function rawOf(cell: ExcelJS.Cell): Raw {
  const value = cell.value as unknown;
  if (value === null || value === undefined || value === '') return { kind: 'empty' };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return { kind: 'value', value };
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
    const iso = (value as Date).toISOString();
    return { kind: 'value', value: iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso };
  }
  if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    // LibreOffice Calc saves a boolean as the formula TRUE() or FALSE(): the constant, not a computation.
    if (typeof object.formula === 'string' && /^(TRUE|FALSE)(\(\))?$/i.test(object.formula.trim())) {
      return { kind: 'value', value: object.formula.trim().toUpperCase().startsWith('TRUE') };
    }
    if ('formula' in object || 'sharedFormula' in object || 'error' in object) return { kind: 'invalid' };
    if (Array.isArray(object.richText)) {
      const text = (object.richText as { text?: string }[]).map((run) => run.text ?? '').join('');
      return text === '' ? { kind: 'empty' } : { kind: 'value', value: text };
    }
    if (typeof object.text === 'string') return { kind: 'value', value: object.text };
  }
  return { kind: 'invalid' };
}

type Converter = (raw: string | number | boolean) => { value: unknown } | { problem: string };

const asText: Converter = (raw) => ({ value: String(raw) });
const asKey: Converter = (raw) => ({ value: String(raw).trim() });
const asNumber: Converter = (raw) => {
  if (typeof raw === 'number') return { value: raw };
  const text = String(raw).trim();
  return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? { value: Number(text) } : { value: text };
};
const asBoolean: Converter = (raw) => {
  if (typeof raw === 'boolean') return { value: raw };
  const text = String(raw).trim().toLowerCase();
  if (text === 'true' || text === 'yes') return { value: true };
  if (text === 'false' || text === 'no') return { value: false };
  return { value: String(raw) };
};
const asList: Converter = (raw) => {
  const text = String(raw).trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((entry) => typeof entry === 'string'))
        return { value: parsed };
    } catch {
      // reported below
    }
    return { problem: 'is not a JSON array of strings (a list starting with [ is read as JSON)' };
  }
  return {
    value: text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  };
};
const asJson: Converter = (raw) => {
  try {
    return { value: JSON.parse(String(raw)) as unknown };
  } catch (error) {
    return { problem: `is not valid JSON (${(error as Error).message})` };
  }
};
const orNull =
  (convert: Converter): Converter =>
  (raw) =>
    typeof raw === 'string' && raw.trim().toLowerCase() === NULL_WORD ? { value: null } : convert(raw);

/** Every problem of the workbook's layout and cells, and where each document path came from. */
class Reading {
  readonly problems: EditionWorkbookProblem[] = [];
  private readonly locations = new Map<string, CellLocation>();
  /** Where a problem about a top-level field with no row of its own is reported. */
  editionEnd: CellLocation = { sheet: EDITION_SHEETS.edition, row: null, column: null };

  problem(location: CellLocation, message: string, field?: string): void {
    this.problems.push({ ...(field ? { field } : {}), message, ...location });
  }

  register(path: string, location: CellLocation): void {
    if (!this.locations.has(path)) this.locations.set(path, location);
  }

  /** The cell of the longest registered prefix of a document path. */
  locate(path: string | undefined): CellLocation {
    let current = path ?? '';
    while (current) {
      const found = this.locations.get(current);
      if (found) return found;
      const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
      current = cut > 0 ? current.slice(0, cut) : '';
    }
    return this.editionEnd;
  }
}

interface Table {
  sheet: ExcelJS.Worksheet;
  /** Header name → column number. */
  columns: Map<string, number>;
  /** The data rows (2..), trailing and wholly empty rows left out. */
  rows: number[];
}

function findSheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet | undefined {
  return workbook.worksheets.find((sheet) => sheet.name.trim().toLowerCase() === name.toLowerCase());
}

function cellText(cell: ExcelJS.Cell): string {
  const raw = rawOf(cell);
  return raw.kind === 'value' ? String(raw.value).trim() : '';
}

/**
 * A sheet's table: its headers checked against those allowed (exact names, or `<prefix><suffix>`), the
 * required ones present and none repeated.
 */
function readTable(
  workbook: ExcelJS.Workbook,
  reading: Reading,
  name: string,
  allowed: { exact: string[]; prefixes: string[]; required: string[] },
): Table | null {
  const sheet = findSheet(workbook, name);
  if (!sheet) {
    reading.problem({ sheet: name, row: null, column: null }, `the sheet ${name} is missing`);
    return null;
  }
  const columns = new Map<string, number>();
  const header = sheet.getRow(1);
  for (let column = 1; column <= Math.max(header.cellCount, sheet.columnCount); column++) {
    const text = cellText(header.getCell(column));
    if (!text) continue;
    const location = { sheet: sheet.name, row: 1, column: columnLetter(column), header: text };
    const known =
      allowed.exact.includes(text) ||
      allowed.prefixes.some((prefix) => text.startsWith(prefix) && text.length > prefix.length);
    if (!known) reading.problem(location, `${text} is not a known column`);
    else if (columns.has(text)) reading.problem(location, `the column ${text} is repeated`);
    else columns.set(text, column);
  }
  for (const required of allowed.required) {
    if (!columns.has(required)) {
      reading.problem(
        { sheet: sheet.name, row: 1, column: null, header: required },
        `the column ${required} is missing`,
      );
    }
  }
  const rows: number[] = [];
  const headed = new Set(columns.values());
  for (let number = 2; number <= sheet.rowCount; number++) {
    const row = sheet.getRow(number);
    const empty = [...columns.values()].every((column) => rawOf(row.getCell(column)).kind === 'empty');
    if (!empty) rows.push(number);
    // A value under no header would be lost without a word.
    row.eachCell((entry, column) => {
      if (headed.has(column) || rawOf(entry).kind === 'empty') return;
      if (cellText(header.getCell(column))) return; // an unknown or repeated column, reported above
      reading.problem(
        { sheet: sheet.name, row: number, column: columnLetter(column) },
        'a value in a column without a header',
      );
    });
  }
  return { sheet, columns, rows };
}

/** Reads a row's cells into a document object, registering every cell under its document path. */
class RowReader {
  constructor(
    private readonly reading: Reading,
    private readonly table: Table,
    readonly row: number,
    private readonly path: string,
  ) {
    reading.register(path, this.at(this.table.columns.keys().next().value ?? ''));
  }

  at(header: string): CellLocation {
    const column = this.table.columns.get(header);
    return {
      sheet: this.table.sheet.name,
      row: this.row,
      column: column === undefined ? null : columnLetter(column),
      header,
    };
  }

  /** The converted value of the column, undefined when empty (or missing, or refused). */
  get(header: string, convert: Converter, field = header): unknown {
    const location = this.at(header);
    this.reading.register(`${this.path}.${field}`, location);
    const column = this.table.columns.get(header);
    if (column === undefined) return undefined;
    const raw = rawOf(this.table.sheet.getRow(this.row).getCell(column));
    if (raw.kind === 'empty') return undefined;
    if (raw.kind === 'invalid') {
      this.reading.problem(
        location,
        `${header} holds a formula or an error value; type the value itself`,
        `${this.path}.${field}`,
      );
      return undefined;
    }
    const converted = convert(raw.value);
    if ('problem' in converted) {
      this.reading.problem(location, `${header} ${converted.problem}`, `${this.path}.${field}`);
      return undefined;
    }
    return converted.value;
  }

  /** A text: the plain column `<field>` (with `<field>.<lang>` for other languages), or its languages. */
  text(field: string): Text | undefined {
    const langHeaders = [...this.table.columns.keys()].filter((header) => header.startsWith(`${field}.`));
    const plainLocation = this.table.columns.has(field) ? this.at(field) : undefined;
    this.reading.register(`${this.path}.${field}`, plainLocation ?? this.at(langHeaders[0] ?? field));
    const plain = this.table.columns.has(field) ? (this.get(field, asText) as string | undefined) : undefined;
    const byLang: Record<string, string> = {};
    for (const header of langHeaders) {
      const value = this.get(header, asText) as string | undefined;
      if (value !== undefined) byLang[header.slice(field.length + 1)] = value;
    }
    if (plain === undefined) return Object.keys(byLang).length ? (byLang as Text) : undefined;
    if (Object.keys(byLang).length === 0) return plain;
    if (byLang.en !== undefined) {
      this.reading.problem(
        this.at(field),
        `${field} and ${field}.en are both filled; keep one (${field} is the English text)`,
        `${this.path}.${field}`,
      );
      return undefined;
    }
    return { en: plain, ...byLang };
  }
}

function set(target: Json, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

function readEdition(workbook: ExcelJS.Workbook, reading: Reading, document: Json): void {
  const table = readTable(workbook, reading, EDITION_SHEETS.edition, {
    exact: ['field', 'value'],
    prefixes: [],
    required: ['field', 'value'],
  });
  if (!table) return;
  const fieldColumn = table.columns.get('field');
  const valueColumn = table.columns.get('value');
  if (fieldColumn === undefined || valueColumn === undefined) return;
  const converters: Record<string, Converter> = {
    schemaVersion: asNumber,
    id: asKey,
    languages: asList,
    effectiveFrom: asKey,
    openForNewCasesUntil: orNull(asKey),
    retiredOn: orNull(asKey),
    validityMonths: asNumber,
    checkInMonths: orNull(asNumber),
    checkInGraceDays: asNumber,
    decisionRule: asKey,
  };
  const textFields = ['title', 'modelled'];
  const seen = new Set<string>();
  const texts: Record<string, { plain?: string; langs: Record<string, string>; location: CellLocation }> = {};
  const lastRow = table.rows[table.rows.length - 1] ?? 1;
  reading.editionEnd = {
    sheet: table.sheet.name,
    row: lastRow + 1,
    column: columnLetter(fieldColumn),
    header: 'field',
  };
  for (const number of table.rows) {
    const row = table.sheet.getRow(number);
    const field = cellText(row.getCell(fieldColumn));
    const fieldLocation = {
      sheet: table.sheet.name,
      row: number,
      column: columnLetter(fieldColumn),
      header: 'field',
    };
    const location = {
      sheet: table.sheet.name,
      row: number,
      column: columnLetter(valueColumn),
      header: 'value',
    };
    if (!field) {
      reading.problem(fieldLocation, 'a value without a field name');
      continue;
    }
    if (seen.has(field)) {
      reading.problem(fieldLocation, `the field ${field} is repeated`);
      continue;
    }
    seen.add(field);
    const [base, lang] = field.includes('.')
      ? [field.slice(0, field.indexOf('.')), field.slice(field.indexOf('.') + 1)]
      : [field, undefined];
    const raw = rawOf(row.getCell(valueColumn));
    if (raw.kind === 'invalid') {
      reading.problem(location, `${field} holds a formula or an error value; type the value itself`, field);
      continue;
    }
    const value = raw.kind === 'value' ? raw.value : undefined;
    if (textFields.includes(base) && (lang === undefined || lang.length > 0)) {
      const entry = (texts[base] ??= { langs: {}, location });
      reading.register(field, location);
      if (value === undefined) continue;
      if (lang === undefined) entry.plain = String(value);
      else entry.langs[lang] = String(value);
      continue;
    }
    const convert = converters[field];
    if (!convert) {
      reading.problem(fieldLocation, `${field} is not a field of the edition`);
      continue;
    }
    const path = field === 'decisionRule' ? 'decisionRule.type' : field;
    reading.register(path, location);
    if (field === 'decisionRule') reading.register('decisionRule', location);
    if (value === undefined) continue;
    const converted = convert(value);
    if ('problem' in converted) {
      reading.problem(location, `${field} ${converted.problem}`, field);
      continue;
    }
    if (field === 'decisionRule') document.decisionRule = { type: converted.value };
    else document[field] = converted.value;
  }
  for (const [field, entry] of Object.entries(texts)) {
    reading.register(field, entry.location);
    const langs = Object.keys(entry.langs);
    if (entry.plain === undefined) {
      if (langs.length) document[field] = entry.langs;
    } else if (langs.length === 0) document[field] = entry.plain;
    else if (entry.langs.en !== undefined) {
      reading.problem(
        entry.location,
        `${field} and ${field}.en are both filled; keep one (${field} is the English text)`,
        field,
      );
    } else document[field] = { en: entry.plain, ...entry.langs };
  }
}

function readLevels(workbook: ExcelJS.Workbook, reading: Reading, document: Json): void {
  const table = readTable(workbook, reading, EDITION_SHEETS.levels, {
    exact: ['key', 'label', 'rated'],
    prefixes: ['label.'],
    required: ['key'],
  });
  if (!table) return;
  reading.register('levels', { sheet: table.sheet.name, row: 1, column: 'A' });
  document.levels = table.rows.map((number, index) => {
    const row = new RowReader(reading, table, number, `levels[${index}]`);
    const level: Json = {};
    set(level, 'key', row.get('key', asKey));
    set(level, 'label', row.text('label'));
    set(level, 'rated', row.get('rated', asBoolean));
    return level;
  });
}

function readDrivers(workbook: ExcelJS.Workbook, reading: Reading, document: Json): void {
  const table = readTable(workbook, reading, EDITION_SHEETS.drivers, {
    exact: ['key', 'type', 'label', 'values'],
    prefixes: ['label.'],
    required: ['key', 'type'],
  });
  if (!table) return;
  reading.register('drivers', { sheet: table.sheet.name, row: 1, column: 'A' });
  document.drivers = table.rows.map((number, index) => {
    const row = new RowReader(reading, table, number, `drivers[${index}]`);
    const driver: Json = {};
    set(driver, 'key', row.get('key', asKey));
    set(driver, 'type', row.get('type', asKey));
    set(driver, 'label', row.text('label'));
    set(driver, 'values', row.get('values', asList));
    return driver;
  });
}

function readScale(workbook: ExcelJS.Workbook, reading: Reading, document: Json): void {
  const table = readTable(workbook, reading, EDITION_SHEETS.scale, {
    exact: ['value', 'label', 'compliant', 'score', 'requiresJustification', 'notApplicable'],
    prefixes: ['label.'],
    required: ['value', 'compliant', 'requiresJustification', 'notApplicable'],
  });
  if (!table) return;
  reading.register('scale', { sheet: table.sheet.name, row: 1, column: 'A' });
  document.scale = {
    ratings: table.rows.map((number, index) => {
      const row = new RowReader(reading, table, number, `scale.ratings[${index}]`);
      const rating: Json = {};
      set(rating, 'value', row.get('value', asKey));
      set(rating, 'label', row.text('label'));
      set(rating, 'compliant', row.get('compliant', asBoolean));
      set(rating, 'score', row.get('score', asNumber));
      set(rating, 'requiresJustification', row.get('requiresJustification', asBoolean));
      set(rating, 'notApplicable', row.get('notApplicable', asBoolean));
      return rating;
    }),
  };
}

function readRule(workbook: ExcelJS.Workbook, reading: Reading, document: Json): void {
  const table = readTable(workbook, reading, EDITION_SHEETS.rule, {
    exact: ['level', 'label', 'requiredIndicatorLevels'],
    prefixes: ['label.', 'minShare.'],
    required: ['level', 'requiredIndicatorLevels'],
  });
  if (!table) return;
  reading.register('decisionRule.tiers', { sheet: table.sheet.name, row: table.rows[0] ?? 2, column: 'A' });
  if (table.rows.length === 0) return;
  const shareHeaders = [...table.columns.keys()].filter((header) => header.startsWith('minShare.'));
  const tiers = table.rows.map((number, index) => {
    const path = `decisionRule.tiers[${index}]`;
    const row = new RowReader(reading, table, number, path);
    const tier: Json = {};
    set(tier, 'level', row.get('level', asKey));
    set(tier, 'label', row.text('label'));
    tier.requiredIndicatorLevels = row.get('requiredIndicatorLevels', asList) ?? [];
    const minShare: Json = {};
    for (const header of shareHeaders)
      set(minShare, header.slice('minShare.'.length), row.get(header, asNumber));
    reading.register(`${path}.minShare`, row.at(shareHeaders[0] ?? 'level'));
    if (Object.keys(minShare).length) tier.minShare = minShare;
    return tier;
  });
  const rule = (document.decisionRule ??= {}) as Json;
  rule.tiers = tiers;
}

function readItems(workbook: ExcelJS.Workbook, reading: Reading, document: Json): void {
  const table = readTable(workbook, reading, EDITION_SHEETS.items, {
    exact: ['code', 'parent', 'level', 'tag', 'mandatory', 'title', 'statement', 'guidance', 'appliesWhen'],
    prefixes: ['refs.', 'title.', 'statement.', 'guidance.'],
    required: ['code', 'level'],
  });
  if (!table) return;
  reading.register('items', { sheet: table.sheet.name, row: 1, column: 'A' });
  const refHeaders = [...table.columns.keys()].filter((header) => header.startsWith('refs.'));
  const items: Json[] = [];
  const byCode = new Map<string, { item: Json; path: string }>();
  // Rows left out (their parent refused): their children are left out without a problem of their own.
  const leftOut = new Set<string>();
  const codeColumn = table.columns.get('code');
  for (const number of table.rows) {
    // The parent is read first: the item's path depends on it.
    const parentColumn = table.columns.get('parent');
    const parentRaw =
      parentColumn === undefined
        ? { kind: 'empty' as const }
        : rawOf(table.sheet.getRow(number).getCell(parentColumn));
    const parentCode = parentRaw.kind === 'value' ? String(parentRaw.value).trim() : '';
    let siblings = items;
    let parentPath = 'items';
    if (parentCode) {
      const parent = byCode.get(parentCode);
      if (!parent) {
        if (codeColumn !== undefined) leftOut.add(cellText(table.sheet.getRow(number).getCell(codeColumn)));
        if (leftOut.has(parentCode)) continue;
        reading.problem(
          { sheet: table.sheet.name, row: number, column: columnLetter(parentColumn!), header: 'parent' },
          `parent ${parentCode} is not the code of an earlier row`,
        );
        continue;
      }
      siblings = (parent.item.children ??= []) as Json[];
      parentPath = `${parent.path}.children`;
    } else if (parentRaw.kind === 'invalid') {
      reading.problem(
        { sheet: table.sheet.name, row: number, column: columnLetter(parentColumn!), header: 'parent' },
        'parent holds a formula or an error value; type the value itself',
      );
      continue;
    }
    const path = `${parentPath}[${siblings.length}]`;
    const row = new RowReader(reading, table, number, path);
    reading.register(`${path}.children`, row.at('code'));
    const item: Json = {};
    set(item, 'code', row.get('code', asKey));
    set(item, 'level', row.get('level', asKey));
    set(item, 'title', row.text('title'));
    set(item, 'statement', row.text('statement'));
    set(item, 'guidance', row.text('guidance'));
    set(item, 'tag', row.get('tag', asKey));
    set(item, 'mandatory', row.get('mandatory', asBoolean));
    const refs: Json = {};
    for (const header of refHeaders)
      set(refs, header.slice('refs.'.length), row.get(header, asKey, `refs.${header.slice(5)}`));
    reading.register(`${path}.refs`, row.at(refHeaders[0] ?? 'code'));
    if (Object.keys(refs).length) item.refs = refs;
    set(item, 'appliesWhen', row.get('appliesWhen', asJson));
    siblings.push(item);
    if (typeof item.code === 'string' && !byCode.has(item.code)) byCode.set(item.code, { item, path });
  }
  document.items = items;
}

/** As for a JSON body (`json-body-guard`): nesting deep enough to strain the validator. */
const MAX_DEPTH = 32;
// NUL cannot be stored by PostgreSQL; an unpaired surrogate is not valid Unicode (cells and JSON escapes alike).
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text PostgreSQL cannot store and nesting too deep, anywhere in the candidate, at the cell it came from. */
function unstorableProblems(document: Json, reading: Reading): void {
  const pending: { value: unknown; path: string; depth: number }[] = [
    { value: document, path: '', depth: 0 },
  ];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) {
        reading.problem(reading.locate(path), 'must not contain NUL or unpaired surrogate characters', path);
      }
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) {
      reading.problem(reading.locate(path), `is nested deeper than ${MAX_DEPTH} levels`, path);
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((entry, index) =>
        pending.push({ value: entry, path: `${path}[${index}]`, depth: depth + 1 }),
      );
      continue;
    }
    for (const [key, entry] of Object.entries(value as Json)) {
      if (UNSTORABLE.test(key)) {
        reading.problem(
          reading.locate(path),
          'has a field name with NUL or unpaired surrogate characters',
          path,
        );
        continue;
      }
      pending.push({ value: entry, path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
}

export interface ReadEditionWorkbook {
  /** The document the workbook describes (not validated): what POST /standards takes as JSON. */
  candidate: Json;
  /** Problems of the workbook itself (missing sheets or columns, formulas, unreadable lists or JSON). */
  problems: EditionWorkbookProblem[];
  /** The cell a document path came from (or the nearest one that did). */
  locate(path: string | undefined): CellLocation;
}

/** Reads an edition workbook (bytes already checked by `inspectWorkbookZip`) into a candidate document. */
export async function readEditionWorkbook(bytes: Buffer): Promise<ReadEditionWorkbook | null> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
  } catch {
    return null;
  }
  const reading = new Reading();
  const document: Json = {};
  readEdition(workbook, reading, document);
  // The workbook is the v2 layout: a sheet without its schemaVersion row is still v2.
  document.schemaVersion ??= 2;
  readLevels(workbook, reading, document);
  readDrivers(workbook, reading, document);
  readScale(workbook, reading, document);
  readRule(workbook, reading, document);
  readItems(workbook, reading, document);
  unstorableProblems(document, reading);
  return { candidate: document, problems: reading.problems, locate: (path) => reading.locate(path) };
}

/** Problems of a document read from a workbook, each with the cell it came from. */
export function locateProblems(read: ReadEditionWorkbook, problems: ErrorDetail[]): EditionWorkbookProblem[] {
  return problems.map((problem) => {
    const location = read.locate(problem.field);
    return {
      ...problem,
      sheet: location.sheet,
      row: location.row,
      column: location.column,
      ...(location.header ? { header: location.header } : {}),
    };
  });
}

/** The workbook read and validated: the v2 document, or every problem with its sheet, row and column. */
export async function editionFromWorkbook(
  bytes: Buffer,
  normalize: (candidate: unknown) => NormalizedEdition,
): Promise<
  | { ok: true; document: EditionDocumentV2; read: ReadEditionWorkbook }
  | { ok: false; unreadable: true }
  | { ok: false; unreadable: false; problems: EditionWorkbookProblem[] }
> {
  const read = await readEditionWorkbook(bytes);
  if (!read) return { ok: false, unreadable: true };
  if (read.problems.length) return { ok: false, unreadable: false, problems: read.problems };
  const normalized = normalize(read.candidate);
  if (!normalized.ok)
    return { ok: false, unreadable: false, problems: locateProblems(read, normalized.problems) };
  return { ok: true, document: normalized.document, read };
}
