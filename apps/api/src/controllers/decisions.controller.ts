import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Actor, negotiateLanguage } from '@app/common';
import { CertificationReportService, DecisionDto, DecisionsService } from '@app/decisions';
import { DocumentLanguageQueryDto } from '@app/documents';
import { Permission } from '@app/identity';
import type { Response } from 'express';
import {
  ApiBusinessErrors,
  ApiNotFound,
  ApiUnavailable,
  ApiValidationErrors,
} from '../http/api-errors.decorator';
import { CurrentActor } from '../http/current-actor.decorator';
import { sendPdf } from '../http/pdf-response';
import { RequirePermission } from '../http/route-access.decorator';
import { UuidParamPipe } from '../http/validation';
import { RateLimit } from '../http/rate-limit.guard';

@ApiTags('decisions')
@Controller('api/v1/cases/:caseId')
export class DecisionsController {
  constructor(
    private readonly decisions: DecisionsService,
    private readonly reports: CertificationReportService,
  ) {}

  @Get('decision')
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({ summary: 'The decision in force with its sealed package hash, and the appeal if any' })
  @ApiOkResponse({ type: DecisionDto })
  @ApiNotFound()
  get(@CurrentActor() actor: Actor, @Param('caseId', UuidParamPipe) caseId: string): Promise<DecisionDto> {
    return this.decisions.get(actor, caseId);
  }

  @Get('report.pdf')
  @RateLimit('render')
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({
    summary: 'The confidential certification report (PDF): profile, mission, results, findings, decision',
    description: 'For the institution, its certification body and the secretariat, once the case is decided.',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({
    description: 'The report (application/pdf)',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiBusinessErrors('REPORT_NOT_READY')
  @ApiUnavailable('PDF_RENDERER_UNAVAILABLE')
  async report(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Query() query: DocumentLanguageQueryDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const lang = negotiateLanguage(query.lang, acceptLanguage);
    const document = await this.reports.render(actor, caseId, lang);
    sendPdf(response, document, `certification-report-${caseId}-${lang}.pdf`, 'attachment');
  }
}
