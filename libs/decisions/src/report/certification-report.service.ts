import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type PrincipleResult, ResultsService, type StandardResult } from '@app/assessment';
import { CaseAccessService, caseProfileOf, type CaseStatus, CertificationCaseEntity } from '@app/cases';
import {
  type Actor,
  countryName,
  DomainError,
  ErrorCode,
  formatDate,
  levelName,
  PAGE_LANGUAGES,
  type PageLanguage,
} from '@app/common';
import { type PdfDocument, PdfDocumentsService } from '@app/documents';
import { OrganizationEntity, UserEntity } from '@app/identity';
import { type EditionTree, PROFILE_FLAGS, StandardsService } from '@app/standards';
import { DataSource, In } from 'typeorm';
import type { DecisionPackageContent } from '../decision-package.builder';
import { CaseAppealEntity } from '../entities/case-appeal.entity';
import { CaseDecisionEntity } from '../entities/case-decision.entity';
import { REPORT_IMPROVEMENT_MESSAGES } from './report-improvement-messages';
import { REPORT_MESSAGES } from './report-messages';
import { REPORT_TEMPLATE } from './report-template';

const SHARE_FORMATS = new Map<PageLanguage, Intl.NumberFormat>(
  PAGE_LANGUAGES.map((lang) => [lang, new Intl.NumberFormat(lang, { maximumFractionDigits: 1 })]),
);

/**
 * A score (0 to 1) as a percentage a reader of `lang` writes (94.4 %, 94,4 %), the sign held to its number
 * by a no-break space so that a narrow table cell never splits them.
 */
function formatShare(score: number, lang: PageLanguage): string {
  return `${SHARE_FORMATS.get(lang)!.format(Math.round(score * 1000) / 10)}\u00a0%`;
}

/**
 * The confidential certification report as a PDF: the institution's profile, the mission, the
 * results per principle and standard, the findings with the institution's responses, and the
 * decision with the hash of its sealed package. Findings, responses and team are read from the
 * sealed package, so the report shows what the decision was taken on.
 */
/** The statuses of a case whose latest sealed decision stands. */
const DECIDED_STATUSES: readonly CaseStatus[] = ['decided', 'under_appeal', 'under_escalation', 'closed'];

@Injectable()
export class CertificationReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly results: ResultsService,
    private readonly standards: StandardsService,
    private readonly documents: PdfDocumentsService,
  ) {}

  async render(actor: Actor, caseId: string, lang: PageLanguage): Promise<PdfDocument> {
    const snapshot = await this.access.findVisible(actor, caseId);
    const decision = await this.dataSource
      .getRepository(CaseDecisionEntity)
      .findOne({ where: { caseId }, order: { decidedAt: 'DESC' } });
    if (!decision) {
      throw new DomainError(
        ErrorCode.ReportNotReady,
        'The certification report exists once the committee has decided the case',
      );
    }
    // An appeal that reopened indicators annulled the decision: while they are re-rated there is no
    // decision to report (the annulled one stays sealed in its package).
    if (!DECIDED_STATUSES.includes(snapshot.status)) {
      throw new DomainError(
        ErrorCode.ReportNotReady,
        'The case is being rated again after its appeal: the report exists once the committee decides it again',
      );
    }
    const t = { ...REPORT_MESSAGES[lang], ...REPORT_IMPROVEMENT_MESSAGES[lang] };
    const sealed = JSON.parse(decision.packageJson) as DecisionPackageContent;
    const [caseRow, organizations, appeal, edition, results, profile, scored] = await Promise.all([
      this.dataSource.getRepository(CertificationCaseEntity).findOneByOrFail({ id: caseId }),
      this.dataSource
        .getRepository(OrganizationEntity)
        .findBy({ id: In([snapshot.institutionId, snapshot.certifierId]) }),
      this.dataSource.getRepository(CaseAppealEntity).findOneBy({ caseId }),
      this.standards.requireTree(snapshot.editionId),
      this.results.compute(this.dataSource.manager, snapshot),
      // The profile the case was submitted with (as amended by the lead rater), not the live one.
      caseProfileOf(this.dataSource.manager, caseId),
      this.results.computeScores(this.dataSource.manager, snapshot),
    ]);
    const scoreOf = new Map(scored.scores.map((score) => [score.code, score]));
    const percent = (code: string) => {
      const score = scoreOf.get(code);
      return score && score.score !== null ? formatShare(score.score, lang) : '–';
    };
    const names = await this.userNames(sealed);
    const institution = organizations.find((organization) => organization.id === snapshot.institutionId);
    const certifier = organizations.find((organization) => organization.id === snapshot.certifierId);
    const mission = caseRow.mission;
    const date = (value: string | Date) => formatDate(value, lang);

    return this.documents.render({
      kind: 'certification-report',
      template: REPORT_TEMPLATE,
      model: {
        lang,
        t,
        institution: {
          name: institution?.name ?? '',
          country: institution ? countryName(institution.country, lang) : '',
          legalForm: profile?.legalForm ?? t.notRecorded,
          clientCount: profile ? profile.clientCount.toLocaleString(lang) : t.notRecorded,
          branchCount: profile ? profile.branchCount.toLocaleString(lang) : t.notRecorded,
          services: profile
            ? PROFILE_FLAGS.filter((flag) => profile[flag])
                .map((flag) => t[flag])
                .join(', ')
            : t.notRecorded,
        },
        certifier: certifier?.name ?? '',
        edition: edition.title(lang),
        caseType: t[caseRow.type],
        mission: mission
          ? {
              dates: `${date(mission.startsOn)} – ${date(mission.endsOn)}`,
              branchesVisited: mission.branchesVisited.join(', ') || t.notRecorded,
              interviews: t.interviewCounts.replace(
                /\{(clients|staff|management)\}/g,
                (_match, key: keyof typeof mission.interviews) => String(mission.interviews[key]),
              ),
              branches: mission.branches ?? [],
            }
          : null,
        team: [
          ...(sealed.team.leadRaterId ? [{ id: sealed.team.leadRaterId, role: t.lead_rater }] : []),
          ...sealed.team.raterIds.map((id) => ({ id, role: t.rater })),
          ...sealed.team.committeeMemberIds.map((id) => ({ id, role: t.committee_member })),
        ].map(({ id, role }) => ({ name: names.get(id) ?? '', role })),
        principles: results.principles.map((principle) =>
          this.principleRow(principle, edition, t, lang, percent),
        ),
        scoreNote: t.scoreNote,
        tagScores: scored.scores
          .filter((score) => score.code.startsWith('tag:'))
          .map((score) => ({
            name: t[`tag_${score.code.slice(4)}`] ?? score.code.slice(4),
            score: percent(score.code),
            compliant: `${score.met} / ${score.applicable}`,
          })),
        isTiered: edition.document.decisionRule.type === 'tiered',
        levelReached: levelName(scored.levelReached, lang),
        hasLevelReached: scored.levelReached !== null,
        nextLevels: scored.nextLevels.map((next) => ({
          level: levelName(next.level, lang),
          blockers: next.blockers.join(', '),
          missing: next.missing.map((entry) =>
            t.missing
              .replace('{count}', String(entry.count))
              .replace('{tag}', t[`tag_${entry.tag}`]?.toLowerCase() ?? entry.tag)
              .replace('{share}', String(Math.round(entry.minShare * 100))),
          ),
        })),
        actions: (sealed.actions ?? []).map((action, index) => ({
          number: index + 1,
          kind: t[`kind_${action.findingId === null ? 'recommendation' : 'finding'}`],
          carriedIn: action.carriedIn ? t.carriedIn : null,
          indicators: action.indicatorCodes.join(', '),
          description: action.description,
          owner: action.ownerName ?? t.notRecorded,
          dueOn: action.dueOn ? date(action.dueOn) : t.notRecorded,
          status: t[`action_${action.status}`] ?? action.status,
          verification: action.verification
            ? `${t[`action_${action.verification.result}`]}: ${action.verification.note}`
            : null,
        })),
        verifiedRatings: sealed.ratings
          .filter((rating) => (rating.verifiedBy ?? []).length > 0)
          .map((rating) => ({
            code: rating.indicatorCode,
            rating: t[`rating_${rating.rating}`] ?? rating.rating,
            sources: (rating.verifiedBy ?? []).map((source) => t[`source_${source}`] ?? source).join(', '),
          })),
        findings: sealed.findings.map((finding, index) => ({
          number: index + 1,
          severity: t[finding.severity] ?? finding.severity,
          indicators: finding.indicatorCodes.join(', '),
          status: t[finding.status] ?? finding.status,
          description: finding.description,
          recommendation: finding.recommendation,
          correctiveActionDueOn: finding.correctiveActionDueOn ? date(finding.correctiveActionDueOn) : null,
          resolutionNote: finding.resolutionNote,
          responses: finding.responses.map((response) => ({
            by: names.get(response.respondedBy) ?? '',
            on: date(response.respondedAt),
            text: response.text,
          })),
        })),
        decision: {
          outcome: t[decision.outcome],
          level: decision.outcome === 'certified' ? levelName(decision.level, lang) : null,
          rationale: decision.rationale,
          decidedBy: decision.decidedByName,
          decidedAt: date(decision.decidedAt),
          packageSha256: decision.packageSha256,
        },
        appeal: appeal
          ? `${date(appeal.appealedAt)}: ${appeal.result ? t[appeal.result] : t.pending}${
              appeal.resolvedAt ? ` (${date(appeal.resolvedAt)})` : ''
            }`
          : null,
      },
    });
  }

  /** Titles in the reader's language, English where the edition has no translation. */
  private principleRow(
    principle: PrincipleResult,
    edition: EditionTree,
    t: Record<string, string>,
    lang: PageLanguage,
    percent: (code: string) => string,
  ) {
    const titleOf = (code: string): string => {
      const item = edition.item(code);
      return item ? edition.text(item, 'title', lang) : '';
    };
    return {
      code: principle.code,
      title: titleOf(principle.code),
      ...this.verdict(principle.met, t),
      compliant: this.compliantCount(principle.standards),
      score: percent(principle.code),
      standards: principle.standards.map((standard) => ({
        code: standard.code,
        title: titleOf(standard.code),
        ...this.verdict(standard.met, t),
        compliant: this.compliantCount([standard]),
        score: percent(standard.code),
      })),
    };
  }

  private verdict(met: boolean | null, t: Record<string, string>) {
    if (met === null) return { result: t.notApplicable, resultClass: 'not-applicable' };
    return met ? { result: t.met, resultClass: 'met' } : { result: t.notMet, resultClass: 'not-met' };
  }

  private compliantCount(standards: StandardResult[]): string {
    const applicable = standards.flatMap((standard) =>
      standard.indicators.filter((entry) => entry.applicable),
    );
    return `${applicable.filter((indicator) => indicator.compliant).length} / ${applicable.length}`;
  }

  private async userNames(sealed: DecisionPackageContent): Promise<Map<string, string>> {
    const ids = [
      ...new Set([
        ...(sealed.team.leadRaterId ? [sealed.team.leadRaterId] : []),
        ...sealed.team.raterIds,
        ...sealed.team.committeeMemberIds,
        ...sealed.findings.flatMap((finding) => finding.responses.map((response) => response.respondedBy)),
      ]),
    ];
    const users = ids.length ? await this.dataSource.getRepository(UserEntity).findBy({ id: In(ids) }) : [];
    return new Map(users.map((user) => [user.id, user.name]));
  }
}
