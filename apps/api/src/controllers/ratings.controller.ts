import { Body, Controller, Get, Param, Put, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  RatingsDto,
  RatingsService,
  SavedRatingsDto,
  ResultsDto,
  ResultsService,
  SaveRatingsRequestDto,
} from '@app/assessment';
import type { Actor, RenderedJson } from '@app/common';
import { Permission } from '@app/identity';
import {
  ApiBusinessErrors,
  ApiNotFound,
  ApiValidationErrors,
  ApiVersionConflict,
} from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { RenderedJsonInterceptor } from '../http/rendered-json.interceptor';
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
  @UseInterceptors(RenderedJsonInterceptor)
  list(@CurrentActor() actor: Actor, @Param('caseId', UuidParamPipe) caseId: string): Promise<RenderedJson> {
    return this.ratings.rendered(actor, caseId);
  }

  @Get('results')
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({
    summary: "Roll-up per indicator, standard and principle, gaps, the decision rule's outcome",
  })
  @ApiOkResponse({ type: ResultsDto })
  @ApiNotFound()
  @UseInterceptors(RenderedJsonInterceptor)
  getResults(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
  ): Promise<RenderedJson> {
    return this.results.rendered(actor, caseId);
  }
}
