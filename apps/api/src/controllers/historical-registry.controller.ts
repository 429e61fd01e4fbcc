import { Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@app/common';
import {
  HistoricalCertificateImportService,
  ImportQueryDto,
  ImportReportDto,
  readUploadedFile,
} from '@app/field';
import { Permission } from '@app/identity';
import type { Request } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import { ApiRowImport } from '../http/row-import.decorator';
import { RequirePermission } from '../http/route-access.decorator';

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
  @ApiRowImport()
  async import(
    @CurrentActor() actor: Actor,
    @Query() query: ImportQueryDto,
    @Req() request: Request,
  ): Promise<ImportReportDto> {
    return this.imports.import(actor, await readUploadedFile(request), query.dryRun ?? true);
  }
}
