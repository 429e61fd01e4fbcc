export * from './dto/finding.dto';
export { FindingResponseEntity } from './entities/finding-response.entity';
export {
  FINDING_SEVERITIES,
  FINDING_STATUSES,
  FindingEntity,
  type FindingSeverity,
  type FindingStatus,
} from './entities/finding.entity';
export { FindingsModule } from './findings.module';
export { FindingsService } from './findings.service';
