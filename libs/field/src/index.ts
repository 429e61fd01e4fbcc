export { FieldModule } from './field.module';
export { normalizeOrganizationName } from './organization-name.util';
export { readUploadedFile, type UploadedRequest } from './uploads/uploaded-file.reader';
export * from './commitments/dto/commitment.dto';
export {
  COMMITMENT_KINDS,
  CommitmentEntity,
  type CommitmentKind,
  PATHWAY_STATUSES,
  type PathwayStatus,
} from './commitments/entities/commitment.entity';
export { CommitmentsService } from './commitments/commitments.service';
export { CommitmentImportService } from './commitments/commitment-import.service';
export { CommitmentPathwayService, type PathwayRunCounts } from './commitments/commitment-pathway.service';
export { pathwayOf } from './commitments/commitment-pathway.rule';
export { CommitmentsPagesService } from './pages/commitments-pages.service';
export { HistoricalCertificateImportService } from './historical/historical-certificate-import.service';
export { ANONYMITY_THRESHOLD } from './benchmarks/anonymity.util';
export * from './benchmarks/benchmarks.dto';
export { BenchmarksService } from './benchmarks/benchmarks.service';
export {
  BENCHMARK_REFRESH_INTERVAL_MS,
  type BenchmarkRefresh,
  BenchmarkSummaryService,
} from './benchmarks/benchmark-summary.service';
export { BenchmarksPageService } from './pages/benchmarks-page.service';
export { FIELD_PAGE_STYLE_SOURCE } from './pages/page-layout';
export * from './qa/dto/qa-review.dto';
export { QA_REASONS, type QaReason, qaDraw } from './qa/qa-sampling.rule';
export { QA_SAMPLING_BATCH, QaSamplingService, type QaSamplingCounts } from './qa/qa-sampling.service';
export { QaReviewsService } from './qa/qa-reviews.service';
export { QaQualityService } from './qa/qa-quality.service';
