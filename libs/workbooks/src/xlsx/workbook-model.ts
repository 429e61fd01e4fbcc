import { createHash } from 'node:crypto';
import type { RatingDefinition } from '@app/standards';
import type { WorkbookKind, WorkbookLanguage } from '../workbook-texts';

export type LineKind = 'principle' | 'standard' | 'indicator';

/** One row of the rating sheet: an outline header (principle, standard) or an indicator. */
export interface WorkbookLine {
  kind: LineKind;
  code: string;
  text: string;
  guidance: string | null;
  /** Indicators only. */
  applicable: boolean | null;
  rating: string | null;
  note: string | null;
  evidenceIds: string[];
  version: number;
}

export interface WorkbookEvidence {
  id: string;
  title: string;
  fileName: string;
  indicatorCodes: string[];
}

export interface WorkbookModel {
  kind: WorkbookKind;
  language: WorkbookLanguage;
  caseId: string;
  editionId: string;
  fingerprint: string;
  cover: {
    caseType: string;
    status: string;
    institution: string;
    certifier: string;
    edition: string;
    team: string[];
    exportedAt: string;
    exportedBy: string;
  };
  scale: RatingDefinition[];
  lines: WorkbookLine[];
  /** Null for the self-assessment, which cites no evidence. */
  evidence: WorkbookEvidence[] | null;
}

/** Columns of the rating sheet, 1-based; the self-assessment has no evidence column. */
export interface SheetLayout {
  code: number;
  level: number;
  text: number;
  guidance: number;
  applicable: number;
  rating: number;
  note: number;
  evidence: number | null;
  version: number;
  exported: number;
  columnCount: number;
}

export function layoutOf(kind: WorkbookKind): SheetLayout {
  return kind === 'ratings'
    ? {
        code: 1,
        level: 2,
        text: 3,
        guidance: 4,
        applicable: 5,
        rating: 6,
        note: 7,
        evidence: 8,
        version: 9,
        exported: 10,
        columnCount: 10,
      }
    : {
        code: 1,
        level: 2,
        text: 3,
        guidance: 4,
        applicable: 5,
        rating: 6,
        note: 7,
        evidence: null,
        version: 8,
        exported: 9,
        columnCount: 9,
      };
}

export function columnLetter(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * What ties a workbook to one case, one edition, one kind and one structure: a workbook of another
 * case or edition, or whose rows were reordered or recoded, has another fingerprint.
 */
export function fingerprintOf(
  kind: WorkbookKind,
  caseId: string,
  editionId: string,
  lines: Pick<WorkbookLine, 'kind' | 'code'>[],
): string {
  const hash = createHash('sha256');
  hash.update(`cp-workbook/1\n${kind}\n${caseId}\n${editionId}\n`);
  for (const line of lines) hash.update(`${line.kind}:${line.code}\n`);
  return hash.digest('hex');
}

/** A digest of the editable values of a row as exported, to tell rows the rater edited from stale ones. */
export function valuesDigest(
  rating: string | null,
  note: string | null,
  evidenceIds: readonly string[],
): string {
  return createHash('sha256')
    .update(JSON.stringify([rating ?? '', note ?? '', [...evidenceIds].sort()]))
    .digest('hex')
    .slice(0, 16);
}
