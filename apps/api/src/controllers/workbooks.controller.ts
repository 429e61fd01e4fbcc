import { applyDecorators, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '@app/common';
import { Permission } from '@app/identity';
import { attachmentDisposition } from '@app/storage';
import {
  RatingWorkbookService,
  SelfAssessmentWorkbookService,
  WORKBOOK_UPLOAD_SCHEMA,
  WorkbookExportQueryDto,
  type WorkbookFile,
  WorkbookImportQueryDto,
  WorkbookImportResultDto,
} from '@app/workbooks';
import type { Request, Response } from 'express';
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

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendWorkbook(response: Response, file: WorkbookFile): void {
  response.setHeader('Cache-Control', 'private, no-store');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Content-Disposition', attachmentDisposition(file.fileName));
  response.type(XLSX).status(200).send(file.bytes);
}

const ApiWorkbookExport = () =>
  applyDecorators(
    ApiProduces(XLSX),
    ApiOkResponse({ description: 'The .xlsx workbook', schema: { type: 'string', format: 'binary' } }),
    ApiValidationErrors(),
    ApiNotFound(),
    ApiVersionConflict('CASE_LOCKED: the case status does not allow it'),
  );

const ApiWorkbookImport = (...businessCodes: string[]) =>
  applyDecorators(
    ApiConsumes('multipart/form-data'),
    ApiBody({ schema: WORKBOOK_UPLOAD_SCHEMA }),
    ApiOkResponse({ type: WorkbookImportResultDto }),
    ApiValidationErrors(),
    ApiNotFound(),
    ApiVersionConflict(
      'STALE_VERSION: with dryRun=false, rows changed on the server since export; nothing applied',
      'CASE_LOCKED',
    ),
    ApiPayloadTooLargeResponse({
      type: ErrorResponseDto,
      description: 'PAYLOAD_TOO_LARGE: over 10 MB, a hostile zip (entries, expansion) or over 5,000 rows',
    }),
    ApiBusinessErrors(
      'WORKBOOK_NOT_FOR_CASE',
      'WORKBOOK_STRUCTURE_CHANGED',
      'WORKBOOK_UNREADABLE',
      'WORKBOOK_ROWS_INVALID',
      ...businessCodes,
    ),
  );

@ApiTags('assessment')
@Controller('api/v1/cases/:caseId')
export class WorkbooksController {
  constructor(
    private readonly ratingWorkbooks: RatingWorkbookService,
    private readonly selfAssessmentWorkbooks: SelfAssessmentWorkbookService,
  ) {}

  @Get('rating-workbook')
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({
    summary:
      'The offline rating workbook (raters on the team, the certifier admin; onsite or findings issued)',
  })
  @ApiWorkbookExport()
  async exportRatings(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Query() query: WorkbookExportQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    sendWorkbook(response, await this.ratingWorkbooks.export(actor, caseId, query.lang));
  }

  @Post('rating-workbook')
  @HttpCode(200)
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({
    summary: 'Import a filled rating workbook: dry run (default) or apply all or nothing as PUT /ratings',
  })
  @ApiWorkbookImport('UNKNOWN_INDICATOR_CODES', 'EVIDENCE_NOT_IN_CASE')
  importRatings(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Query() query: WorkbookImportQueryDto,
    @Req() request: Request,
  ): Promise<WorkbookImportResultDto> {
    return this.ratingWorkbooks.import(actor, caseId, request, query);
  }

  @Get('self-assessment-workbook')
  @RequirePermission(Permission.SelfAssessmentWrite)
  @ApiOperation({ summary: "The institution's offline self-assessment workbook (while the case is a draft)" })
  @ApiWorkbookExport()
  async exportSelfAssessment(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Query() query: WorkbookExportQueryDto,
    @Res() response: Response,
  ): Promise<void> {
    sendWorkbook(response, await this.selfAssessmentWorkbooks.export(actor, caseId, query.lang));
  }

  @Post('self-assessment-workbook')
  @HttpCode(200)
  @RequirePermission(Permission.SelfAssessmentWrite)
  @ApiOperation({
    summary: 'Import a filled self-assessment workbook: dry run (default) or apply all or nothing',
  })
  @ApiWorkbookImport('UNKNOWN_INDICATOR_CODES', 'INDICATOR_NOT_APPLICABLE')
  importSelfAssessment(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Query() query: WorkbookImportQueryDto,
    @Req() request: Request,
  ): Promise<WorkbookImportResultDto> {
    return this.selfAssessmentWorkbooks.import(actor, caseId, request, query);
  }
}
