import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { IdentityModule } from '@app/identity';
import { StandardsModule } from '@app/standards';
import { CaseAccessService } from './case-access.service';
import { CaseListChangeListener } from './case-list-change.listener';
import { CaseListTotals } from './case-list-totals';
import { CaseTeamMemberEntity } from './entities/case-team-member.entity';
import { CertificationCaseEntity } from './entities/certification-case.entity';
import { CoiDeclarationEntity } from './entities/coi-declaration.entity';
import { PriorServiceEntity } from './entities/prior-service.entity';
import { ImpartialityService } from './impartiality.service';
import { CaseGuards } from './transitions/case-guards';
import { TransitionGuardRegistry } from './transitions/transition-guard.registry';
import { TransitionService } from './transitions/transition.service';
import { CaseProfileService } from './use-cases/case-profile.service';
import { CaseQueriesService } from './use-cases/case-queries.service';
import { CloseLapsedCasesService } from './use-cases/close-lapsed-cases.service';
import { MissionService } from './use-cases/mission.service';
import { OpenCaseService } from './use-cases/open-case.service';
import { PriorServicesService } from './use-cases/prior-services.service';
import { TeamAssignmentService } from './use-cases/team-assignment.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      CertificationCaseEntity,
      CaseTeamMemberEntity,
      CoiDeclarationEntity,
      PriorServiceEntity,
    ]),
    AuditModule,
    IdentityModule,
    StandardsModule,
  ],
  providers: [
    CaseAccessService,
    CaseListChangeListener,
    { provide: CaseListTotals, useFactory: () => new CaseListTotals() },
    CaseGuards,
    CaseProfileService,
    CaseQueriesService,
    CloseLapsedCasesService,
    ImpartialityService,
    MissionService,
    OpenCaseService,
    PriorServicesService,
    TeamAssignmentService,
    TransitionGuardRegistry,
    TransitionService,
  ],
  exports: [
    CaseAccessService,
    CloseLapsedCasesService,
    ImpartialityService,
    CaseProfileService,
    CaseQueriesService,
    MissionService,
    OpenCaseService,
    PriorServicesService,
    TeamAssignmentService,
    TransitionGuardRegistry,
    TransitionService,
  ],
})
export class CasesModule {}
