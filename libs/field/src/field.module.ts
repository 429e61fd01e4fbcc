import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { CommitmentImportService } from './commitments/commitment-import.service';
import { CommitmentPathwayService } from './commitments/commitment-pathway.service';
import { CommitmentsService } from './commitments/commitments.service';
import { BenchmarksService } from './benchmarks/benchmarks.service';
import { CommitmentEntity } from './commitments/entities/commitment.entity';
import { BenchmarksPageService } from './pages/benchmarks-page.service';
import { HistoricalCertificateImportService } from './historical/historical-certificate-import.service';
import { CommitmentsPagesService } from './pages/commitments-pages.service';

/** The secretariat's view of the field: commitments, the historical registry, benchmarks, QA. */
@Module({
  imports: [TypeOrmModule.forFeature([CommitmentEntity]), AuditModule],
  providers: [
    BenchmarksService,
    BenchmarksPageService,

    HistoricalCertificateImportService,
    CommitmentsService,
    CommitmentImportService,
    CommitmentPathwayService,
    CommitmentsPagesService,
  ],
  exports: [
    BenchmarksService,
    BenchmarksPageService,

    HistoricalCertificateImportService,
    CommitmentsService,
    CommitmentImportService,
    CommitmentPathwayService,
    CommitmentsPagesService,
  ],
})
export class FieldModule {}
