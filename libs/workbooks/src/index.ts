export * from './dto/workbook.dto';
export {
  EDITION_SHEETS,
  editionFromWorkbook,
  type EditionWorkbookProblem,
  readEditionWorkbook,
  writeEditionWorkbook,
} from './edition/edition-workbook';
export { EditionWorkbookService } from './edition/edition-workbook.service';
export { RatingWorkbookService, type WorkbookFile } from './use-cases/rating-workbook.service';
export { SelfAssessmentPrefillWorkbookService } from './use-cases/self-assessment-prefill-workbook.service';
export { SelfAssessmentWorkbookService } from './use-cases/self-assessment-workbook.service';
export type { ImportMode } from './workbook-diff';
export { WORKBOOK_LANGUAGES, WORKBOOK_TEXTS, type WorkbookLanguage } from './workbook-texts';
export * from './workbooks.errors';
export { WorkbooksModule } from './workbooks.module';
export { readWorkbookUpload } from './xlsx/upload';
export { inspectWorkbookZip, WORKBOOK_LIMITS, type WorkbookLimits } from './xlsx/zip-inspector';
