import type { ErrorDetail } from '@app/common';
import type { RatingDefinition } from '@app/standards';
import type { ImportOutcome, WorkbookKind } from './workbook-texts';
import { WorkbookNotForCaseError, WorkbookStructureChangedError } from './workbooks.errors';
import type { CellRead, CellRef, ReadRow, ReadWorkbook } from './xlsx/workbook-reader';
import { valuesDigest, type WorkbookLine } from './xlsx/workbook-model';

export type ImportMode = 'fill_blanks' | 'override';

/** An indicator as the server holds it now. */
export interface CurrentIndicator {
  code: string;
  applicable: boolean;
  rating: string | null;
  note: string | null;
  evidenceIds: string[];
  /** Optimistic version: the rating's version, or the answer's update time in ms; 0 when never saved. */
  version: number;
  /** Whether something is saved for it (else the values shown are defaults). */
  stored: boolean;
}

export interface RowValues {
  rating: string | null;
  note: string | null;
  evidenceIds: string[];
}

export interface RowDecision {
  indicatorCode: string;
  current: RowValues;
  workbook: RowValues | null;
  outcome: ImportOutcome;
  reason?: string;
  cell?: CellRef & { ref: string };
  /** The version the workbook was exported at. */
  version: number;
}

export interface DiffRules {
  kind: WorkbookKind;
  mode: ImportMode;
  scale: RatingDefinition[];
  /** The case's evidence ids (ratings only). */
  evidenceIds: ReadonlySet<string> | null;
  maxNoteLength: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const clean = (text: string | null): string | null => {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};

const sameValues = (a: RowValues, b: RowValues): boolean =>
  (a.rating ?? null) === (b.rating ?? null) &&
  (a.note ?? null) === (b.note ?? null) &&
  [...a.evidenceIds].sort().join(',') === [...b.evidenceIds].sort().join(',');

/** Checks that the workbook is this case's and that its rows are the exported ones, in order. */
export function assertWorkbookOfCase(
  read: ReadWorkbook,
  expected: {
    kind: WorkbookKind;
    caseId: string;
    editionId: string;
    fingerprint: string;
    lines: WorkbookLine[];
  },
): void {
  const { cover } = read;
  if (!cover.fingerprint) throw new WorkbookNotForCaseError('its cover has no case fingerprint');
  if (cover.kind && cover.kind !== expected.kind) {
    throw new WorkbookNotForCaseError(`it is a ${cover.kind} workbook, not a ${expected.kind} one`);
  }
  if (cover.caseId && cover.caseId !== expected.caseId) {
    throw new WorkbookNotForCaseError(`it was exported for case ${cover.caseId}`);
  }
  if (cover.editionId && cover.editionId !== expected.editionId) {
    throw new WorkbookNotForCaseError(
      `it was exported for edition ${cover.editionId}, the case is under ${expected.editionId}`,
    );
  }
  if (cover.fingerprint !== expected.fingerprint) {
    throw new WorkbookNotForCaseError('its case fingerprint does not match this case and edition');
  }
  const problems: ErrorDetail[] = [];
  const count = Math.max(read.rows.length, expected.lines.length);
  for (let index = 0; index < count && problems.length < 20; index++) {
    const found = read.rows[index];
    const line = expected.lines[index];
    if (!found) {
      problems.push({
        field: 'file',
        message: `row ${index + 2} is missing`,
        row: index + 2,
        expected: line.code,
        found: null,
      });
    } else if (!line) {
      problems.push({
        field: 'file',
        message: `row ${found.row} was added`,
        row: found.row,
        expected: null,
        found: found.code,
      });
    } else if (found.code !== line.code) {
      problems.push({
        field: 'file',
        message: `row ${found.row} has code ${found.code ?? '(empty)'} where ${line.code} was exported`,
        row: found.row,
        expected: line.code,
        found: found.code,
      });
    }
  }
  if (problems.length > 0) throw new WorkbookStructureChangedError(problems);
}

interface Parsed {
  values: RowValues;
  version: number | null;
  exported: string | null;
  problem?: { cell: CellRef; reason: string };
}

function parseRow(row: ReadRow, rules: DiffRules): Parsed {
  const formulaCell = (
    [
      [row.rating, row.cells.rating],
      [row.note, row.cells.note],
      [row.evidence, row.cells.evidence],
      [row.version, row.cells.version],
    ] as [CellRead | null, CellRef | null][]
  ).find(([cell]) => cell?.isFormula);
  const ratingText = clean(row.rating.text);
  const rating =
    ratingText === null
      ? null
      : (rules.scale.find(
          (entry) =>
            entry.value.toLowerCase() === ratingText.toLowerCase() ||
            entry.label.toLowerCase() === ratingText.toLowerCase(),
        )?.value ?? ratingText);
  const evidenceTokens = (row.evidence?.text ?? '').split(/[\s,;]+/).filter((token) => token.length > 0);
  const values: RowValues = {
    rating,
    note: clean(row.note.text),
    evidenceIds: evidenceTokens.map((token) => token.toLowerCase()),
  };
  const versionText = clean(row.version.text);
  const version =
    versionText !== null && /^\d+(\.0+)?$/.test(versionText) ? Number.parseInt(versionText, 10) : null;
  const parsed: Parsed = { values, version, exported: clean(row.exported.text) };
  if (formulaCell) {
    parsed.problem = { cell: formulaCell[1]!, reason: 'formulas are not accepted: type the value itself' };
  } else if (version === null) {
    parsed.problem = { cell: row.cells.version, reason: 'the hidden version cell was changed or emptied' };
  } else if (rating !== null && !rules.scale.some((entry) => entry.value === rating)) {
    parsed.problem = {
      cell: row.cells.rating,
      reason: `must be one of ${rules.scale.map((entry) => entry.value).join(', ')}`,
    };
  } else if ((values.note?.length ?? 0) > rules.maxNoteLength) {
    parsed.problem = { cell: row.cells.note, reason: `is longer than ${rules.maxNoteLength} characters` };
  } else if (row.cells.evidence) {
    const bad = evidenceTokens.find((token) => !UUID.test(token));
    if (bad) parsed.problem = { cell: row.cells.evidence, reason: `${bad} is not an evidence id` };
    else if (values.evidenceIds.length > 50)
      parsed.problem = { cell: row.cells.evidence, reason: 'cites more than 50 pieces of evidence' };
    else {
      const foreign = values.evidenceIds.find((id) => !rules.evidenceIds?.has(id));
      if (foreign)
        parsed.problem = { cell: row.cells.evidence, reason: `${foreign} is not evidence of this case` };
    }
  }
  return parsed;
}

/** The rules a saved row must meet, as the save itself applies them, checked here to show them per cell. */
function ruleProblem(
  row: ReadRow,
  values: RowValues,
  current: CurrentIndicator,
  rules: DiffRules,
): Parsed['problem'] {
  const definition = rules.scale.find((entry) => entry.value === values.rating);
  if (!definition) return { cell: row.cells.rating, reason: 'a rating is required' };
  if (rules.kind === 'self_assessment' && !current.applicable) {
    return {
      cell: row.cells.rating,
      reason: 'the indicator does not apply to this institution and is not applicable already',
    };
  }
  const noteName = rules.kind === 'ratings' ? 'a justification' : 'a comment';
  if (rules.kind === 'ratings' && definition.requiresJustification && !values.note) {
    return { cell: row.cells.note, reason: `${noteName} is required for ${definition.value}` };
  }
  if (rules.kind === 'self_assessment' && definition.notApplicable && !values.note) {
    return { cell: row.cells.note, reason: `${noteName} is required for ${definition.value}` };
  }
  if (rules.kind === 'ratings' && !current.applicable && !definition.notApplicable && !values.note) {
    return {
      cell: row.cells.note,
      reason: 'a justification is required to rate an indicator the profile makes not applicable',
    };
  }
  return undefined;
}

const withRef = (cell: CellRef): CellRef & { ref: string } => ({
  ...cell,
  ref: `'${cell.sheet}'!${cell.column}${cell.row}`,
});

/** Per indicator row: what the import would do, without doing it. */
export function diffWorkbook(
  read: ReadWorkbook,
  lines: WorkbookLine[],
  current: Map<string, CurrentIndicator>,
  rules: DiffRules,
): RowDecision[] {
  const decisions: RowDecision[] = [];
  lines.forEach((line, index) => {
    if (line.kind !== 'indicator') return;
    const row = read.rows[index];
    const now = current.get(line.code)!;
    const currentValues: RowValues = { rating: now.rating, note: now.note, evidenceIds: now.evidenceIds };
    const parsed = parseRow(row, rules);
    const base = {
      indicatorCode: line.code,
      current: currentValues,
      workbook: parsed.values,
      version: parsed.version ?? 0,
    };
    if (parsed.problem) {
      decisions.push({
        ...base,
        outcome: 'invalid',
        reason: parsed.problem.reason,
        cell: withRef(parsed.problem.cell),
      });
      return;
    }
    const edited =
      parsed.exported !== valuesDigest(parsed.values.rating, parsed.values.note, parsed.values.evidenceIds);
    if (!edited || sameValues(parsed.values, currentValues)) {
      decisions.push({
        ...base,
        outcome: 'unchanged',
        ...(!edited && !sameValues(parsed.values, currentValues)
          ? { reason: 'not edited in the workbook; changed on the server since export' }
          : {}),
      });
      return;
    }
    if (
      parsed.values.rating === null &&
      parsed.values.note === null &&
      parsed.values.evidenceIds.length === 0
    ) {
      decisions.push({
        ...base,
        outcome: 'skipped',
        reason: 'blank in the workbook: an import does not clear a rating',
      });
      return;
    }
    const problem = ruleProblem(row, parsed.values, now, rules);
    if (problem) {
      decisions.push({ ...base, outcome: 'invalid', reason: problem.reason, cell: withRef(problem.cell) });
      return;
    }
    if (parsed.version !== now.version) {
      decisions.push({
        ...base,
        outcome: 'conflict',
        reason: 'changed on the server since export',
        cell: withRef(row.cells.version),
      });
      return;
    }
    if (rules.mode === 'fill_blanks' && now.stored) {
      decisions.push({ ...base, outcome: 'skipped', reason: 'not blank: fill_blanks keeps what is saved' });
      return;
    }
    decisions.push({ ...base, outcome: now.stored ? 'changed' : 'new' });
  });
  return decisions;
}

export function countOutcomes(decisions: RowDecision[]): Record<ImportOutcome, number> {
  const counts: Record<ImportOutcome, number> = {
    new: 0,
    changed: 0,
    unchanged: 0,
    skipped: 0,
    conflict: 0,
    invalid: 0,
  };
  for (const decision of decisions) counts[decision.outcome]++;
  return counts;
}
