import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SelfAssessmentDto, SelfAssessmentRequestDto, SelfAssessmentService } from '@app/assessment';
import type { Actor } from '@app/common';
import { Permission } from '@app/identity';
import {
  ApiBusinessErrors,
  ApiNotFound,
  ApiValidationErrors,
  ApiVersionConflict,
} from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { RequirePermission } from '../http/route-access.decorator';
import { UuidParamPipe } from '../http/validation';

@ApiTags('assessment')
@Controller('api/v1/cases/:caseId/self-assessment')
export class SelfAssessmentController {
  constructor(private readonly selfAssessments: SelfAssessmentService) {}

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
}
