import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import {
  CaseAccessService,
  caseProfileOf,
  CaseEditWindow,
  CaseRelation,
  type CaseSnapshot,
} from '@app/cases';
import { type Actor, ForbiddenError, ValidationError } from '@app/common';
import { runUseCaseTransaction } from '@app/database';
import { CrosswalksService, StandardsService } from '@app/standards';
import { DataSource, type EntityManager } from 'typeorm';
import { applicabilityOf } from '../applicability';
import type {
  PrefillQueryDto,
  PrefillRequestDto,
  PrefillResultDto,
  PrefillSummaryDto,
} from '../dto/self-assessment.dto';
import { SelfAssessmentAnswerEntity } from '../entities/self-assessment-answer.entity';
import { SelfAssessmentService } from '../self-assessment.service';
import { planPrefill, type SourceAnswer } from './prefill-plan';
import { PrefillSourceNotFoundError } from './prefill.errors';

/** What a pre-fill reads from: a previous case of the institution, or a workbook it uploads. */
export interface PrefillSource {
  kind: 'case' | 'workbook';
  /** The case id, or the workbook's SHA-256. */
  ref: string;
  editionId: string;
  answers: ReadonlyMap<string, SourceAnswer>;
}

/**
 * Pre-fills a draft case's self-assessment from the institution's previous case or an uploaded workbook, the
 * same edition or another one through a published crosswalk. Each answer is written unconfirmed with its
 * source; confirmed answers are never touched; nothing counts until the institution confirms it by saving.
 */
@Injectable()
export class SelfAssessmentPrefillService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly standards: StandardsService,
    private readonly crosswalks: CrosswalksService,
    private readonly audit: AuditService,
    private readonly selfAssessments: SelfAssessmentService,
  ) {}

  /** The institution's own draft case (404 for anyone who does not see it, 409 once submitted). */
  async authorize(actor: Actor, caseId: string): Promise<CaseSnapshot> {
    const snapshot = await this.access.findVisible(actor, caseId);
    if (!CaseRelation.isInstitutionUser(actor, snapshot)) {
      throw new ForbiddenError('Only the institution pre-fills its self-assessment');
    }
    CaseEditWindow.assertOpen('self_assessment', snapshot.status);
    return snapshot;
  }

  async fromCase(
    actor: Actor,
    caseId: string,
    request: PrefillRequestDto,
    query: PrefillQueryDto,
  ): Promise<PrefillResultDto> {
    if (!request.fromCaseId) {
      throw new ValidationError('Name the case to pre-fill from, or upload a workbook', [
        { field: 'fromCaseId', message: 'is required (or send a multipart file)' },
      ]);
    }
    const snapshot = await this.authorize(actor, caseId);
    if (request.fromCaseId === caseId) {
      throw new ValidationError('A case cannot be pre-filled from itself', [
        { field: 'fromCaseId', message: 'must be another case' },
      ]);
    }
    // Whose case it is decides, not whether the caller could open it: another institution's case, or one
    // that does not exist, gets the same answer.
    const source = await this.access.load(request.fromCaseId);
    if (!source || source.institutionId !== snapshot.institutionId) throw new PrefillSourceNotFoundError();
    const stored = await this.dataSource
      .getRepository(SelfAssessmentAnswerEntity)
      .findBy({ caseId: source.id, editionId: source.editionId, confirmed: true });
    return this.apply(
      actor,
      snapshot,
      {
        kind: 'case',
        ref: source.id,
        editionId: source.editionId,
        answers: new Map(stored.map((answer) => [answer.indicatorCode, answer])),
      },
      query.crosswalkId,
    );
  }

  /** Writes the plan in one transaction under the case's edit lock, audits it, and answers the view. */
  async apply(
    actor: Actor,
    snapshot: CaseSnapshot,
    source: PrefillSource,
    crosswalkId?: string,
  ): Promise<PrefillResultDto> {
    const target = await this.standards.requireDocument(snapshot.editionId);
    const sourceEdition = await this.standards.requireDocument(source.editionId);
    const crosswalk =
      source.editionId === snapshot.editionId
        ? null
        : await this.crosswalks.requireOriented(source.editionId, snapshot.editionId, crosswalkId);
    const summary = await runUseCaseTransaction(this.dataSource, async (manager) => {
      await CaseEditWindow.lockForEdit(manager, snapshot.id, 'self_assessment');
      const applicability = applicabilityOf(target, await caseProfileOf(manager, snapshot.id));
      const plan = planPrefill({
        sourceEditionId: source.editionId,
        sourceAnswers: source.answers,
        sourceScale: sourceEdition.scale.ratings,
        targetScale: target.scale.ratings,
        targetIndicators: applicability.map(({ indicator, applicable }) => ({
          code: indicator.code,
          applicable,
        })),
        mappings: crosswalk?.mappings ?? null,
        confirmedCodes: await this.confirmedCodes(manager, snapshot),
      });
      const proposals = [...plan.proposals].sort((a, b) =>
        a.indicatorCode < b.indicatorCode ? -1 : a.indicatorCode > b.indicatorCode ? 1 : 0,
      );
      // A confirmed answer is never overwritten, also one confirmed since it was read: the update is
      // conditional. An answer stored under another edition (the draft changed edition) is stale.
      const written =
        proposals.length === 0
          ? []
          : await manager.query<{ indicator_code: string }[]>(
              `INSERT INTO self_assessment_answer
                 (case_id, indicator_code, edition_id, rating, comment, updated_by, updated_at, confirmed,
                  source_kind, source_ref, source_edition_id, source_codes, mapping_kind, crosswalk_id, needs_review)
               SELECT $1, p.code, $2, p.rating, p.comment, $3, now(), false,
                      $4, $5, $6, string_to_array(p.from_codes, ','), p.mapping_kind, $7, p.needs_review
                 FROM jsonb_to_recordset($8::jsonb)
                   AS p(code text, rating text, comment text, from_codes text, mapping_kind text, needs_review boolean)
               ON CONFLICT (case_id, indicator_code) DO UPDATE SET
                 edition_id = EXCLUDED.edition_id, rating = EXCLUDED.rating, comment = EXCLUDED.comment,
                 updated_by = EXCLUDED.updated_by, updated_at = now(), confirmed = false,
                 source_kind = EXCLUDED.source_kind, source_ref = EXCLUDED.source_ref,
                 source_edition_id = EXCLUDED.source_edition_id, source_codes = EXCLUDED.source_codes,
                 mapping_kind = EXCLUDED.mapping_kind, crosswalk_id = EXCLUDED.crosswalk_id,
                 needs_review = EXCLUDED.needs_review
               WHERE NOT self_assessment_answer.confirmed
                  OR self_assessment_answer.edition_id <> EXCLUDED.edition_id
               RETURNING indicator_code`,
              [
                snapshot.id,
                snapshot.editionId,
                actor.userId!,
                source.kind,
                source.ref,
                source.editionId,
                crosswalk?.id ?? null,
                JSON.stringify(
                  proposals.map((proposal) => ({
                    code: proposal.indicatorCode,
                    rating: proposal.rating,
                    comment: proposal.comment,
                    from_codes: proposal.fromCodes.join(','),
                    mapping_kind: proposal.mappingKind,
                    needs_review: proposal.needsReview,
                  })),
                ),
              ],
            );
      const writtenCodes = new Set(written.map((row) => row.indicator_code));
      const applied = proposals.filter((proposal) => writtenCodes.has(proposal.indicatorCode));
      const counts = {
        ...plan.counts,
        prefilled: applied.length,
        needsReview: applied.filter((proposal) => proposal.needsReview).length,
        keptConfirmed: plan.counts.keptConfirmed + (proposals.length - applied.length),
      };
      const prefill: PrefillSummaryDto = {
        kind: source.kind,
        ref: source.ref,
        editionId: source.editionId,
        crosswalkId: crosswalk?.id ?? null,
        counts,
      };
      await this.audit.record(manager, actor, {
        entityType: 'case',
        entityId: snapshot.id,
        caseId: snapshot.id,
        action: 'self_assessment.prefilled',
        data: {
          source: { kind: source.kind, ref: source.ref, editionId: source.editionId },
          crosswalkId: crosswalk?.id ?? null,
          counts,
          answers: applied.map((proposal) => ({
            code: proposal.indicatorCode,
            rating: proposal.rating,
            mappingKind: proposal.mappingKind,
            fromCodes: proposal.fromCodes,
            needsReview: proposal.needsReview,
          })),
        },
      });
      return prefill;
    });
    return { ...(await this.selfAssessments.get(actor, snapshot.id)), prefill: summary };
  }

  /** Indicators of the case's edition whose answer is confirmed, under their row locks. */
  private async confirmedCodes(manager: EntityManager, snapshot: CaseSnapshot): Promise<Set<string>> {
    const rows = await manager.query<{ indicator_code: string }[]>(
      `SELECT indicator_code FROM self_assessment_answer
        WHERE case_id = $1 AND edition_id = $2 AND confirmed ORDER BY indicator_code FOR SHARE`,
      [snapshot.id, snapshot.editionId],
    );
    return new Set(rows.map((row) => row.indicator_code));
  }
}
