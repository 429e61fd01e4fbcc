import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { CasesModule } from '@app/cases';
import { StandardsModule } from '@app/standards';
import { IndicatorRatingEntity } from './entities/indicator-rating.entity';
import { SelfAssessmentAnswerEntity } from './entities/self-assessment-answer.entity';
import { SelfAssessmentPrefillService } from './prefill/self-assessment-prefill.service';
import { CaseRatingsLoader } from './ratings/case-ratings.loader';
import { RatingsService } from './ratings/ratings.service';
import { ResultsService } from './ratings/results.service';
import { SelfAssessmentService } from './self-assessment.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([SelfAssessmentAnswerEntity, IndicatorRatingEntity]),
    AuditModule,
    CasesModule,
    StandardsModule,
  ],
  providers: [
    CaseRatingsLoader,
    RatingsService,
    ResultsService,
    SelfAssessmentService,
    SelfAssessmentPrefillService,
  ],
  exports: [RatingsService, ResultsService, SelfAssessmentService, SelfAssessmentPrefillService],
})
export class AssessmentModule {}
