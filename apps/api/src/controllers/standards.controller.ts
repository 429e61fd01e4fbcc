import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtension,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '@app/common';
import { Permission } from '@app/identity';
import { EditionLanguageQueryDto, EditionSummaryDto, StandardsService } from '@app/standards';
import { attachmentDisposition } from '@app/storage';
import { EditionWorkbookService, WORKBOOK_UPLOAD_SCHEMA } from '@app/workbooks';
import type { Request, Response } from 'express';
import {
  ApiBusinessErrors,
  ApiNotFound,
  ApiValidationErrors,
  ApiVersionConflict,
} from '../http/api-errors.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { CurrentActor, OptionalActor } from '../http/current-actor.decorator';
import { Public, RequirePermission } from '../http/route-access.decorator';
import { EditionIdPipe } from '../http/edition-id.pipe';
import { Idempotent } from '../http/idempotency.interceptor';
import { uploadedWorkbook, WorkbookUploadInterceptor } from '../http/workbook-upload.interceptor';
import { REQUEST_CONTENT_EXTENSION } from '../openapi';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('standards')
@Controller('api/v1/standards')
export class StandardsController {
  constructor(
    private readonly standards: StandardsService,
    private readonly editionWorkbooks: EditionWorkbookService,
  ) {}

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

  @Get(':editionId/workbook')
  @Public()
  @ApiOperation({
    summary:
      'The edition document as an .xlsx workbook (sheets Edition, Levels, Drivers, Scale, Decision rule, Items; every language), which POST /standards imports back; who may read the edition may read it',
  })
  @ApiParam({ name: 'editionId', example: 'cps-2022-v3' })
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: 'The .xlsx workbook', schema: { type: 'string', format: 'binary' } })
  @ApiValidationErrors()
  @ApiNotFound()
  async exportWorkbook(
    @OptionalActor() actor: Actor | null,
    @Param('editionId', EditionIdPipe) editionId: string,
    @Res() response: Response,
  ): Promise<void> {
    const file = await this.editionWorkbooks.export(actor, editionId);
    response.setHeader('Cache-Control', 'private, no-store');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Content-Disposition', attachmentDisposition(file.fileName));
    response.type(XLSX).status(200).send(file.bytes);
  }

  @Post()
  @RequirePermission(Permission.StandardsImport)
  @Idempotent()
  // After @Idempotent(): reads a multipart workbook before the idempotency fingerprint is taken.
  @UseInterceptors(WorkbookUploadInterceptor)
  @ApiOperation({
    summary:
      'Import a draft edition: the JSON document, or a multipart file workbook (GET /standards/:id/workbook); every problem is reported with its path, and for a workbook with its sheet, row and column',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    description:
      'application/json: an edition document v2 (GET /api/v1/standards/schema) or v1 (principles → standards → indicators), converted to v2. multipart/form-data: one part `file`, the edition workbook (.xlsx) in the layout GET /api/v1/standards/{editionId}/workbook exports (README, "Editions as workbooks").',
    schema: { type: 'object', additionalProperties: true },
  })
  @ApiExtension(REQUEST_CONTENT_EXTENSION, {
    'application/json': {
      schema: { type: 'object', description: 'The edition document (GET /api/v1/standards/schema)' },
    },
    'multipart/form-data': { schema: WORKBOOK_UPLOAD_SCHEMA },
  })
  @ApiCreatedResponse({ type: EditionSummaryDto })
  @ApiValidationErrors()
  @ApiVersionConflict('ALREADY_EXISTS')
  @ApiPayloadTooLargeResponse({
    type: ErrorResponseDto,
    description:
      'PAYLOAD_TOO_LARGE: a workbook over 10 MB, a hostile zip (entries, expansion) or over 5,000 rows',
  })
  @ApiBusinessErrors(
    'WORKBOOK_UNREADABLE: the file is not an .xlsx workbook',
    "WORKBOOK_ROWS_INVALID: the workbook has problems; details name each one's sheet, row, column (and the document path)",
  )
  importDraft(
    @CurrentActor() actor: Actor,
    @Body() document: unknown,
    @Req() request: Request,
  ): Promise<EditionSummaryDto> {
    const workbook = uploadedWorkbook(request);
    return workbook
      ? this.editionWorkbooks.import(actor, workbook)
      : this.standards.importDraft(actor, document);
  }

  @Post(':editionId/publish')
  @RequirePermission(Permission.StandardsPublish)
  @HttpCode(200)
  @ApiParam({ name: 'editionId', example: 'cps-2016' })
  @ApiOkResponse({ type: EditionSummaryDto })
  @ApiNotFound()
  @ApiVersionConflict('EDITION_ALREADY_PUBLISHED')
  @ApiOperation({ summary: 'Publish a draft edition of the standard' })
  publish(
    @CurrentActor() actor: Actor,
    @Param('editionId', EditionIdPipe) editionId: string,
  ): Promise<EditionSummaryDto> {
    return this.standards.publish(actor, editionId);
  }
}
