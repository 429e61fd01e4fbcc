import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/common';
import {
  CreateQaReviewRequestDto,
  QaQualityDto,
  QaQualityService,
  QaReviewCloseRequestDto,
  QaReviewDto,
  QaReviewPageDto,
  QaReviewResponseRequestDto,
  QaReviewsQueryDto,
  QaReviewsService,
  QaSamplePageDto,
  QaSampleQueryDto,
} from '@app/field';
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

const VISIBILITY =
  'The secretariat sees every review; a certification body admin those of its own cases; institutions none.';

@ApiTags('qa-reviews')
@Controller('api/v1/qa-reviews')
export class QaReviewsController {
  constructor(
    private readonly reviews: QaReviewsService,
    private readonly quality: QaQualityService,
  ) {}

  @Get()
  @RequirePermission(Permission.QaReviewsRead)
  @ApiOperation({ summary: 'QA reviews of decided cases, newest first', description: VISIBILITY })
  @ApiOkResponse({ type: QaReviewPageDto })
  @ApiValidationErrors()
  list(@CurrentActor() actor: Actor, @Query() query: QaReviewsQueryDto): Promise<QaReviewPageDto> {
    return this.reviews.list(actor, query);
  }

  @Post()
  @RequirePermission(Permission.QaReviewsWrite)
  @Idempotent()
  @ApiOperation({
    summary: 'Review a decided case: findings addressed to its certification body',
    description:
      'The review carries the reasons the sampling job selected the case for (or `manual`). One open review per case.',
  })
  @ApiCreatedResponse({ type: QaReviewDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('ALREADY_EXISTS: the case has an open QA review')
  @ApiBusinessErrors('CASE_NOT_DECIDED')
  create(@CurrentActor() actor: Actor, @Body() body: CreateQaReviewRequestDto): Promise<QaReviewDto> {
    return this.reviews.create(actor, body);
  }

  @Get('sample')
  @RequirePermission(Permission.QaReviewsWrite)
  @ApiOperation({
    summary: 'Decisions the sampling job selected for review, with the reasons, draw and share',
    description: 'By default only those not reviewed yet (`unreviewedOnly=false` for all).',
  })
  @ApiOkResponse({ type: QaSamplePageDto })
  @ApiValidationErrors()
  sample(@CurrentActor() actor: Actor, @Query() query: QaSampleQueryDto): Promise<QaSamplePageDto> {
    return this.quality.sample(actor, query);
  }

  @Get('quality')
  @RequirePermission(Permission.QaReviewsRead)
  @ApiOperation({
    summary:
      'Quality per certification body: decisions checked and selected, flagged patterns, reviews, findings',
    description: 'The secretariat sees every body; a certification body admin its own line.',
  })
  @ApiOkResponse({ type: QaQualityDto })
  readQuality(@CurrentActor() actor: Actor): Promise<QaQualityDto> {
    return this.quality.quality(actor);
  }

  @Get(':reviewId')
  @RequirePermission(Permission.QaReviewsRead)
  @ApiOperation({ summary: 'One QA review with its findings and the response', description: VISIBILITY })
  @ApiOkResponse({ type: QaReviewDto })
  @ApiValidationErrors()
  @ApiNotFound()
  get(
    @CurrentActor() actor: Actor,
    @Param('reviewId', UuidParamPipe) reviewId: string,
  ): Promise<QaReviewDto> {
    return this.reviews.get(actor, reviewId);
  }

  @Post(':reviewId/response')
  @RequirePermission(Permission.QaReviewsRespond)
  @HttpCode(200)
  @ApiOperation({ summary: "The certification body's response to the review (once, while issued)" })
  @ApiOkResponse({ type: QaReviewDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('STALE_VERSION', 'INVALID_TRANSITION: already answered or closed')
  respond(
    @CurrentActor() actor: Actor,
    @Param('reviewId', UuidParamPipe) reviewId: string,
    @Body() body: QaReviewResponseRequestDto,
  ): Promise<QaReviewDto> {
    return this.reviews.respond(actor, reviewId, body);
  }

  @Post(':reviewId/close')
  @RequirePermission(Permission.QaReviewsWrite)
  @HttpCode(200)
  @ApiOperation({ summary: 'Close the review, answered or not, with a note' })
  @ApiOkResponse({ type: QaReviewDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('STALE_VERSION', 'INVALID_TRANSITION: already closed')
  close(
    @CurrentActor() actor: Actor,
    @Param('reviewId', UuidParamPipe) reviewId: string,
    @Body() body: QaReviewCloseRequestDto,
  ): Promise<QaReviewDto> {
    return this.reviews.close(actor, reviewId, body);
  }
}
