import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  CertificateActionRequestDto,
  CertificateDto,
  CertificatePageDto,
  CertificatesService,
  ListCertificatesQueryDto,
} from '@app/certificates';
import type { Actor } from '@app/common';
import { Permission } from '@app/identity';
import { ApiNotFound, ApiValidationErrors, ApiVersionConflict } from '../http/api-errors.decorator';
import { CertificateNumberPipe } from '../http/certificate-number.pipe';
import { CurrentActor } from '../http/current-actor.decorator';
import { Authenticated, RequirePermission } from '../http/route-access.decorator';

@ApiTags('certificates')
@Controller('api/v1/certificates')
export class CertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

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
