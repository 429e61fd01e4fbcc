import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Actor, negotiateLanguage } from '@app/common';
import {
  CastVoteRequestDto,
  CertificationReportService,
  CommitteeVotesDto,
  CommitteeVotesService,
  DecisionDto,
  DecisionsService,
} from '@app/decisions';
import { DocumentLanguageQueryDto } from '@app/documents';
import { Permission } from '@app/identity';
import type { Response } from 'express';
import {
  ApiBusinessErrors,
  ApiNotFound,
  ApiUnavailable,
  ApiValidationErrors,
  ApiVersionConflict,
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
    private readonly votes: CommitteeVotesService,
  ) {}

  @Post('votes')
  @HttpCode(200)
  @RequirePermission(Permission.CaseVotesCast)
  @ApiOperation({
    summary: "Cast or change the caller's committee vote (committee member of the case, committee_review)",
    description:
      'One vote per member and referral; a change is a new version, the latest counts. The voter must have ' +
      'declared no conflict on the case. `decide` seals the majority once the quorum has voted.',
  })
  @ApiOkResponse({ type: CommitteeVotesDto })
  @ApiValidationErrors()
  @ApiNotFound()
  @ApiForbiddenResponse({ description: 'Not a committee member of the case' })
  @ApiVersionConflict('CASE_LOCKED', 'STALE_VERSION')
  @ApiBusinessErrors(
    'TEAM_CONFLICT_UNDECLARED',
    'CONFLICT_OF_INTEREST',
    'DECISION_RULE_NOT_MET',
    'LEVEL_NOT_EARNED',
  )
  castVote(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
    @Body() body: CastVoteRequestDto,
  ): Promise<CommitteeVotesDto> {
    return this.votes.cast(actor, caseId, body);
  }

  @Get('votes')
  @RequirePermission(Permission.CasesRead)
  @ApiOperation({
    summary: 'The committee votes of the case',
    description:
      "Every vote (all versions) for the case's committee members, its certification body admin and the " +
      'secretariat; the institution gets no votes, only the summary of a sealed decision (outcome, level, ' +
      'dissent count, no names).',
  })
  @ApiOkResponse({ type: CommitteeVotesDto })
  @ApiNotFound()
  @ApiForbiddenResponse({ description: 'A rater of the case' })
  listVotes(
    @CurrentActor() actor: Actor,
    @Param('caseId', UuidParamPipe) caseId: string,
  ): Promise<CommitteeVotesDto> {
    return this.votes.list(actor, caseId);
  }

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
