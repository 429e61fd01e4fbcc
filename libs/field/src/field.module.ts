import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { CommitmentImportService } from './commitments/commitment-import.service';
import { CommitmentPathwayService } from './commitments/commitment-pathway.service';
import { CommitmentsService } from './commitments/commitments.service';
import { CommitmentEntity } from './commitments/entities/commitment.entity';
import { HistoricalCertificateImportService } from './historical/historical-certificate-import.service';
import { CommitmentsPagesService } from './pages/commitments-pages.service';

/** The secretariat's view of the field: commitments, the historical registry, benchmarks, QA. */
@Module({
  imports: [TypeOrmModule.forFeature([CommitmentEntity]), AuditModule],
  providers: [
    HistoricalCertificateImportService,
    CommitmentsService,
    CommitmentImportService,
    CommitmentPathwayService,
    CommitmentsPagesService,
  ],
  exports: [
    HistoricalCertificateImportService,
    CommitmentsService,
    CommitmentImportService,
    CommitmentPathwayService,
    CommitmentsPagesService,
  ],
})
export class FieldModule {}
