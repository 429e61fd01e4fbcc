import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/common';
import { Permission } from '@app/identity';
import { CrosswalkDto, CrosswalkSummaryDto, CrosswalksService } from '@app/standards';
import {
  ApiBusinessErrors,
  ApiNotFound,
  ApiValidationErrors,
  ApiVersionConflict,
} from '../http/api-errors.decorator';
import { CrosswalkIdPipe } from '../http/crosswalk-id.pipe';
import { CurrentActor, OptionalActor } from '../http/current-actor.decorator';
import { Idempotent } from '../http/idempotency.interceptor';
import { Public, RequirePermission } from '../http/route-access.decorator';

@ApiTags('standards')
@Controller('api/v1/crosswalks')
export class CrosswalksController {
  constructor(private readonly crosswalks: CrosswalksService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Published crosswalks (the secretariat also sees drafts)' })
  @ApiOkResponse({ type: CrosswalkSummaryDto, isArray: true })
  list(@OptionalActor() actor: Actor | null): Promise<CrosswalkSummaryDto[]> {
    return this.crosswalks.list(actor);
  }

  @Get('schema')
  @Public()
  @ApiOperation({ summary: 'The JSON Schema of a crosswalk document (what POST /crosswalks accepts)' })
  @ApiOkResponse({ schema: { type: 'object' } })
  schema(): object {
    return this.crosswalks.schema();
  }

  @Get(':id')
  @Public()
  @ApiOperation({ summary: 'A crosswalk with its mappings (drafts only for the secretariat)' })
  @ApiParam({ name: 'id', example: 'cps-2022-to-cps-2022-v3' })
  @ApiOkResponse({ type: CrosswalkDto })
  @ApiValidationErrors()
  @ApiNotFound()
  get(@OptionalActor() actor: Actor | null, @Param('id', CrosswalkIdPipe) id: string): Promise<CrosswalkDto> {
    return this.crosswalks.get(actor, id);
  }

  @Post()
  @RequirePermission(Permission.StandardsImport)
  @Idempotent()
  @ApiOperation({
    summary:
      'Import a draft crosswalk between two editions (or to Universal Standards codes, to: ussepm); every problem is reported with its path',
  })
  @ApiBody({
    description: 'A crosswalk document: GET /api/v1/crosswalks/schema',
    // The JSON Schema served at GET /api/v1/crosswalks/schema is the one list of the document's rules (the
    // importer validates against it): not repeated here.
    schema: { type: 'object' },
  })
  @ApiCreatedResponse({ type: CrosswalkSummaryDto })
  @ApiValidationErrors()
  @ApiVersionConflict('ALREADY_EXISTS')
  importDraft(@CurrentActor() actor: Actor, @Body() document: unknown): Promise<CrosswalkSummaryDto> {
    return this.crosswalks.importDraft(actor, document);
  }

  @Post(':id/publish')
  @RequirePermission(Permission.StandardsPublish)
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a draft crosswalk (both editions published); it never changes after' })
  @ApiParam({ name: 'id', example: 'cps-2022-to-cps-2022-v3' })
  @ApiOkResponse({ type: CrosswalkSummaryDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('CROSSWALK_ALREADY_PUBLISHED')
  @ApiBusinessErrors('EDITION_NOT_PUBLISHED')
  publish(
    @CurrentActor() actor: Actor,
    @Param('id', CrosswalkIdPipe) id: string,
  ): Promise<CrosswalkSummaryDto> {
    return this.crosswalks.publish(actor, id);
  }
}
