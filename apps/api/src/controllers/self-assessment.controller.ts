import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  PrefillQueryDto,
  PrefillRequestDto,
  PrefillResultDto,
  SelfAssessmentDto,
  SelfAssessmentPrefillService,
  SelfAssessmentRequestDto,
  SelfAssessmentService,
} from '@app/assessment';
import type { Actor } from '@app/common';
import { Permission } from '@app/identity';
import { SelfAssessmentPrefillWorkbookService, WORKBOOK_UPLOAD_SCHEMA } from '@app/workbooks';
import type { Request } from 'express';
import {
  ApiBusinessErrors,
  ApiNotFound,
  ApiValidationErrors,
  ApiVersionConflict,
} from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { RequirePermission } from '../http/route-access.decorator';
import { UuidParamPipe } from '../http/validation';

@ApiTags('assessment')
@ApiExtraModels(PrefillRequestDto)
@Controller('api/v1/cases/:caseId/self-assessment')
export class SelfAssessmentController {
  constructor(
    private readonly selfAssessments: SelfAssessmentService,
    private readonly prefills: SelfAssessmentPrefillService,
    private readonly workbookPrefills: SelfAssessmentPrefillWorkbookService,
  ) {}

  @Get()
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({
    summary: 'Every indicator of the edition with its applicability and the institution answer',
  })
  @ApiOkResponse({ type: SelfAssessmentDto })
  @ApiNotFound()
  get(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
  ): Promise<SelfAssessmentDto> {
    return this.selfAssessments.get(actor, caseId);
  }

  @Put()
  @RequirePermission(Permission.SelfAssessmentWrite)
  @ApiOperation({ summary: 'Save answers (upsert by indicator) while the case is a draft; all or nothing' })
  @ApiOkResponse({ type: SelfAssessmentDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('CASE_LOCKED')
  @ApiBusinessErrors('UNKNOWN_INDICATOR_CODES', 'INDICATOR_NOT_APPLICABLE')
  save(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: SelfAssessmentRequestDto,
  ): Promise<SelfAssessmentDto> {
    return this.selfAssessments.save(actor, caseId, body);
  }

  @Post('prefill')
  @HttpCode(200)
  @RequirePermission(Permission.SelfAssessmentPrefill)
  @ApiOperation({
    summary:
      "Pre-fill the draft's self-assessment from a previous case of the institution ({ fromCaseId }) or an uploaded self-assessment workbook (multipart file), the same edition or another through a published crosswalk",
    description:
      'Each pre-filled answer carries source { kind, ref, mappingKind } and confirmed: false; answers through partial, broader or narrower mappings (or from disagreeing sources) have needsReview: true. Nothing pre-filled counts (completeness, submit, results deltas) until the institution saves the answer (PUT /self-assessment confirms it). Confirmed answers are never overwritten; unconfirmed ones are replaced by a new pre-fill.',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    schema: {
      oneOf: [{ $ref: getSchemaPath(PrefillRequestDto) }, WORKBOOK_UPLOAD_SCHEMA],
    },
  })
  @ApiOkResponse({ type: PrefillResultDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('CASE_LOCKED: the case is no longer a draft')
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'PAYLOAD_TOO_LARGE: the workbook' })
  @ApiBusinessErrors(
    'PREFILL_SOURCE_NOT_FOUND: fromCaseId is not another case of this institution',
    'CROSSWALK_NOT_AVAILABLE',
    'WORKBOOK_NOT_FOR_CASE',
    'WORKBOOK_UNREADABLE',
    'WORKBOOK_ROWS_INVALID',
  )
  prefill(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: PrefillRequestDto,
    @Query() query: PrefillQueryDto,
    @Req() request: Request,
  ): Promise<PrefillResultDto> {
    return request.is('multipart/form-data')
      ? this.workbookPrefills.prefillFromWorkbook(actor, caseId, request, query)
      : this.prefills.fromCase(actor, caseId, body, query);
  }
}
