import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentModule } from '@app/assessment';
import { AuditModule } from '@app/audit';
import { CasesModule } from '@app/cases';
import { CertificateEntity } from '@app/certificates';
import { StandardsModule } from '@app/standards';
import { ActionPlanCarrier } from './actions/action-plan.carrier';
import { CorrectiveActionsService } from './actions/corrective-actions.service';
import { ImprovementPlanService } from './actions/improvement-plan.service';
import { InstitutionActionView } from './actions/institution-action-view';
import { ActionVerificationEntity } from './entities/action-verification.entity';
import { CorrectiveActionCaseEntity } from './entities/corrective-action-case.entity';
import { CorrectiveActionEntity } from './entities/corrective-action.entity';
import { FindingResponseEntity } from './entities/finding-response.entity';
import { FindingEntity } from './entities/finding.entity';
import { FindingsGuards } from './findings-guards';
import { FindingsService } from './findings.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      FindingEntity,
      FindingResponseEntity,
      CorrectiveActionEntity,
      CorrectiveActionCaseEntity,
      ActionVerificationEntity,
      CertificateEntity,
    ]),
    AuditModule,
    CasesModule,
    StandardsModule,
    AssessmentModule,
  ],
  providers: [
    FindingsGuards,
    FindingsService,
    ActionPlanCarrier,
    CorrectiveActionsService,
    ImprovementPlanService,
    InstitutionActionView,
  ],
  exports: [FindingsService, CorrectiveActionsService, ImprovementPlanService],
})
export class FindingsModule {}
