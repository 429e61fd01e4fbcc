import type { ImportReportDto, ImportRowReportDto } from '../commitments/dto/commitment.dto';
import { ImportRowsInvalidError } from '../field.errors';

/** One row of an import as checked: its report by line, and what it would save when it passed. */
export interface ImportCandidate<E> {
  report: ImportRowReportDto;
  entry?: E;
}

export interface RepeatedKeyRule<E> {
  keyOf: (entry: E) => string;
  /** Keys already stored. */
  taken: ReadonlySet<string>;
  takenProblem: string;
  /** Named in "same <thing> as line N". */
  thing: string;
  /** A repeated row is skipped as a duplicate, or refuses the import as invalid. */
  outcome: 'duplicate' | 'invalid';
}

/**
 * Marks the rows whose key is already stored or was used by an earlier line of the file; the first
 * line with a key keeps it. A marked row no longer has an entry to save.
 */
export function markRepeatedKeys<E>(candidates: ImportCandidate<E>[], rule: RepeatedKeyRule<E>): void {
  const firstLine = new Map<string, number>();
  for (const candidate of candidates) {
    if (!candidate.entry) continue;
    const key = rule.keyOf(candidate.entry);
    candidate.report.key = key;
    const earlier = firstLine.get(key);
    const problem = rule.taken.has(key)
      ? rule.takenProblem
      : earlier !== undefined
        ? `same ${rule.thing} as line ${earlier}`
        : null;
    if (problem) {
      candidate.report.outcome = rule.outcome;
      candidate.report.problems.push(problem);
      delete candidate.entry;
    } else firstLine.set(key, candidate.report.line);
  }
}

/**
 * The import's answer: the report of every row by line and, to apply, the rows to save with their line.
 * Applying a file with an invalid row throws `ImportRowsInvalidError` (422, nothing written).
 */
export function planImport<E>(
  candidates: ImportCandidate<E>[],
  dryRun: boolean,
): { report: ImportReportDto; toSave: { line: number; entry: E }[] } {
  const rows = candidates.map((candidate) => candidate.report);
  const count = (outcome: ImportRowReportDto['outcome']) =>
    rows.filter((row) => row.outcome === outcome).length;
  const counts = {
    rows: rows.length,
    new: count('new'),
    duplicate: count('duplicate'),
    invalid: count('invalid'),
  };
  const report = { dryRun, applied: false, counts, rows };
  if (dryRun) return { report, toSave: [] };
  if (counts.invalid > 0) throw new ImportRowsInvalidError(rows.filter((row) => row.outcome === 'invalid'));
  const toSave = candidates.flatMap((candidate) =>
    candidate.report.outcome === 'new' && candidate.entry
      ? [{ line: candidate.report.line, entry: candidate.entry }]
      : [],
  );
  return { report: { ...report, applied: true }, toSave };
}
