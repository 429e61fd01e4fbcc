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
export * from './dto/corrective-action.dto';
export { CorrectiveActionsService } from './actions/corrective-actions.service';
export { ImprovementPlanService } from './actions/improvement-plan.service';
export {
  ACTION_STATUSES,
  type ActionStatus,
  CorrectiveActionEntity,
} from './entities/corrective-action.entity';
export { CorrectiveActionCaseEntity } from './entities/corrective-action-case.entity';
export {
  ActionVerificationEntity,
  VERIFICATION_RESULTS,
  type VerificationResult,
} from './entities/action-verification.entity';
