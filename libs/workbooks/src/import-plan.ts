import type { WorkbookImportQueryDto, WorkbookImportResultDto } from './dto/workbook.dto';
import { countOutcomes, type RowDecision } from './workbook-diff';
import type { ImportOutcome } from './workbook-texts';
import { WorkbookConflictError, WorkbookRowsInvalidError } from './workbooks.errors';

type RowDto = WorkbookImportResultDto['rows'][number];

/** What an import does with its rows, the same for either workbook. */
export interface ImportPlan {
  counts: Record<ImportOutcome, number>;
  /** The answer, with every row as the workbook's own mapper shows it. */
  result: (applied: boolean) => WorkbookImportResultDto;
  /** The rows to save (new or changed); null on a dry run. Applying refuses a workbook with any bad row. */
  toApply: RowDecision[] | null;
}

export function planImport(
  decisions: RowDecision[],
  query: WorkbookImportQueryDto,
  sha256: string,
  toRowDto: (decision: RowDecision) => RowDto,
): ImportPlan {
  const counts = countOutcomes(decisions);
  const result = (applied: boolean): WorkbookImportResultDto => ({
    applied,
    mode: query.mode,
    sha256,
    counts,
    rows: decisions.map(toRowDto),
  });
  if (query.dryRun) return { counts, result, toApply: null };
  refuseUnlessClean(decisions);
  return {
    counts,
    result,
    toApply: decisions.filter((decision) => decision.outcome === 'new' || decision.outcome === 'changed'),
  };
}

/** Applying: any conflict (409) or invalid row (422) refuses the whole workbook. */
function refuseUnlessClean(decisions: RowDecision[]): void {
  const conflicts = decisions.filter((decision) => decision.outcome === 'conflict');
  const invalid = decisions.filter((decision) => decision.outcome === 'invalid');
  if (invalid.length > 0) {
    throw new WorkbookRowsInvalidError(
      invalid.map((decision) => ({
        field: decision.cell?.ref ?? 'file',
        message: decision.reason ?? 'invalid',
        indicatorCode: decision.indicatorCode,
      })),
    );
  }
  if (conflicts.length > 0) {
    throw new WorkbookConflictError(
      conflicts.map((decision) => ({
        field: decision.cell?.ref ?? 'file',
        message: decision.reason ?? 'changed on the server since export',
        indicatorCode: decision.indicatorCode,
      })),
    );
  }
}
