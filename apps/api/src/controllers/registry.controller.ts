import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RegistryPageDto, RegistryQueryDto, RegistryService, VerificationDto } from '@app/certificates';
import { ApiNotFound, ApiValidationErrors } from '../http/api-errors.decorator';
import { CertificateNumberPipe } from '../http/certificate-number.pipe';
import { Public } from '../http/route-access.decorator';
import { RateLimit } from '../http/rate-limit.guard';

const SHORT_CACHE = 'public, max-age=60';

@ApiTags('registry')
@Controller('api/v1')
export class RegistryController {
  constructor(private readonly registry: RegistryService) {}

  @Get('registry')
  @Public()
  @Header('Cache-Control', SHORT_CACHE)
  @ApiOperation({
    summary: 'Certified institutions; active certificates unless status=all or another status',
  })
  @ApiOkResponse({ type: RegistryPageDto })
  @ApiValidationErrors()
  search(@Query() query: RegistryQueryDto): Promise<RegistryPageDto> {
    return this.registry.search(query);
  }

  @Get('registry.csv')
  @RateLimit('export')
  @Public()
  @Header('Cache-Control', SHORT_CACHE)
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="registry.csv"')
  @ApiOperation({ summary: 'The registry as CSV, with the same filters' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV with a header row', schema: { type: 'string' } })
  @ApiValidationErrors()
  exportCsv(@Query() query: RegistryQueryDto): Promise<string> {
    return this.registry.exportCsv(query);
  }

  @Get('registry/:certificateNumber')
  @Public()
  @Header('Cache-Control', SHORT_CACHE)
  @ApiOperation({ summary: 'Verify a certificate: suspended, revoked, expired and superseded ones say so' })
  @ApiParam({ name: 'certificateNumber', example: 'CPC-2026-0042' })
  @ApiOkResponse({ type: VerificationDto })
  @ApiNotFound()
  verify(@Param('certificateNumber', CertificateNumberPipe) number: string): Promise<VerificationDto> {
    return this.registry.verify(number);
  }
}
