import { Controller, Get, Header, Headers, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RegistryPageQueryDto, RegistryPagesService } from '@app/certificates';
import { negotiateLanguage } from '@app/common';
import { ApiNotFound, ApiValidationErrors } from '../http/api-errors.decorator';
import { CertificateNumberPipe } from '../http/certificate-number.pipe';
import { Public } from '../http/route-access.decorator';

const SHORT_CACHE = 'public, max-age=60';

@ApiTags('registry')
@Controller('registry')
export class RegistryPagesController {
  constructor(private readonly pages: RegistryPagesService) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', SHORT_CACHE)
  @Header('Vary', 'Accept-Language')
  @ApiOperation({ summary: 'The registry as an HTML page in English, French or Spanish' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML page', schema: { type: 'string' } })
  @ApiValidationErrors()
  list(
    @Query() query: RegistryPageQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<string> {
    const { lang, ...filters } = query;
    return this.pages.renderList(filters, negotiateLanguage(lang, acceptLanguage));
  }

  @Get(':certificateNumber')
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', SHORT_CACHE)
  @Header('Vary', 'Accept-Language')
  @ApiOperation({ summary: 'Verification of a certificate as an HTML page' })
  @ApiParam({ name: 'certificateNumber', example: 'CPC-2026-0042' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'HTML page', schema: { type: 'string' } })
  @ApiNotFound()
  verify(
    @Param('certificateNumber', CertificateNumberPipe) number: string,
    @Query('lang') lang?: string,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<string> {
    return this.pages.renderVerification(number, negotiateLanguage(lang, acceptLanguage));
  }
}
