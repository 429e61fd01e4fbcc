import { Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Actor } from '@app/common';
import {
  HistoricalCertificateImportService,
  ImportQueryDto,
  ImportReportDto,
  readUploadedFile,
} from '@app/field';
import { Permission } from '@app/identity';
import type { Request } from 'express';
import { ApiBusinessErrors, ApiValidationErrors } from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { ErrorResponseDto } from '../http/error-response.dto';
import { RequirePermission } from '../http/route-access.decorator';
import { IMPORT_FILE_SCHEMA } from './commitments.controller';

@ApiTags('certificates')
@Controller('api/v1')
export class HistoricalRegistryController {
  constructor(private readonly imports: HistoricalCertificateImportService) {}

  @Post('certificates/import')
  @RequirePermission(Permission.FieldImport)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Record certificates issued outside the product (CSV or .xlsx): dry run by line, then all or none',
    description:
      'Columns: `number` (as issued; not the product prefix), `institution`, `country`, `certificationBody`, ' +
      '`edition`, `level` (or a legacy marker such as Gold*), `issuedOn`, `validUntil`, `status`, optional ' +
      '`decidedOn`. They appear in the registry with `origin: "recorded"`; each row is an audited event.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: IMPORT_FILE_SCHEMA })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiValidationErrors()
  @ApiBusinessErrors('IMPORT_ROWS_INVALID: nothing was written; details name each bad line')
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'PAYLOAD_TOO_LARGE' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'UNSUPPORTED_MEDIA_TYPE' })
  async import(
    @CurrentActor() actor: Actor,
    @Query() query: ImportQueryDto,
    @Req() request: Request,
  ): Promise<ImportReportDto> {
    return this.imports.import(actor, await readUploadedFile(request), query.dryRun ?? true);
  }
}
