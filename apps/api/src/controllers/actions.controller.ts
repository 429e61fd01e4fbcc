import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/common';
import {
  ActionVerificationRequestDto,
  CaseActionsDto,
  CorrectiveActionDto,
  CorrectiveActionsService,
  CreateRecommendationRequestDto,
  ImprovementPlanDto,
  ImprovementPlanService,
  UpdateActionRequestDto,
} from '@app/findings';
import { Permission } from '@app/identity';
import {
  ApiBusinessErrors,
  ApiNotFound,
  ApiValidationErrors,
  ApiVersionConflict,
} from '../http/api-errors.decorator';
import { CertificateNumberPipe } from '../http/certificate-number.pipe';
import { CurrentActor } from '../http/current-actor.decorator';
import { Idempotent } from '../http/idempotency.interceptor';
import { RequirePermission } from '../http/route-access.decorator';
import { UuidParamPipe } from '../http/validation';

@ApiTags('action plans')
@Controller('api/v1')
export class ActionsController {
  constructor(
    private readonly actions: CorrectiveActionsService,
    private readonly plans: ImprovementPlanService,
  ) {}

  @Get('cases/:caseId/actions')
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({
    summary:
      "The case's corrective actions (its findings', its recommendations and those carried in from its certificate's plan), each with its verification in this case; the institution sees the case's own once findings are issued",
  })
  @ApiOkResponse({ type: CaseActionsDto })
  @ApiNotFound()
  list(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
  ): Promise<CaseActionsDto> {
    return this.actions.list(actor, caseId);
  }

  @Post('cases/:caseId/actions')
  @RequirePermission(Permission.FindingsWrite)
  @Idempotent()
  @ApiOperation({
    summary: 'Add a recommendation for the next level to the action plan (raters on the team)',
  })
  @ApiCreatedResponse({ type: CorrectiveActionDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('CASE_LOCKED')
  @ApiBusinessErrors('UNKNOWN_INDICATOR_CODES')
  recommend(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: CreateRecommendationRequestDto,
  ): Promise<CorrectiveActionDto> {
    return this.actions.createRecommendation(actor, caseId, body);
  }

  @Patch('actions/:actionId')
  @RequirePermission(Permission.ActionsUpdate)
  @ApiOperation({
    summary:
      'Update a corrective action in the case it is worked in (the institution: status open, in_progress or done, owner, due date, note, evidence of that case; raters: owner, due date, note)',
  })
  @ApiOkResponse({ type: CorrectiveActionDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('STALE_VERSION', 'CASE_LOCKED')
  @ApiBusinessErrors('EVIDENCE_NOT_IN_CASE')
  update(
    @CurrentActor() actor: Actor,
    @Param('actionId', UuidParamPipe) actionId: string,
    @Body() body: UpdateActionRequestDto,
  ): Promise<CorrectiveActionDto> {
    return this.actions.update(actor, actionId, body);
  }

  @Post('actions/:actionId/verification')
  @RequirePermission(Permission.ActionsVerify)
  @ApiOperation({
    summary:
      'Record whether a corrective action is verified (raters on the team of the case it is worked in)',
  })
  @ApiCreatedResponse({ type: CorrectiveActionDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('CASE_LOCKED')
  verify(
    @CurrentActor() actor: Actor,
    @Param('actionId', UuidParamPipe) actionId: string,
    @Body() body: ActionVerificationRequestDto,
  ): Promise<CorrectiveActionDto> {
    return this.actions.verify(actor, actionId, body);
  }

  @Get('certificates/:certificateNumber/improvement-plan')
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({
    summary:
      "The certificate's confidential improvement plan: the actions open at its decision (holder, secretariat, the certification body's admin and the teams of the certificate's cases; 404 to anyone else)",
  })
  @ApiParam({ name: 'certificateNumber', example: 'CPC-2026-0042' })
  @ApiOkResponse({ type: ImprovementPlanDto })
  @ApiNotFound()
  improvementPlan(
    @CurrentActor() actor: Actor,
    @Param('certificateNumber', CertificateNumberPipe) number: string,
  ): Promise<ImprovementPlanDto> {
    return this.plans.get(actor, number);
  }
}
