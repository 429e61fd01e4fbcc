export {
  CaseAccessService,
  CaseRelation,
  type CaseSnapshot,
  type CaseTeam,
  teamOf,
} from './case-access.service';
export * from './case-status';
export { CasesModule } from './cases.module';
export { CaseTeamMemberEntity } from './entities/case-team-member.entity';
export { CertificationCaseEntity, type MissionDetails } from './entities/certification-case.entity';
export { CoiDeclarationEntity } from './entities/coi-declaration.entity';
export {
  PRIOR_SERVICE_KINDS,
  PriorServiceEntity,
  type PriorServiceKind,
} from './entities/prior-service.entity';
