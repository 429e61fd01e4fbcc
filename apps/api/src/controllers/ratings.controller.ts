import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  RatingsDto,
  RatingsService,
  SavedRatingsDto,
  ResultsDto,
  ResultsService,
  SaveRatingsRequestDto,
} from '@app/assessment';
import type { Actor } from '@app/common';
import type { Response } from 'express';
import { Permission } from '@app/identity';
import {
  ApiBusinessErrors,
  ApiNotFound,
  ApiValidationErrors,
  ApiVersionConflict,
} from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { renderedBody } from '../http/rendered-json';
import { RequirePermission } from '../http/route-access.decorator';
import { UuidParamPipe } from '../http/validation';

@ApiTags('assessment')
@Controller('api/v1/cases/:caseId')
export class RatingsController {
  constructor(
    private readonly ratings: RatingsService,
    private readonly results: ResultsService,
  ) {}

  @Put('ratings')
  @RequirePermission(Permission.RatingsWrite)
  @ApiOperation({
    summary: 'Save ratings (raters on the team, while onsite or findings issued); all or nothing',
  })
  @ApiOkResponse({ type: SavedRatingsDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('STALE_VERSION', 'CASE_LOCKED')
  @ApiBusinessErrors('UNKNOWN_INDICATOR_CODES', 'EVIDENCE_NOT_IN_CASE')
  save(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: SaveRatingsRequestDto,
  ): Promise<SavedRatingsDto> {
    return this.ratings.save(actor, caseId, body);
  }

  @Get('ratings')
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({
    summary: 'Every indicator with its rating; the institution sees them once findings are issued',
  })
  @ApiOkResponse({ type: RatingsDto })
  @ApiNotFound()
  async list(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return renderedBody(response, await this.ratings.rendered(actor, caseId));
  }

  @Get('results')
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({
    summary: "Roll-up per indicator, standard and principle, gaps, the decision rule's outcome",
  })
  @ApiOkResponse({ type: ResultsDto })
  @ApiNotFound()
  async getResults(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    return renderedBody(response, await this.results.rendered(actor, caseId));
  }
}
