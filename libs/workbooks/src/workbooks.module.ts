import { Module } from '@nestjs/common';
import { AssessmentModule } from '@app/assessment';
import { CasesModule } from '@app/cases';
import { EvidenceModule } from '@app/evidence';
import { StandardsModule } from '@app/standards';
import { EditionWorkbookService } from './edition/edition-workbook.service';
import { RatingWorkbookService } from './use-cases/rating-workbook.service';
import { SelfAssessmentPrefillWorkbookService } from './use-cases/self-assessment-prefill-workbook.service';
import { SelfAssessmentWorkbookService } from './use-cases/self-assessment-workbook.service';
import { WorkbookSupport } from './workbook-support.service';

@Module({
  imports: [AssessmentModule, CasesModule, EvidenceModule, StandardsModule],
  providers: [
    WorkbookSupport,
    RatingWorkbookService,
    SelfAssessmentWorkbookService,
    SelfAssessmentPrefillWorkbookService,
    EditionWorkbookService,
  ],
  exports: [
    RatingWorkbookService,
    SelfAssessmentWorkbookService,
    SelfAssessmentPrefillWorkbookService,
    EditionWorkbookService,
  ],
})
export class WorkbooksModule {}
