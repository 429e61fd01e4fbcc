import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssessmentModule } from '@app/assessment';
import { AuditModule } from '@app/audit';
import { CasesModule } from '@app/cases';
import { StandardsModule } from '@app/standards';
import { CommitmentImportService } from './commitments/commitment-import.service';
import { CommitmentPathwayService } from './commitments/commitment-pathway.service';
import { CommitmentsService } from './commitments/commitments.service';
import { BenchmarkSummaryService } from './benchmarks/benchmark-summary.service';
import { BenchmarksService } from './benchmarks/benchmarks.service';
import { CommitmentEntity } from './commitments/entities/commitment.entity';
import { BenchmarksPageService } from './pages/benchmarks-page.service';
import { HistoricalCertificateImportService } from './historical/historical-certificate-import.service';
import { CommitmentsPagesService } from './pages/commitments-pages.service';
import { QaQualityService } from './qa/qa-quality.service';
import { QaReviewsService } from './qa/qa-reviews.service';
import { QaSamplingService } from './qa/qa-sampling.service';

/** The secretariat's view of the field: commitments, the historical registry, benchmarks, QA. */
@Module({
  imports: [
    TypeOrmModule.forFeature([CommitmentEntity]),
    AuditModule,
    AssessmentModule,
    CasesModule,
    StandardsModule,
  ],
  providers: [
    BenchmarkSummaryService,
    BenchmarksService,
    BenchmarksPageService,
    HistoricalCertificateImportService,
    CommitmentsService,
    CommitmentImportService,
    CommitmentPathwayService,
    CommitmentsPagesService,
    QaSamplingService,
    QaReviewsService,
    QaQualityService,
  ],
  exports: [
    BenchmarkSummaryService,
    BenchmarksService,
    BenchmarksPageService,
    HistoricalCertificateImportService,
    CommitmentsService,
    CommitmentImportService,
    CommitmentPathwayService,
    CommitmentsPagesService,
    QaSamplingService,
    QaReviewsService,
    QaQualityService,
  ],
})
export class FieldModule {}
