import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, PageQueryDto } from '@app/common';
import {
  CreateFindingRequestDto,
  FindingDto,
  FindingPageDto,
  FindingResolutionRequestDto,
  FindingResponseRequestDto,
  FindingsService,
  UpdateFindingRequestDto,
} from '@app/findings';
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

@ApiTags('findings')
@Controller('api/v1')
export class FindingsController {
  constructor(private readonly findings: FindingsService) {}

  @Post('cases/:caseId/findings')
  @RequirePermission(Permission.FindingsWrite)
  @Idempotent()
  @ApiOperation({ summary: 'Record a finding (raters on the team, while onsite or findings issued)' })
  @ApiCreatedResponse({ type: FindingDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('CASE_LOCKED')
  @ApiBusinessErrors('UNKNOWN_INDICATOR_CODES')
  create(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: CreateFindingRequestDto,
  ): Promise<FindingDto> {
    return this.findings.create(actor, caseId, body);
  }

  @Get('cases/:caseId/findings')
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({ summary: 'Findings with responses; the institution sees them once findings are issued' })
  @ApiOkResponse({ type: FindingPageDto })
  @ApiNotFound()
  list(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Query() query: PageQueryDto,
  ): Promise<FindingPageDto> {
    return this.findings.list(actor, caseId, query);
  }

  @Patch('findings/:findingId')
  @RequirePermission(Permission.FindingsWrite)
  @ApiOkResponse({ type: FindingDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('STALE_VERSION', 'CASE_LOCKED')
  @ApiBusinessErrors('UNKNOWN_INDICATOR_CODES')
  @ApiOperation({ summary: 'Update a finding' })
  update(
    @CurrentActor() actor: Actor,
    @Param('findingId', UuidParamPipe) findingId: string,
    @Body() body: UpdateFindingRequestDto,
  ): Promise<FindingDto> {
    return this.findings.update(actor, findingId, body);
  }

  @Post('findings/:findingId/responses')
  @RequirePermission(Permission.FindingsRespond)
  @Idempotent()
  @ApiOperation({ summary: "The institution's answer, with corrective evidence of the same case" })
  @ApiCreatedResponse({ type: FindingDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('CASE_LOCKED')
  @ApiBusinessErrors('EVIDENCE_NOT_IN_CASE')
  respond(
    @CurrentActor() actor: Actor,
    @Param('findingId', UuidParamPipe) findingId: string,
    @Body() body: FindingResponseRequestDto,
  ): Promise<FindingDto> {
    return this.findings.respond(actor, findingId, body);
  }

  @Post('findings/:findingId/resolution')
  @RequirePermission(Permission.FindingsWrite)
  @ApiOperation({ summary: "The rater's resolution of a finding" })
  @ApiCreatedResponse({ type: FindingDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('CASE_LOCKED')
  resolve(
    @CurrentActor() actor: Actor,
    @Param('findingId', UuidParamPipe) findingId: string,
    @Body() body: FindingResolutionRequestDto,
  ): Promise<FindingDto> {
    return this.findings.resolve(actor, findingId, body);
  }
}
