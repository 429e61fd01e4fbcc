import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentModule } from '@app/assessment';
import { AuditModule } from '@app/audit';
import { CasesModule } from '@app/cases';
import { StandardsModule } from '@app/standards';
import { FindingResponseEntity } from './entities/finding-response.entity';
import { FindingEntity } from './entities/finding.entity';
import { FindingsGuards } from './findings-guards';
import { FindingsService } from './findings.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([FindingEntity, FindingResponseEntity]),
    AuditModule,
    CasesModule,
    StandardsModule,
    AssessmentModule,
  ],
  providers: [FindingsGuards, FindingsService],
  exports: [FindingsService],
})
export class FindingsModule {}
