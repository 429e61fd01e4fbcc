import { Module } from '@nestjs/common';
import { AssessmentModule } from '@app/assessment';
import { CasesModule } from '@app/cases';
import { EvidenceModule } from '@app/evidence';
import { StandardsModule } from '@app/standards';
import { EditionWorkbookService } from './edition/edition-workbook.service';
import { RatingWorkbookService } from './use-cases/rating-workbook.service';
import { SelfAssessmentWorkbookService } from './use-cases/self-assessment-workbook.service';
import { WorkbookSupport } from './workbook-support.service';

@Module({
  imports: [AssessmentModule, CasesModule, EvidenceModule, StandardsModule],
  providers: [WorkbookSupport, RatingWorkbookService, SelfAssessmentWorkbookService, EditionWorkbookService],
  exports: [RatingWorkbookService, SelfAssessmentWorkbookService, EditionWorkbookService],
})
export class WorkbooksModule {}
