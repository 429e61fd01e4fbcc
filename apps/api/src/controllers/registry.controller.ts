import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RegistryPageDto, RegistryQueryDto, RegistryService, VerificationDto } from '@app/certificates';
import { ApiNotFound, ApiValidationErrors } from '../http/api-errors.decorator';
import { CertificateNumberPipe } from '../http/certificate-number.pipe';
import { Public } from '../http/route-access.decorator';

const SHORT_CACHE = 'public, max-age=60';

@ApiTags('registry')
@Controller('api/v1/registry')
export class RegistryController {
  constructor(private readonly registry: RegistryService) {}

  @Get()
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

  @Get(':certificateNumber')
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
