import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  type PrefillQueryDto,
  type PrefillResultDto,
  SelfAssessmentPrefillService,
  type SourceAnswer,
} from '@app/assessment';
import type { CaseSnapshot } from '@app/cases';
import type { Actor, ErrorDetail } from '@app/common';
import { drainUpload, type UploadSource } from '@app/evidence';
import { EditionTree, StandardsService } from '@app/standards';
import { WorkbookSupport } from '../workbook-support.service';
import { WORKBOOK_LANGUAGES, WORKBOOK_TEXTS, type WorkbookLanguage } from '../workbook-texts';
import { WorkbookNotForCaseError, WorkbookRowsInvalidError } from '../workbooks.errors';
import { type CellRef, readWorkbook } from '../xlsx/workbook-reader';
import { inspectWorkbookZip } from '../xlsx/zip-inspector';

const NOT_APPLICABLE_TEXTS = new Set(WORKBOOK_LANGUAGES.map((lang) => WORKBOOK_TEXTS[lang].no.toLowerCase()));

/**
 * Pre-fill from an uploaded self-assessment workbook (the export of GET /self-assessment-workbook, of any case
 * and edition): its indicator rows' ratings and comments become unconfirmed answers of this case, through a
 * published crosswalk when the workbook's edition is another one. Rows are matched by code, not position.
 */
@Injectable()
export class SelfAssessmentPrefillWorkbookService {
  constructor(
    private readonly prefill: SelfAssessmentPrefillService,
    private readonly standards: StandardsService,
    private readonly support: WorkbookSupport,
  ) {}

  async prefillFromWorkbook(
    actor: Actor,
    caseId: string,
    upload: UploadSource,
    query: PrefillQueryDto,
  ): Promise<PrefillResultDto> {
    let snapshot: CaseSnapshot;
    try {
      snapshot = await this.prefill.authorize(actor, caseId);
    } catch (error) {
      drainUpload(upload);
      throw error;
    }
    const bytes = await this.support.readUpload(upload);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await inspectWorkbookZip(bytes);
    const read = await readWorkbook(bytes, 'self_assessment');
    if (read.cover.kind && read.cover.kind !== 'self_assessment') {
      throw new WorkbookNotForCaseError(`it is a ${read.cover.kind} workbook, not a self-assessment one`);
    }
    const editionId = read.cover.editionId;
    if (!editionId) throw new WorkbookNotForCaseError('its cover names no standards edition');
    if (!(await this.standards.isPublished(editionId))) {
      throw new WorkbookNotForCaseError(`its edition ${editionId} is not a published edition`);
    }
    const edition = await this.standards.requireDocument(editionId);
    const tree = EditionTree.of(edition);
    const language = (WORKBOOK_LANGUAGES as readonly string[]).includes(read.cover.language ?? '')
      ? (read.cover.language as WorkbookLanguage)
      : 'en';
    const scale = [...this.support.scaleOf(edition, language), ...this.support.scaleOf(edition, 'en')];
    const answers = new Map<string, SourceAnswer>();
    const problems: ErrorDetail[] = [];
    const cellRef = (cell: CellRef): CellRef & { ref: string } => ({
      ...cell,
      ref: `'${cell.sheet}'!${cell.column}${cell.row}`,
    });
    for (const row of read.rows) {
      if (!row.code || !tree.isIndicator(row.code)) continue;
      // The exporting case's profile made it not applicable: that says nothing about this case.
      if (NOT_APPLICABLE_TEXTS.has(row.applicable.text?.trim().toLowerCase() ?? '')) continue;
      if (row.rating.isFormula || row.note.isFormula) {
        problems.push({
          field: 'file',
          message: 'formulas are not accepted: type the value itself',
          indicatorCode: row.code,
          cell: cellRef(row.rating.isFormula ? row.cells.rating : row.cells.note),
        });
        continue;
      }
      const text = row.rating.text?.trim();
      if (!text) continue;
      const rating = scale.find(
        (entry) =>
          entry.value.toLowerCase() === text.toLowerCase() ||
          entry.label.toLowerCase() === text.toLowerCase(),
      );
      if (!rating) {
        problems.push({
          field: 'file',
          message: `must be one of ${edition.scale.ratings.map((entry) => entry.value).join(', ')}`,
          indicatorCode: row.code,
          cell: cellRef(row.cells.rating),
        });
        continue;
      }
      const note = row.note.text?.trim() || null;
      answers.set(row.code, { rating: rating.value, comment: note });
    }
    if (problems.length > 0) throw new WorkbookRowsInvalidError(problems);
    return this.prefill.apply(
      actor,
      snapshot,
      { kind: 'workbook', ref: sha256, editionId, answers },
      query.crosswalkId,
    );
  }
}
