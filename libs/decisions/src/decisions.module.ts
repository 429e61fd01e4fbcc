import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentModule } from '@app/assessment';
import { AuditModule } from '@app/audit';
import { CasesModule } from '@app/cases';
import { DocumentsModule } from '@app/documents';
import { StandardsModule } from '@app/standards';
import { CommitteeVotesService } from './committee/committee-votes.service';
import { DecisionLevelResolver } from './decision-level.resolver';
import { DecisionPackageBuilder } from './decision-package.builder';
import { DecisionsService } from './decisions.service';
import { CaseAppealEntity } from './entities/case-appeal.entity';
import { CaseDecisionEntity } from './entities/case-decision.entity';
import { CommitteeVoteEntity } from './entities/committee-vote.entity';
import { CertificationReportService } from './report/certification-report.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([CaseDecisionEntity, CaseAppealEntity, CommitteeVoteEntity]),
    AssessmentModule,
    AuditModule,
    CasesModule,
    StandardsModule,
    DocumentsModule,
  ],
  providers: [
    DecisionPackageBuilder,
    DecisionLevelResolver,
    CommitteeVotesService,
    DecisionsService,
    CertificationReportService,
  ],
  exports: [DecisionsService, CommitteeVotesService, CertificationReportService],
})
export class DecisionsModule {}
