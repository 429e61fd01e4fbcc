import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { CasesModule } from '@app/cases';
import { StandardsModule } from '@app/standards';
import { SelfAssessmentAnswerEntity } from './entities/self-assessment-answer.entity';
import { SelfAssessmentService } from './self-assessment.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([SelfAssessmentAnswerEntity]),
    AuditModule,
    CasesModule,
    StandardsModule,
  ],
  providers: [SelfAssessmentService],
  exports: [SelfAssessmentService],
})
export class AssessmentModule {}
