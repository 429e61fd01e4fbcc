import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '@app/common';
import { Permission } from '@app/identity';
import { EditionLanguageQueryDto, EditionSummaryDto, StandardsService } from '@app/standards';
import { ApiNotFound, ApiValidationErrors, ApiVersionConflict } from '../http/api-errors.decorator';
import { CurrentActor, OptionalActor } from '../http/current-actor.decorator';
import { Public, RequirePermission } from '../http/route-access.decorator';
import { EditionIdPipe } from '../http/edition-id.pipe';
import { Idempotent } from '../http/idempotency.interceptor';

@ApiTags('standards')
@Controller('api/v1/standards')
export class StandardsController {
  constructor(private readonly standards: StandardsService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Published editions (the secretariat also sees drafts)' })
  @ApiOkResponse({ type: EditionSummaryDto, isArray: true })
  list(@OptionalActor() actor: Actor | null): Promise<EditionSummaryDto[]> {
    return this.standards.list(actor);
  }

  @Get('schema')
  @Public()
  @ApiOperation({ summary: 'The JSON Schema of the edition document v2 (what POST /standards accepts)' })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: true } })
  schema(): object {
    return this.standards.schema();
  }

  @Get(':editionId')
  @Public()
  @ApiOperation({
    summary:
      'The edition document v2; with lang, every text in that language (English where untranslated), without, every language (the document POST /standards accepts)',
  })
  @ApiParam({ name: 'editionId', example: 'cps-2016' })
  @ApiQuery({ name: 'lang', required: false, example: 'fr' })
  @ApiOkResponse({
    schema: { type: 'object', additionalProperties: true, description: 'See GET /api/v1/standards/schema' },
  })
  @ApiValidationErrors()
  @ApiNotFound()
  get(
    @OptionalActor() actor: Actor | null,
    @Param('editionId', EditionIdPipe) editionId: string,
    @Query() query: EditionLanguageQueryDto,
  ): Promise<object> {
    return this.standards.getDocument(actor, editionId, query.lang);
  }

  @Post()
  @RequirePermission(Permission.StandardsImport)
  @Idempotent()
  @ApiOperation({ summary: 'Import a draft edition; every problem is reported with its path' })
  @ApiBody({
    description:
      'An edition document v2 (GET /api/v1/standards/schema) or v1 (principles → standards → indicators), converted to v2',
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiCreatedResponse({ type: EditionSummaryDto })
  @ApiValidationErrors()
  @ApiVersionConflict('ALREADY_EXISTS')
  importDraft(@CurrentActor() actor: Actor, @Body() document: unknown): Promise<EditionSummaryDto> {
    return this.standards.importDraft(actor, document);
  }

  @Post(':editionId/publish')
  @RequirePermission(Permission.StandardsPublish)
  @HttpCode(200)
  @ApiParam({ name: 'editionId', example: 'cps-2016' })
  @ApiOkResponse({ type: EditionSummaryDto })
  @ApiNotFound()
  @ApiVersionConflict('EDITION_ALREADY_PUBLISHED')
  publish(
    @CurrentActor() actor: Actor,
    @Param('editionId', EditionIdPipe) editionId: string,
  ): Promise<EditionSummaryDto> {
    return this.standards.publish(actor, editionId);
  }
}
