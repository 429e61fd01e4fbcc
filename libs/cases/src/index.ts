export {
  CASE_PROFILE_COLUMN,
  CASE_SNAPSHOT_COLUMNS,
  CaseAccessService,
  CaseRelation,
  type CaseSnapshot,
  type CaseSnapshotRow,
  type CaseTeam,
  snapshotOfRow,
  teamOf,
} from './case-access.service';
export {
  CASE_HISTORY_RULES,
  type EventRule,
  type EventVisibility,
  type HistoryParty,
  historyPartyOf,
  visibleHistoryEvent,
} from './case-history.policy';
export {
  CASE_EDIT_WINDOWS,
  CASE_EDITS,
  type CaseEdit,
  CaseEditWindow,
  type CaseLockMode,
  EditWindowClosedError,
  type LockedCase,
  lockCaseRow,
} from './case-edit-window';
export * from './case-status';
export { CasesModule } from './cases.module';
export { ImpartialityService } from './impartiality.service';
export { CaseLockedError, GuardFailedError, InvalidTransitionError, NotOnTeamError } from './cases.errors';
export * from './dto/case.dto';
export { CaseTeamMemberEntity } from './entities/case-team-member.entity';
export { CertificationCaseEntity, type MissionDetails } from './entities/certification-case.entity';
export { CoiDeclarationEntity } from './entities/coi-declaration.entity';
export {
  PRIOR_SERVICE_KINDS,
  PriorServiceEntity,
  type PriorServiceKind,
} from './entities/prior-service.entity';
export { CASE_ACTIONS, type CaseAction } from './transitions/case-action';
export {
  payloadOf,
  type TransitionContext,
  type TransitionEffect,
  type TransitionGuard,
} from './transitions/transition-context';
export {
  type CaseChoice,
  type CaseChoiceCheck,
  TransitionGuardRegistry,
} from './transitions/transition-guard.registry';
export { PAYLOAD_PARSERS, type TransitionPayloads } from './transitions/transition-payloads';
export { assertEditionOpenFor } from './transitions/case-guards';
export {
  type AppealResolutionData,
  type DecideData,
  type DecisionData,
  parseAppealResolutionData,
  parseDecisionData,
} from './transitions/decision-data';
export { TransitionService, type TransitionRequest } from './transitions/transition.service';
export {
  availableActions,
  type TransitionHookName,
  TRANSITIONS,
  type TransitionRule,
} from './transitions/transition-table';
export { CaseProfileService, caseProfileOf } from './use-cases/case-profile.service';
export { CaseQueriesService } from './use-cases/case-queries.service';
export { MissionService } from './use-cases/mission.service';
export { OpenCaseService } from './use-cases/open-case.service';
export { PriorServicesService } from './use-cases/prior-services.service';
export { TeamAssignmentService } from './use-cases/team-assignment.service';
export { CloseLapsedCasesService } from './use-cases/close-lapsed-cases.service';
