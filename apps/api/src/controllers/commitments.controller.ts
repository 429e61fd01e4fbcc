import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Actor, PageQueryDto } from '@app/common';
import {
  CommitmentApprovalRequestDto,
  CommitmentImportService,
  CommitmentPageDto,
  CommitmentRecordDto,
  CommitmentRecordPageDto,
  CommitmentsQueryDto,
  CommitmentsService,
  CreateCommitmentRequestDto,
  ImportQueryDto,
  ImportReportDto,
  readUploadedFile,
} from '@app/field';
import { Permission } from '@app/identity';
import type { Request } from 'express';
import { ApiNotFound, ApiValidationErrors, ApiVersionConflict } from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { ApiRowImport } from '../http/row-import.decorator';
import { Idempotent } from '../http/idempotency.interceptor';
import { Public, RequirePermission } from '../http/route-access.decorator';
import { UuidParamPipe } from '../http/validation';

const SHORT_CACHE = 'public, max-age=60';

@ApiTags('commitments')
@Controller('api/v1')
export class CommitmentsController {
  constructor(
    private readonly commitments: CommitmentsService,
    private readonly imports: CommitmentImportService,
  ) {}

  @Get('commitments')
  @Public()
  @Header('Cache-Control', SHORT_CACHE)
  @ApiOperation({
    summary: 'Organizations committed to the principles (approved entries), with their certificates',
  })
  @ApiOkResponse({ type: CommitmentPageDto })
  @ApiValidationErrors()
  search(@Query() query: CommitmentsQueryDto): Promise<CommitmentPageDto> {
    return this.commitments.search(query);
  }

  @Get('commitments.csv')
  @Public()
  @Header('Cache-Control', SHORT_CACHE)
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="commitments.csv"')
  @ApiOperation({ summary: 'The commitments list as CSV, with the same filters' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV with a header row', schema: { type: 'string' } })
  @ApiValidationErrors()
  exportCsv(@Query() query: CommitmentsQueryDto): Promise<string> {
    return this.commitments.exportCsv(query);
  }

  @Get('commitments/pending')
  @RequirePermission(Permission.CommitmentsApprove)
  @ApiOperation({ summary: 'Self-declared commitments waiting for the secretariat (oldest first)' })
  @ApiOkResponse({ type: CommitmentRecordPageDto })
  @ApiValidationErrors()
  pending(@CurrentActor() actor: Actor, @Query() query: PageQueryDto): Promise<CommitmentRecordPageDto> {
    return this.commitments.listPending(actor, query);
  }

  @Post('commitments')
  @RequirePermission(Permission.CommitmentsCreate)
  @Idempotent()
  @ApiOperation({
    summary: 'Commit to the principles',
    description:
      'An institution admin commits its own institution (pending approval); the secretariat records any ' +
      'organization, a user of the product (`organizationId`) or not (`name`, `country`, `kind`).',
  })
  @ApiCreatedResponse({ type: CommitmentRecordDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('ALREADY_EXISTS: the organization is already listed')
  create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateCommitmentRequestDto,
  ): Promise<CommitmentRecordDto> {
    return this.commitments.create(actor, body);
  }

  @Post('commitments/import')
  @RequirePermission(Permission.FieldImport)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Import the signatory list (CSV or .xlsx): a dry run reports each row; applying writes all or none',
    description:
      'Columns: `name`, `country` (ISO alpha-2), `kind`, `committedOn` (YYYY-MM-DD), `statement`. Rows naming an ' +
      'organization already listed (or listed earlier in the file) by normalized name and country are duplicates and skipped.',
  })
  @ApiRowImport()
  async import(
    @CurrentActor() actor: Actor,
    @Query() query: ImportQueryDto,
    @Req() request: Request,
  ): Promise<ImportReportDto> {
    return this.imports.import(actor, await readUploadedFile(request), query.dryRun ?? true);
  }

  @Post('commitments/:commitmentId/approval')
  @RequirePermission(Permission.CommitmentsApprove)
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve or reject a self-declared commitment' })
  @ApiOkResponse({ type: CommitmentRecordDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('STALE_VERSION', 'INVALID_TRANSITION: already decided')
  decide(
    @CurrentActor() actor: Actor,
    @Param('commitmentId', UuidParamPipe) commitmentId: string,
    @Body() body: CommitmentApprovalRequestDto,
  ): Promise<CommitmentRecordDto> {
    return this.commitments.decideApproval(actor, commitmentId, body);
  }
}
