import { Injectable } from '@nestjs/common';
import { type Actor, DomainError } from '@app/common';
import { EditionExistsError, type EditionSummaryDto, StandardsService } from '@app/standards';
import type { WorkbookFile } from '../use-cases/rating-workbook.service';
import { EditionWorkbookInvalidError, WorkbookUnreadableError } from '../workbooks.errors';
import { inspectWorkbookZip } from '../xlsx/zip-inspector';
import { editionFromWorkbook, locateProblems, writeEditionWorkbook } from './edition-workbook';

/** An edition as a workbook: export (who may read the edition) and import as a draft (the secretariat). */
@Injectable()
export class EditionWorkbookService {
  constructor(private readonly standards: StandardsService) {}

  /** The edition document as GET /standards/:id (every language) answers it, as a workbook. */
  async export(actor: Actor | null, editionId: string): Promise<WorkbookFile> {
    const document = await this.standards.getDocument(actor, editionId);
    return { fileName: `edition-${editionId}.xlsx`, bytes: await writeEditionWorkbook(document) };
  }

  /**
   * Imports the workbook as a draft edition, as POST /standards imports the JSON document; every problem
   * (of the layout, of a cell, or the validator's) names its sheet, row and column.
   */
  async import(actor: Actor, bytes: Buffer): Promise<EditionSummaryDto> {
    await inspectWorkbookZip(bytes);
    const result = await editionFromWorkbook(bytes, (candidate) => this.standards.validate(candidate));
    if (!result.ok) {
      if (result.unreadable) throw new WorkbookUnreadableError('the spreadsheet cannot be read');
      throw new EditionWorkbookInvalidError(result.problems);
    }
    try {
      return await this.standards.importDraft(actor, result.document);
    } catch (error) {
      if (error instanceof EditionExistsError) {
        throw new DomainError(error.code, error.message, locateProblems(result.read, error.details));
      }
      throw error;
    }
  }
}
