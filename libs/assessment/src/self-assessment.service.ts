import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import {
  CaseAccessService,
  caseProfileOf,
  CaseEditWindow,
  CaseRelation,
  type CaseSnapshot,
  GuardFailedError,
  TransitionGuardRegistry,
} from '@app/cases';
import {
  type Actor,
  DomainError,
  type ErrorDetail,
  ErrorCode,
  ForbiddenError,
  ValidationError,
} from '@app/common';
import { runUseCaseTransaction } from '@app/database';
import { StandardsService } from '@app/standards';
import { DataSource, type EntityManager } from 'typeorm';
import { applicabilityOf, type IndicatorApplicability } from './applicability';
import type {
  PrefillSourceDto,
  SelfAssessmentDto,
  SelfAssessmentRequestDto,
} from './dto/self-assessment.dto';
import { SelfAssessmentAnswerEntity } from './entities/self-assessment-answer.entity';

/** In an upsert: the stored answer is the pre-filled one the institution now saves unchanged. */
const SAME_PREFILL =
  'self_assessment_answer.rating = EXCLUDED.rating AND self_assessment_answer.edition_id = EXCLUDED.edition_id';

/** The institution's self-assessment of its case, on the rating scale of the case's edition. */
@Injectable()
export class SelfAssessmentService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly standards: StandardsService,
    private readonly audit: AuditService,
    private readonly guards: TransitionGuardRegistry,
  ) {}

  onModuleInit(): void {
    // An institution applies with its self-assessment complete.
    this.guards.register('submit', 'assessment.self_assessment_complete', async ({ manager, snapshot }) => {
      const view = await this.build(manager, snapshot);
      if (!view.isComplete) {
        throw new GuardFailedError(
          ErrorCode.SelfAssessmentIncomplete,
          `The self-assessment answers ${view.answeredCount} of ${view.applicableCount} applicable indicators`,
          view.answers
            .filter((answer) => answer.applicable && (answer.rating === null || !answer.confirmed))
            .slice(0, 50)
            .map((answer) => ({
              field: 'answers',
              message: answer.rating === null ? 'is not answered' : 'is pre-filled and not confirmed',
              indicatorCode: answer.indicatorCode,
            })),
        );
      }
    });
  }

  async get(actor: Actor, caseId: string): Promise<SelfAssessmentDto> {
    const snapshot = await this.access.findVisible(actor, caseId);
    return this.build(this.dataSource.manager, snapshot);
  }

  /**
   * `options.expectedUpdatedAt` (indicator code → the answer's update time in ms, 0 for none) refuses the
   * batch (409) when an answer changed since it was read; `options.audit` adds to the one audit event.
   */
  async save(
    actor: Actor,
    caseId: string,
    request: SelfAssessmentRequestDto,
    options: { audit?: Record<string, unknown>; expectedUpdatedAt?: ReadonlyMap<string, number> } = {},
  ): Promise<SelfAssessmentDto> {
    const snapshot = await this.access.findVisible(actor, caseId);
    if (!CaseRelation.isInstitutionUser(actor, snapshot))
      throw new ForbiddenError('Only the institution assesses itself');
    CaseEditWindow.assertOpen('self_assessment', snapshot.status);
    const edition = await this.standards.requireDocument(snapshot.editionId);
    const indicators = new Map(
      applicabilityOf(edition, await caseProfileOf(this.dataSource.manager, snapshot.id)).map((entry) => [
        entry.indicator.code,
        entry,
      ]),
    );
    const scale = new Map(edition.scale.ratings.map((rating) => [rating.value, rating]));
    this.validate(request, indicators, scale);

    // Answers in indicator-code order: concurrent saves lock the rows they share in the same order.
    const answers = [...request.answers].sort((a, b) =>
      a.indicatorCode < b.indicatorCode ? -1 : a.indicatorCode > b.indicatorCode ? 1 : 0,
    );
    await runUseCaseTransaction(this.dataSource, async (manager) => {
      // Checked under the case row's lock: a submit waits for this save, or this save sees the case submitted.
      await CaseEditWindow.lockForEdit(manager, caseId, 'self_assessment');
      if (options.expectedUpdatedAt) await this.assertUnchanged(manager, caseId, options.expectedUpdatedAt);
      // Saving an answer confirms it: a pre-filled answer counts from now on. Its source is kept when the
      // institution confirmed the pre-filled rating as it was, and dropped when it chose another one.
      await manager.query(
        `INSERT INTO self_assessment_answer
           (case_id, indicator_code, edition_id, rating, comment, updated_by, updated_at, confirmed, needs_review)
         SELECT $1, a.code, $2, a.rating, a.comment, $3, now(), true, false
           FROM jsonb_to_recordset($4::jsonb) AS a(code text, rating text, comment text)
         ON CONFLICT (case_id, indicator_code) DO UPDATE SET
           source_kind = CASE WHEN ${SAME_PREFILL} THEN self_assessment_answer.source_kind END,
           source_ref = CASE WHEN ${SAME_PREFILL} THEN self_assessment_answer.source_ref END,
           source_edition_id = CASE WHEN ${SAME_PREFILL} THEN self_assessment_answer.source_edition_id END,
           source_codes = CASE WHEN ${SAME_PREFILL} THEN self_assessment_answer.source_codes END,
           mapping_kind = CASE WHEN ${SAME_PREFILL} THEN self_assessment_answer.mapping_kind END,
           crosswalk_id = CASE WHEN ${SAME_PREFILL} THEN self_assessment_answer.crosswalk_id END,
           edition_id = EXCLUDED.edition_id, rating = EXCLUDED.rating, comment = EXCLUDED.comment,
           updated_by = EXCLUDED.updated_by, updated_at = now(), confirmed = true, needs_review = false`,
        [
          caseId,
          snapshot.editionId,
          actor.userId!,
          JSON.stringify(
            answers.map((answer) => ({
              code: answer.indicatorCode,
              rating: answer.rating,
              comment: answer.comment ? answer.comment : null,
            })),
          ),
        ],
      );
      await this.audit.record(manager, actor, {
        entityType: 'case',
        entityId: caseId,
        caseId,
        action: 'self_assessment.saved',
        data: {
          answers: request.answers.map((answer) => ({ code: answer.indicatorCode, rating: answer.rating })),
          ...options.audit,
        },
      });
    });
    return this.build(this.dataSource.manager, snapshot);
  }

  /** The answers as read, under their row locks in this transaction; 409 STALE_VERSION otherwise. */
  private async assertUnchanged(
    manager: EntityManager,
    caseId: string,
    expected: ReadonlyMap<string, number>,
  ): Promise<void> {
    const codes = [...expected.keys()].sort();
    const rows = await manager.query<{ indicator_code: string; updated_at: Date }[]>(
      `SELECT indicator_code, updated_at FROM self_assessment_answer
       WHERE case_id = $1 AND indicator_code = ANY($2::text[]) ORDER BY indicator_code FOR UPDATE`,
      [caseId, codes],
    );
    const stored = new Map(rows.map((row) => [row.indicator_code, new Date(row.updated_at).getTime()]));
    const changed = codes.filter((code) => (stored.get(code) ?? 0) !== expected.get(code));
    if (changed.length > 0) {
      throw new DomainError(
        ErrorCode.StaleVersion,
        'Some answers changed since they were read; nothing was saved. Reload them and try again',
        changed.map((code) => ({
          field: 'answers',
          message: `indicator ${code} changed`,
          indicatorCode: code,
        })),
      );
    }
  }

  private validate(
    request: SelfAssessmentRequestDto,
    indicators: Map<string, IndicatorApplicability>,
    scale: Map<string, { notApplicable: boolean }>,
  ): void {
    const invalid: ErrorDetail[] = [];
    const unknown: ErrorDetail[] = [];
    const inapplicable: ErrorDetail[] = [];
    const seen = new Set<string>();
    request.answers.forEach((answer, index) => {
      const path = `answers[${index}]`;
      if (seen.has(answer.indicatorCode))
        invalid.push({ field: `${path}.indicatorCode`, message: 'is answered twice' });
      seen.add(answer.indicatorCode);
      const rating = scale.get(answer.rating);
      if (!rating)
        invalid.push({ field: `${path}.rating`, message: `must be one of ${[...scale.keys()].join(', ')}` });
      else if (rating.notApplicable && !answer.comment) {
        invalid.push({
          field: `${path}.comment`,
          message: 'is required when the indicator is rated not applicable',
        });
      }
      const indicator = indicators.get(answer.indicatorCode);
      if (!indicator)
        unknown.push({
          field: `${path}.indicatorCode`,
          message: `${answer.indicatorCode} is not an indicator of this edition`,
        });
      else if (!indicator.applicable)
        inapplicable.push({ field: `${path}.indicatorCode`, message: indicator.reason ?? 'not applicable' });
    });
    if (invalid.length > 0) throw new ValidationError(`${invalid.length} answer(s) are invalid`, invalid);
    if (unknown.length > 0) {
      throw new GuardFailedError(
        ErrorCode.UnknownIndicatorCodes,
        'Some indicator codes are not in the case edition',
        unknown,
      );
    }
    if (inapplicable.length > 0) {
      throw new GuardFailedError(
        ErrorCode.IndicatorNotApplicable,
        'Some indicators do not apply to this institution and are not applicable already',
        inapplicable,
      );
    }
  }

  private async build(manager: EntityManager, snapshot: CaseSnapshot): Promise<SelfAssessmentDto> {
    const edition = await this.standards.requireDocument(snapshot.editionId, manager);
    const applicability = applicabilityOf(edition, await caseProfileOf(manager, snapshot.id));
    const saved = new Map(
      (
        await manager
          .getRepository(SelfAssessmentAnswerEntity)
          .findBy({ caseId: snapshot.id, editionId: snapshot.editionId })
      ).map((answer) => [answer.indicatorCode, answer]),
    );
    const notApplicable =
      edition.scale.ratings.find((rating) => rating.notApplicable)?.value ?? 'not_applicable';
    const answers = applicability.map(({ indicator, applicable, reason }) => {
      const answer = saved.get(indicator.code);
      return applicable
        ? {
            indicatorCode: indicator.code,
            applicable,
            rating: answer?.rating ?? null,
            comment: answer?.comment ?? null,
            inapplicableReason: null,
            updatedAt: answer?.updatedAt.toISOString() ?? null,
            confirmed: answer?.confirmed ?? false,
            source: answer ? prefillSourceOf(answer) : null,
            needsReview: answer?.needsReview ?? false,
          }
        : {
            indicatorCode: indicator.code,
            applicable,
            rating: notApplicable,
            comment: reason,
            inapplicableReason: reason,
            updatedAt: null,
            confirmed: true,
            source: null,
            needsReview: false,
          };
    });
    const applicableAnswers = answers.filter((answer) => answer.applicable);
    // Only confirmed answers count; a pre-filled one waits for the institution.
    const answeredCount = applicableAnswers.filter(
      (answer) => answer.rating !== null && answer.confirmed,
    ).length;
    return {
      caseId: snapshot.id,
      editionId: snapshot.editionId,
      applicableCount: applicableAnswers.length,
      answeredCount,
      unconfirmedCount: applicableAnswers.filter((answer) => answer.rating !== null && !answer.confirmed)
        .length,
      isComplete: answeredCount === applicableAnswers.length,
      answers,
    };
  }
}

/** The provenance of a pre-filled answer, as the API shows it; null for an answer the institution typed. */
export function prefillSourceOf(answer: SelfAssessmentAnswerEntity): PrefillSourceDto | null {
  if (!answer.sourceKind || !answer.sourceRef || !answer.mappingKind || !answer.sourceEditionId) return null;
  return {
    kind: answer.sourceKind,
    ref: answer.sourceRef,
    mappingKind: answer.mappingKind,
    editionId: answer.sourceEditionId,
    fromCodes: answer.sourceCodes ?? [],
    crosswalkId: answer.crosswalkId,
  };
}
