import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { IdentityModule } from '@app/identity';
import { StandardsModule } from '@app/standards';
import { CaseAccessService } from './case-access.service';
import { CaseTeamMemberEntity } from './entities/case-team-member.entity';
import { CertificationCaseEntity } from './entities/certification-case.entity';
import { CoiDeclarationEntity } from './entities/coi-declaration.entity';
import { PriorServiceEntity } from './entities/prior-service.entity';

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
  providers: [CaseAccessService],
  exports: [CaseAccessService],
})
export class CasesModule {}
