import { Injectable } from '@nestjs/common';
import { IndicatorRatingEntity, ResultsService } from '@app/assessment';
import { caseProfileOf, type CaseSnapshot, type DecisionData } from '@app/cases';
import { canonicalJson, sha256Hex } from '@app/common';
import { EvidenceItemEntity, EvidenceVersionEntity } from '@app/evidence';
import {
  ActionVerificationEntity,
  CorrectiveActionCaseEntity,
  CorrectiveActionEntity,
  FindingEntity,
  FindingResponseEntity,
} from '@app/findings';
import { OrganizationEntity } from '@app/identity';
import { StandardsEditionEntity } from '@app/standards';
import { type EntityManager, In } from 'typeorm';

export interface SealedPackage {
  json: string;
  sha256: string;
}

const byCode = (a: { indicatorCode: string }, b: { indicatorCode: string }): number =>
  a.indicatorCode.localeCompare(b.indicatorCode, 'en', { numeric: true });

/** What readers of a sealed package (the certification report) rely on; the builder is held to it. */
export interface DecisionPackageContent {
  /** `verifiedBy` is absent in packages sealed before verification sources were recorded. */
  ratings: { indicatorCode: string; rating: string; verifiedBy?: string[] }[];
  team: { leadRaterId: string | null; raterIds: string[]; committeeMemberIds: string[] };
  findings: {
    indicatorCodes: string[];
    severity: string;
    description: string;
    recommendation: string;
    correctiveActionDueOn: string | null;
    status: string;
    resolutionNote: string | null;
    responses: { text: string; respondedBy: string; respondedAt: string }[];
  }[];
  /** The action plan worked in the case, with the raters' verifications recorded in it (absent in older packages). */
  actions?: {
    id: string;
    originCaseId: string;
    findingId: string | null;
    indicatorCodes: string[];
    description: string;
    ownerName: string | null;
    dueOn: string | null;
    status: string;
    carriedIn: boolean;
    verification: { result: string; note: string; verifiedBy: string; verifiedAt: string } | null;
  }[];
}

/**
 * The decision package: the ratings, the findings with responses, the evidence manifest with every
 * file's SHA-256, the edition, the institution profile that decided applicability and the decision, as one canonical JSON document and its SHA-256.
 */
@Injectable()
export class DecisionPackageBuilder {
  constructor(private readonly results: ResultsService) {}

  async seal(
    manager: EntityManager,
    snapshot: CaseSnapshot,
    decision: DecisionData & {
      kind: 'decision' | 'appeal_resolution';
      decidedBy: string;
      decidedAt: Date;
      /** The committee's votes and dissent, for a committee decision. */
      committee?: Record<string, unknown>;
    },
  ): Promise<SealedPackage> {
    const edition = await manager
      .getRepository(StandardsEditionEntity)
      .findOneByOrFail({ id: snapshot.editionId });
    const organizations = await manager
      .getRepository(OrganizationEntity)
      .findBy({ id: In([snapshot.institutionId, snapshot.certifierId]) });
    const organization = (id: string) => {
      const found = organizations.find((entry) => entry.id === id);
      return { id, name: found?.name ?? null, country: found?.country ?? null };
    };
    const ratings = await manager.getRepository(IndicatorRatingEntity).findBy({ caseId: snapshot.id });
    const findings = await manager
      .getRepository(FindingEntity)
      .find({ where: { caseId: snapshot.id }, order: { createdAt: 'ASC' } });
    const responses = findings.length
      ? await manager.getRepository(FindingResponseEntity).find({
          where: { findingId: In(findings.map((finding) => finding.id)) },
          order: { respondedAt: 'ASC' },
        })
      : [];
    const items = await manager
      .getRepository(EvidenceItemEntity)
      .find({ where: { caseId: snapshot.id }, order: { createdAt: 'ASC' } });
    const versions = items.length
      ? await manager.getRepository(EvidenceVersionEntity).find({
          where: { evidenceId: In(items.map((item) => item.id)) },
          order: { versionNumber: 'ASC' },
        })
      : [];
    const actionLinks = await manager
      .getRepository(CorrectiveActionCaseEntity)
      .findBy({ caseId: snapshot.id });
    const actions = actionLinks.length
      ? await manager.getRepository(CorrectiveActionEntity).find({
          where: { id: In(actionLinks.map((link) => link.actionId)) },
          order: { createdAt: 'ASC', id: 'ASC' },
        })
      : [];
    const verifications = actions.length
      ? await manager
          .getRepository(ActionVerificationEntity)
          .findBy({ caseId: snapshot.id, actionId: In(actions.map((action) => action.id)) })
      : [];
    const computed = await this.results.compute(manager, snapshot);
    // The institution profile that decided applicability: the one submitted (as the lead rater amended it).
    const profile = await caseProfileOf(manager, snapshot.id);

    const document = {
      format: 'cp-certification/decision-package@1',
      caseId: snapshot.id,
      caseType: snapshot.type,
      edition: { id: edition.id, title: edition.title, documentSha256: edition.documentSha256 },
      institution: organization(snapshot.institutionId),
      certifier: organization(snapshot.certifierId),
      team: snapshot.team,
      decision: {
        kind: decision.kind,
        outcome: decision.outcome,
        level: decision.level,
        rationale: decision.rationale,
        decidedBy: decision.decidedBy,
        decidedAt: decision.decidedAt.toISOString(),
      },
      ...(decision.committee ? { committee: decision.committee } : {}),
      results: { outcome: computed.outcome, gaps: computed.gaps },
      profile,
      ratings: ratings.sort(byCode).map((rating) => ({
        indicatorCode: rating.indicatorCode,
        rating: rating.rating,
        justification: rating.justification,
        evidenceIds: [...rating.evidenceIds].sort(),
        verifiedBy: rating.verifiedBy,
        version: rating.version,
        ratedBy: rating.ratedBy,
        ratedAt: rating.ratedAt.toISOString(),
      })),
      findings: findings.map((finding) => ({
        id: finding.id,
        indicatorCodes: finding.indicatorCodes,
        severity: finding.severity,
        description: finding.description,
        recommendation: finding.recommendation,
        correctiveActionDueOn: finding.correctiveActionDueOn,
        status: finding.status,
        resolutionNote: finding.resolutionNote,
        responses: responses
          .filter((response) => response.findingId === finding.id)
          .map((response) => ({
            id: response.id,
            text: response.text,
            evidenceIds: response.evidenceIds,
            respondedBy: response.respondedBy,
            respondedAt: response.respondedAt.toISOString(),
          })),
      })),
      actions: actions.map((action) => {
        const verification = verifications.find((entry) => entry.actionId === action.id);
        return {
          id: action.id,
          originCaseId: action.caseId,
          findingId: action.findingId,
          indicatorCodes: action.indicatorCodes,
          description: action.description,
          ownerName: action.ownerName,
          dueOn: action.dueOn,
          status: action.status,
          carriedIn: action.caseId !== snapshot.id,
          evidenceIds: [...action.evidenceIds].sort(),
          verification: verification
            ? {
                result: verification.result,
                note: verification.note,
                verifiedBy: verification.verifiedBy,
                verifiedAt: verification.verifiedAt.toISOString(),
              }
            : null,
        };
      }),
      evidence: items.map((item) => ({
        id: item.id,
        title: item.title,
        deleted: item.deletedAt !== null,
        versions: versions
          .filter((version) => version.evidenceId === item.id)
          .map((version) => ({
            version: version.versionNumber,
            fileName: version.fileName,
            contentType: version.contentType,
            size: Number(version.size),
            sha256: version.sha256,
          })),
      })),
    } satisfies DecisionPackageContent & Record<string, unknown>;
    const json = canonicalJson(document);
    return { json, sha256: sha256Hex(json) };
  }
}
