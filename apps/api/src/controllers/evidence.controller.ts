import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiFoundResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { type Actor, PageQueryDto } from '@app/common';
import {
  AddEvidenceVersionService,
  CreateEvidenceRequestDto,
  DeleteEvidenceService,
  EVIDENCE_UPLOAD_SCHEMA,
  EVIDENCE_VERSION_SCHEMA,
  EvidenceContentQueryDto,
  EvidenceDetailDto,
  EvidenceDto,
  EvidencePageDto,
  EvidenceQueriesService,
  EvidenceRequestDto,
  EvidenceRequestPageDto,
  EvidenceRequestsService,
  EvidenceVersionDto,
  ListEvidenceQueryDto,
  OpenEvidenceContentService,
  UploadEvidenceService,
} from '@app/evidence';
import { Permission } from '@app/identity';
import type { Request, Response } from 'express';
import {
  ApiBusinessErrors,
  ApiNotFound,
  ApiValidationErrors,
  ApiVersionConflict,
} from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { sendEvidenceContent } from '../http/evidence-download';
import { Idempotent } from '../http/idempotency.interceptor';
import { RequirePermission } from '../http/route-access.decorator';
import { UuidParamPipe } from '../http/validation';
import { RateLimit } from '../http/rate-limit.guard';

/** The answers every streamed upload may give besides its own. */
const ApiUploadErrors = () =>
  applyDecorators(
    ApiConsumes('multipart/form-data'),
    ApiValidationErrors(),
    ApiNotFound(),
    ApiVersionConflict('EVIDENCE_LOCKED: the case status does not allow it'),
    ApiPayloadTooLargeResponse({
      type: ErrorResponseDto,
      description: 'PAYLOAD_TOO_LARGE: over EVIDENCE_MAX_BYTES',
    }),
    ApiUnsupportedMediaTypeResponse({
      type: ErrorResponseDto,
      description:
        'UNSUPPORTED_MEDIA_TYPE: the content is not an accepted type, or not the one its name claims',
    }),
    ApiServiceUnavailableResponse({
      type: ErrorResponseDto,
      description: 'STORAGE_UNAVAILABLE: nothing was stored',
    }),
  );

@ApiTags('evidence')
@Controller('api/v1')
export class EvidenceController {
  constructor(
    private readonly uploads: UploadEvidenceService,
    private readonly versions: AddEvidenceVersionService,
    private readonly deletions: DeleteEvidenceService,
    private readonly queries: EvidenceQueriesService,
    private readonly contents: OpenEvidenceContentService,
    private readonly requests: EvidenceRequestsService,
  ) {}

  @Post('cases/:caseId/evidence')
  @RateLimit('upload')
  @RequirePermission(Permission.EvidenceUpload)
  @Idempotent()
  @ApiOperation({
    summary: 'Upload evidence (streamed multipart; send the text fields before the file)',
    description:
      "The case institution's users before the committee, the mission team's raters during desk review, " +
      'onsite and findings. The Idempotency-Key of an upload is matched on the key alone, not on the file.',
  })
  @ApiBody({ schema: EVIDENCE_UPLOAD_SCHEMA })
  @ApiCreatedResponse({ type: EvidenceDto })
  @ApiUploadErrors()
  @ApiBusinessErrors('UNKNOWN_INDICATOR_CODES')
  upload(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Req() request: Request,
  ): Promise<EvidenceDto> {
    return this.uploads.upload(actor, caseId, request);
  }

  @Get('cases/:caseId/evidence')
  @RequirePermission(Permission.EvidenceRead)
  @ApiOperation({ summary: 'The latest version of each piece of evidence of the case, newest first' })
  @ApiOkResponse({ type: EvidencePageDto })
  @ApiValidationErrors()
  @ApiNotFound()
  list(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Query() query: ListEvidenceQueryDto,
  ): Promise<EvidencePageDto> {
    return this.queries.list(actor, caseId, query);
  }

  @Get('evidence/:evidenceId')
  @RequirePermission(Permission.EvidenceRead)
  @ApiOperation({ summary: 'A piece of evidence with all its versions' })
  @ApiOkResponse({ type: EvidenceDetailDto })
  @ApiValidationErrors()
  @ApiNotFound()
  get(
    @CurrentActor() actor: Actor,
    @Param('evidenceId', UuidParamPipe) evidenceId: string,
  ): Promise<EvidenceDetailDto> {
    return this.queries.get(actor, evidenceId);
  }

  @Post('evidence/:evidenceId/versions')
  @RateLimit('upload')
  @RequirePermission(Permission.EvidenceUpload)
  @Idempotent()
  @ApiOperation({ summary: 'Upload a new version of a piece of evidence (streamed multipart `file`)' })
  @ApiBody({ schema: EVIDENCE_VERSION_SCHEMA })
  @ApiCreatedResponse({ type: EvidenceVersionDto })
  @ApiUploadErrors()
  addVersion(
    @CurrentActor() actor: Actor,
    @Param('evidenceId', UuidParamPipe) evidenceId: string,
    @Req() request: Request,
  ): Promise<EvidenceVersionDto> {
    return this.versions.addVersion(actor, evidenceId, request);
  }

  @Get('evidence/:evidenceId/content')
  @RequirePermission(Permission.EvidenceRead)
  @ApiOperation({
    summary: 'Download a version (default the latest) as an attachment',
    description: 'With S3 storage and `delivery=redirect`: 302 to a presigned URL valid at most 300 seconds.',
  })
  @ApiOkResponse({
    description:
      "The bytes, as the file's own media type (the one recorded at upload: PDF, image, spreadsheet, text…)",
    content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
    headers: {
      'Content-Disposition': { description: 'attachment, with the file name', schema: { type: 'string' } },
      'X-Checksum-Sha256': { description: "The version's SHA-256 (hex)", schema: { type: 'string' } },
    },
  })
  @ApiFoundResponse({
    description: 'Location: a presigned URL valid at most 300 seconds',
    headers: { Location: { description: 'The presigned URL', schema: { type: 'string', format: 'uri' } } },
  })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'STORAGE_UNAVAILABLE' })
  async content(
    @CurrentActor() actor: Actor,
    @Param('evidenceId', UuidParamPipe) evidenceId: string,
    @Query() query: EvidenceContentQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    await sendEvidenceContent(response, await this.contents.open(actor, evidenceId, query));
  }

  @Delete('evidence/:evidenceId')
  @RequirePermission(Permission.EvidenceDelete)
  @HttpCode(204)
  @ApiOperation({
    summary: "Hide a piece of evidence (the case institution's admin, before onsite); the bytes are kept",
  })
  @ApiNoContentResponse({ description: 'Hidden from lists; the bytes stay for the audit trail' })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('EVIDENCE_LOCKED: the onsite visit has started')
  delete(
    @CurrentActor() actor: Actor,
    @Param('evidenceId', UuidParamPipe) evidenceId: string,
  ): Promise<void> {
    return this.deletions.delete(actor, evidenceId);
  }

  @Post('cases/:caseId/evidence-requests')
  @RequirePermission(Permission.EvidenceRequestsCreate)
  @Idempotent()
  @ApiOperation({ summary: 'Request evidence on indicators by a due date (raters on the mission team)' })
  @ApiCreatedResponse({ type: EvidenceRequestDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('EVIDENCE_LOCKED: only during desk review, onsite and findings')
  @ApiBusinessErrors('UNKNOWN_INDICATOR_CODES')
  createRequest(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: CreateEvidenceRequestDto,
  ): Promise<EvidenceRequestDto> {
    return this.requests.create(actor, caseId, body);
  }

  @Get('cases/:caseId/evidence-requests')
  @RequirePermission(Permission.EvidenceRead)
  @ApiOperation({ summary: "The case's evidence requests, newest first, with what fulfils them" })
  @ApiOkResponse({ type: EvidenceRequestPageDto })
  @ApiValidationErrors()
  @ApiNotFound()
  listRequests(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Query() query: PageQueryDto,
  ): Promise<EvidenceRequestPageDto> {
    return this.requests.list(actor, caseId, query);
  }
}
