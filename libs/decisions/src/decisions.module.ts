import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentModule } from '@app/assessment';
import { CasesModule } from '@app/cases';
import { DocumentsModule } from '@app/documents';
import { StandardsModule } from '@app/standards';
import { DecisionPackageBuilder } from './decision-package.builder';
import { DecisionsService } from './decisions.service';
import { CaseAppealEntity } from './entities/case-appeal.entity';
import { CaseDecisionEntity } from './entities/case-decision.entity';
import { CertificationReportService } from './report/certification-report.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([CaseDecisionEntity, CaseAppealEntity]),
    AssessmentModule,
    CasesModule,
    StandardsModule,
    DocumentsModule,
  ],
  providers: [DecisionPackageBuilder, DecisionsService, CertificationReportService],
  exports: [DecisionsService, CertificationReportService],
})
export class DecisionsModule {}
