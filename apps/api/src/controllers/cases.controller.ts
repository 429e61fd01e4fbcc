import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AmendCaseProfileRequestDto,
  AssignTeamRequestDto,
  CaseDto,
  CasePageDto,
  CaseProfileService,
  CaseQueriesService,
  ConflictDeclarationDto,
  ConflictDeclarationRequestDto,
  CreateCaseRequestDto,
  HistoryEventDto,
  ListCasesQueryDto,
  MissionRequestDto,
  MissionService,
  OpenCaseService,
  TeamAssignmentService,
  TransitionRequestDto,
  TransitionService,
  UpdateCaseRequestDto,
} from '@app/cases';
import type { Actor } from '@app/common';
import { Permission } from '@app/identity';
import {
  ApiBusinessErrors,
  ApiNotFound,
  ApiValidationErrors,
  ApiVersionConflict,
} from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { Idempotent } from '../http/idempotency.interceptor';
import { RequirePermission } from '../http/route-access.decorator';
import { UuidParamPipe } from '../http/validation';

@ApiTags('cases')
@Controller('api/v1/cases')
export class CasesController {
  constructor(
    private readonly openCases: OpenCaseService,
    private readonly queries: CaseQueriesService,
    private readonly transitions: TransitionService,
    private readonly teams: TeamAssignmentService,
    private readonly missions: MissionService,
    private readonly profiles: CaseProfileService,
  ) {}

  @Post()
  @RequirePermission(Permission.CasesCreate)
  @Idempotent()
  @ApiOperation({ summary: 'Open a draft case for your institution' })
  @ApiCreatedResponse({ type: CaseDto })
  @ApiValidationErrors()
  @ApiBusinessErrors(
    'EDITION_NOT_PUBLISHED',
    'EDITION_CLOSED',
    'ORGANIZATION_NOT_CERTIFIER',
    'CERTIFIER_NOT_LICENSED',
    'CERTIFICATE_NOT_HELD',
    'CERTIFICATE_NOT_CHECKABLE',
    'CERTIFICATE_NOT_RENEWABLE',
  )
  create(@CurrentActor() actor: Actor, @Body() body: CreateCaseRequestDto): Promise<CaseDto> {
    return this.openCases.create(actor, body);
  }

  @Get()
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({ summary: 'The cases the caller may see' })
  @ApiOkResponse({ type: CasePageDto })
  @ApiValidationErrors()
  list(@CurrentActor() actor: Actor, @Query() query: ListCasesQueryDto): Promise<CasePageDto> {
    return this.queries.list(actor, query);
  }

  @Get(':caseId')
  @RequirePermission(Permission.CasesRead)
  @ApiOkResponse({ type: CaseDto })
  @ApiNotFound()
  @ApiOperation({ summary: 'One certification case' })
  get(@CurrentActor() actor: Actor, @Param('caseId', UuidParamPipe) caseId: string): Promise<CaseDto> {
    return this.queries.get(actor, caseId);
  }

  @Patch(':caseId')
  @RequirePermission(Permission.CasesUpdate)
  @ApiOperation({ summary: 'Change edition, certifier or type while the case is a draft' })
  @ApiOkResponse({ type: CaseDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('STALE_VERSION', 'CASE_LOCKED')
  @ApiBusinessErrors(
    'EDITION_NOT_PUBLISHED',
    'EDITION_CLOSED',
    'ORGANIZATION_NOT_CERTIFIER',
    'CERTIFIER_NOT_LICENSED',
    'CERTIFICATE_NOT_HELD',
    'CERTIFICATE_NOT_CHECKABLE',
    'CERTIFICATE_NOT_RENEWABLE',
  )
  update(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: UpdateCaseRequestDto,
  ): Promise<CaseDto> {
    return this.openCases.updateDraft(actor, caseId, body);
  }

  @Post(':caseId/transitions')
  @RequirePermission(Permission.CasesTransition)
  @HttpCode(200)
  @ApiOperation({ summary: 'Take an action of the case state machine' })
  @ApiOkResponse({ type: CaseDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('STALE_VERSION', 'INVALID_TRANSITION')
  @ApiBusinessErrors(
    'INSTITUTION_PROFILE_MISSING',
    'SELF_ASSESSMENT_INCOMPLETE',
    'CERTIFIER_NOT_LICENSED',
    'TEAM_MEMBER_INVALID',
    'CONFLICT_OF_INTEREST',
    'MISSION_NOT_SET',
    'TEAM_CONFLICT_UNDECLARED',
    'EDITION_CLOSED',
    'CERTIFICATE_NOT_HELD',
    'CERTIFICATE_NOT_CHECKABLE',
    'CERTIFICATE_NOT_RENEWABLE',
    'APPEAL_WINDOW_OPEN',
    'ESCALATION_WINDOW_OPEN',
    'ESCALATION_WINDOW_CLOSED',
  )
  transition(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: TransitionRequestDto,
  ): Promise<CaseDto> {
    return this.transitions.apply(actor, caseId, body);
  }

  @Get(':caseId/history')
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({ summary: "The case's audit events, oldest first" })
  @ApiOkResponse({ type: HistoryEventDto, isArray: true })
  @ApiNotFound()
  history(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
  ): Promise<HistoryEventDto[]> {
    return this.queries.history(actor, caseId);
  }

  @Put(':caseId/team')
  @RequirePermission(Permission.CaseTeamManage)
  @ApiOkResponse({ type: CaseDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('STALE_VERSION', 'CASE_LOCKED')
  @ApiBusinessErrors('CONFLICT_OF_INTEREST', 'COMMITTEE_NOT_INDEPENDENT', 'TEAM_MEMBER_INVALID')
  @ApiOperation({ summary: "Assign the case's rating team and committee" })
  assignTeam(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: AssignTeamRequestDto,
  ): Promise<CaseDto> {
    return this.teams.assignTeam(actor, caseId, body);
  }

  @Post(':caseId/coi-declarations')
  @RequirePermission(Permission.CaseConflictDeclare)
  @Idempotent()
  @ApiOperation({ summary: 'Declare (no) conflict of interest for this case, as a member of its team' })
  @ApiCreatedResponse({ type: ConflictDeclarationDto })
  @ApiValidationErrors()
  @ApiNotFound()
  declareConflict(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: ConflictDeclarationRequestDto,
  ): Promise<ConflictDeclarationDto> {
    return this.teams.declareConflict(actor, caseId, body);
  }

  @Put(':caseId/mission')
  @RequirePermission(Permission.CaseMissionManage)
  @ApiOkResponse({ type: CaseDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('STALE_VERSION', 'CASE_LOCKED')
  @ApiOperation({ summary: "Set the case's onsite mission" })
  setMission(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: MissionRequestDto,
  ): Promise<CaseDto> {
    return this.missions.setMission(actor, caseId, body);
  }

  @Put(':caseId/profile')
  @RequirePermission(Permission.CaseProfileAmend)
  @ApiOperation({
    summary:
      "Amend the case's submitted institution profile (lead rater; desk_review, onsite, findings_issued)",
    description:
      'The profile snapshotted at submit decides applicability; the amendment is audited with the profile ' +
      'before and after and the reason, and applicability follows it at once.',
  })
  @ApiOkResponse({ type: CaseDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('STALE_VERSION', 'CASE_LOCKED')
  amendProfile(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: AmendCaseProfileRequestDto,
  ): Promise<CaseDto> {
    return this.profiles.amend(actor, caseId, body);
  }
}
