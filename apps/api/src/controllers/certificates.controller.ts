import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  CertificateActionRequestDto,
  CertificateDto,
  CertificatePageDto,
  CertificatePdfService,
  CertificatesService,
  ListCertificatesQueryDto,
} from '@app/certificates';
import { type Actor, negotiateLanguage } from '@app/common';
import { DocumentLanguageQueryDto } from '@app/documents';
import { Permission } from '@app/identity';
import type { Response } from 'express';
import {
  ApiNotFound,
  ApiUnavailable,
  ApiValidationErrors,
  ApiVersionConflict,
} from '../http/api-errors.decorator';
import { CertificateNumberPipe } from '../http/certificate-number.pipe';
import { CurrentActor } from '../http/current-actor.decorator';
import { sendPdf } from '../http/pdf-response';
import { Authenticated, RequirePermission } from '../http/route-access.decorator';
import { RateLimit } from '../http/rate-limit.guard';

@ApiTags('certificates')
@Controller('api/v1/certificates')
export class CertificatesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly certificatePdf: CertificatePdfService,
  ) {}

  @Get()
  @RequirePermission(Permission.CertificatesList)
  @ApiOperation({ summary: 'Every certificate (the secretariat)' })
  @ApiOkResponse({ type: CertificatePageDto })
  @ApiValidationErrors()
  list(@CurrentActor() actor: Actor, @Query() query: ListCertificatesQueryDto): Promise<CertificatePageDto> {
    return this.certificates.list(actor, query);
  }

  @Get(':certificateNumber')
  @Authenticated()
  @ApiOperation({ summary: 'A certificate of your institution or certification body (the secretariat: any)' })
  @ApiParam({ name: 'certificateNumber', example: 'CPC-2026-0042' })
  @ApiOkResponse({ type: CertificateDto })
  @ApiNotFound()
  get(
    @CurrentActor() actor: Actor,
    @Param('certificateNumber', CertificateNumberPipe) number: string,
  ): Promise<CertificateDto> {
    return this.certificates.get(actor, number);
  }

  @Get(':certificateNumber/pdf')
  @RateLimit('render')
  @Authenticated()
  @ApiOperation({
    summary: 'The certificate as a PDF with its verification URL and QR code',
    description: 'Rendered once per certificate state and language, then served from storage.',
  })
  @ApiParam({ name: 'certificateNumber', example: 'CPC-2026-0042' })
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: 'The certificate (application/pdf)',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiUnavailable('PDF_RENDERER_UNAVAILABLE')
  async pdf(
    @CurrentActor() actor: Actor,
    @Param('certificateNumber', CertificateNumberPipe) number: string,
    @Query() query: DocumentLanguageQueryDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const lang = negotiateLanguage(query.lang, acceptLanguage);
    const document = await this.certificatePdf.render(actor, number, lang);
    sendPdf(response, document, `${number}-${lang}.pdf`, 'inline');
  }

  @Post(':certificateNumber/actions')
  @RequirePermission(Permission.CertificatesManage)
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend, reinstate or revoke with a reason' })
  @ApiParam({ name: 'certificateNumber', example: 'CPC-2026-0042' })
  @ApiOkResponse({ type: CertificateDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiVersionConflict('INVALID_TRANSITION', 'STALE_VERSION')
  act(
    @CurrentActor() actor: Actor,
    @Param('certificateNumber', CertificateNumberPipe) number: string,
    @Body() body: CertificateActionRequestDto,
  ): Promise<CertificateDto> {
    return this.certificates.act(actor, number, body);
  }
}
