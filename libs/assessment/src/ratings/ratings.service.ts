import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService, type PreparedAuditAppend } from '@app/audit';
import {
  CASE_EDIT_WINDOWS,
  CaseAccessService,
  CaseEditWindow,
  CaseRelation,
  GuardFailedError,
  type LockedCase,
  TransitionGuardRegistry,
} from '@app/cases';
import {
  type Actor,
  DomainError,
  type ErrorDetail,
  ErrorCode,
  ForbiddenError,
  RenderedAnswers,
  type RenderedJson,
  ValidationError,
} from '@app/common';
import {
  isStatementChecksFailed,
  isTransientConflict,
  PreparedQueries,
  runUseCaseTransaction,
} from '@app/database';
import { evidenceIdsNotInCase } from '@app/evidence';
import { DataSource, type EntityManager } from 'typeorm';
import {
  type RatingDto,
  type RatingsDto,
  type SavedRatingsDto,
  type SaveRatingsRequestDto,
  VERIFICATION_SOURCES,
} from '../dto/ratings.dto';
import { type CaseRatings, CaseRatingsLoader } from './case-ratings.loader';
import { assertRatingsVisible } from './ratings-visibility';
import { ResultsService } from './results.service';

/** A rating item as the upsert writes it. */
function upsertRowOf(item: SaveRatingsRequestDto['ratings'][number]) {
  return {
    code: item.indicatorCode,
    rating: item.rating,
    justification: item.justification ? item.justification : null,
    evidence_ids: item.evidenceIds ?? [],
    // In the order of VERIFICATION_SOURCES, once each.
    verified_by: VERIFICATION_SOURCES.filter((source) => item.verifiedBy?.includes(source)),
    expected: item.version ?? 0,
  };
}

/** The version an item's rating has once saved: one more than the version read (0 for a first rating). */
const savedVersionOf = (item: SaveRatingsRequestDto['ratings'][number]): number => (item.version ?? 0) + 1;

/** The mission team's ratings: saved in batches, all or nothing, in one multi-row upsert. */
@Injectable()
export class RatingsService implements OnModuleInit {
  /** `GET /ratings` answers rendered, one per case, for the state of its ratings they show. */
  private readonly renderedAnswers = new RenderedAnswers();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CaseAccessService,
    private readonly loader: CaseRatingsLoader,
    private readonly audit: AuditService,
    private readonly results: ResultsService,
    private readonly guards: TransitionGuardRegistry,
    private readonly prepared: PreparedQueries,
  ) {}

  onModuleInit(): void {
    // Findings are issued on a complete rating.
    this.guards.register(
      'issue_findings',
      'assessment.every_applicable_indicator_rated',
      async ({ manager, snapshot }) => {
        const results = await this.results.compute(manager, snapshot);
        if (results.unratedCount > 0) {
          const unrated = results.indicators.filter(
            (indicator) => indicator.applicable && indicator.rating === null,
          );
          throw new GuardFailedError(
            ErrorCode.UnratedIndicators,
            `${results.unratedCount} applicable indicator(s) are not rated`,
            unrated.slice(0, 100).map((indicator) => ({
              field: 'ratings',
              message: 'is not rated',
              indicatorCode: indicator.code,
            })),
          );
        }
      },
    );
  }

  async get(actor: Actor, caseId: string): Promise<RatingsDto> {
    // One statement: the case as the caller may see it, its profile and its ratings.
    const { snapshot, context } = await this.loader.readVisible(actor, caseId, {
      withConfirmedAnswers: false,
    });
    assertRatingsVisible(actor, snapshot);
    return this.toDto(caseId, context);
  }

  /** `get` as the read route answers it: rendered once per state of the case's ratings (one statement). */
  rendered(actor: Actor, caseId: string): Promise<RenderedJson> {
    return this.loader.renderVisible(actor, caseId, {
      withConfirmedAnswers: false,
      answers: this.renderedAnswers,
      render: ({ context }) => this.toDto(caseId, context),
    });
  }

  /**
   * Saves the batch and answers the saved ratings with their new versions. `options.audit` adds to the
   * one audit event (a workbook import names its file and counts there).
   */
  async save(
    actor: Actor,
    caseId: string,
    request: SaveRatingsRequestDto,
    options: { audit?: Record<string, unknown> } = {},
  ): Promise<SavedRatingsDto> {
    // The case and the profile it is rated against, in one statement.
    const { snapshot, profile } = await this.access.findVisibleWithProfile(actor, caseId);
    if (!CaseRelation.isOnMissionTeam(actor, snapshot))
      throw new ForbiddenError('Only raters on the mission team rate');
    CaseEditWindow.assertOpen('ratings', snapshot.status);
    this.validate(request, await this.loader.rulesOf(snapshot, profile));

    const event = this.audit.prepare(actor, {
      entityType: 'case',
      entityId: caseId,
      caseId,
      action: 'ratings.saved',
      data: {
        ratings: request.ratings.map((item) => ({
          code: item.indicatorCode,
          rating: item.rating,
          ...(item.verifiedBy?.length ? { verifiedBy: item.verifiedBy } : {}),
          version: savedVersionOf(item),
        })),
        ...options.audit,
      },
    });
    // A batch that can be saved whole is saved by one statement outside a transaction block, which checks
    // what it wrote and undoes all of it when a check fails; then the transaction below runs every check
    // again, one by one, and answers the first that fails (or saves the batch, if what failed has passed).
    const ratedAt =
      (await this.saveWhole(caseId, actor.userId!, request, event)) ??
      (await runUseCaseTransaction(this.dataSource, async (manager) => {
        // The freeze is checked under the case row's lock, taken by the upsert's statement before it writes:
        // refer_to_committee waits for this save, or this save sees the case referred and keeps nothing.
        // The same statement appends the audit event once every item is saved (it is undone with the rest
        // when a check below throws).
        const { locked, applied, isAudited, ratedAt } = await this.lockUpsertAndAudit(
          manager,
          caseId,
          actor.userId!,
          request,
          event,
        );
        CaseEditWindow.assertLockedOpen(
          locked,
          'ratings',
          request.ratings.map((item) => item.indicatorCode),
        );
        const stale = request.ratings.filter((item) => !applied.has(item.indicatorCode));
        // Nothing of the batch is kept unless every item was applied (the transaction rolls back on throw).
        if (stale.length > 0) await this.refuseUnknownVersionClaims(manager, caseId, request, stale);
        await this.assertEvidenceOfCase(manager, caseId, request);
        if (stale.length > 0) {
          throw new DomainError(
            ErrorCode.StaleVersion,
            'Some ratings changed since they were read; nothing was saved. Reload them and try again',
            stale.map((item) => ({
              field: `ratings[${request.ratings.indexOf(item)}].version`,
              message: `indicator ${item.indicatorCode} is no longer at version ${item.version ?? 0}`,
            })),
          );
        }
        if (!isAudited) throw new Error('The ratings were saved without their audit event');
        return ratedAt;
      }));
    // Every item was saved as sent (upsertRowOf), at the transaction's time.
    return {
      caseId,
      ratings: request.ratings.map((item) => {
        const row = upsertRowOf(item);
        return {
          indicatorCode: row.code,
          applicable: true,
          rating: row.rating,
          justification: row.justification,
          // As PostgreSQL writes a uuid (the validators let only the hyphenated form through).
          evidenceIds: row.evidence_ids.map((id) => id.toLowerCase()),
          verifiedBy: row.verified_by,
          version: savedVersionOf(item),
          ratedBy: actor.userId!,
          ratedAt: ratedAt.toISOString(),
        };
      }),
    };
  }

  private validate(
    request: SaveRatingsRequestDto,
    context: Pick<CaseRatings, 'edition' | 'applicability'>,
  ): void {
    const scale = new Map(context.edition.scale.ratings.map((rating) => [rating.value, rating]));
    const indicators = new Map(context.applicability.map((entry) => [entry.indicator.code, entry]));
    const invalid: ErrorDetail[] = [];
    const unknown: ErrorDetail[] = [];
    const seen = new Set<string>();
    request.ratings.forEach((item, index) => {
      const path = `ratings[${index}]`;
      if (seen.has(item.indicatorCode))
        invalid.push({ field: `${path}.indicatorCode`, message: 'is rated twice in the request' });
      seen.add(item.indicatorCode);
      const indicator = indicators.get(item.indicatorCode);
      if (!indicator) {
        unknown.push({
          field: `${path}.indicatorCode`,
          message: `${item.indicatorCode} is not an indicator of this edition`,
        });
        return;
      }
      const definition = scale.get(item.rating);
      if (!definition) {
        invalid.push({ field: `${path}.rating`, message: `must be one of ${[...scale.keys()].join(', ')}` });
        return;
      }
      if (definition.requiresJustification && !item.justification) {
        invalid.push({ field: `${path}.justification`, message: `is required for ${item.rating}` });
      }
      // A rater may override the applicability the profile gives, with a justification.
      if (!indicator.applicable && !definition.notApplicable && !item.justification) {
        invalid.push({
          field: `${path}.justification`,
          message: 'is required to rate an indicator the profile makes not applicable',
        });
      }
    });
    if (invalid.length > 0)
      throw new ValidationError(`${invalid.length} rating(s) are invalid; nothing was saved`, invalid);
    if (unknown.length > 0) {
      throw new GuardFailedError(
        ErrorCode.UnknownIndicatorCodes,
        'Some indicator codes are not in the case edition',
        unknown,
      );
    }
  }

  /**
   * A first rating claims no version: items of the batch that claim one for an indicator never rated are
   * refused as such (409, naming each), whatever else is stale. Runs only when the upsert left items out.
   */
  private async refuseUnknownVersionClaims(
    manager: EntityManager,
    caseId: string,
    request: SaveRatingsRequestDto,
    stale: SaveRatingsRequestDto['ratings'],
  ): Promise<void> {
    const claiming = stale.filter((item) => (item.version ?? 0) !== 0);
    if (claiming.length === 0) return;
    const rated = new Set(
      (
        await manager.query<{ code: string }[]>(
          'SELECT indicator_code AS code FROM indicator_rating WHERE case_id = $1 AND indicator_code = ANY($2)',
          [caseId, claiming.map((item) => item.indicatorCode)],
        )
      ).map((row) => row.code),
    );
    const claimsUnknownVersion = request.ratings
      .map((item, index) => ({ item, index }))
      .filter(({ item }) => claiming.includes(item) && !rated.has(item.indicatorCode));
    if (claimsUnknownVersion.length > 0) {
      throw new DomainError(
        ErrorCode.StaleVersion,
        'Some indicators have no rating at the version given; nothing was saved',
        claimsUnknownVersion.map(({ item, index }) => ({
          field: `ratings[${index}].version`,
          message: `indicator ${item.indicatorCode} has not been rated yet: omit version`,
        })),
      );
    }
  }

  private async assertEvidenceOfCase(
    manager: EntityManager,
    caseId: string,
    request: SaveRatingsRequestDto,
  ): Promise<void> {
    const foreign = new Set(
      await evidenceIdsNotInCase(
        manager,
        caseId,
        request.ratings.flatMap((item) => item.evidenceIds ?? []),
      ),
    );
    const problems = request.ratings.flatMap((item, index) =>
      (item.evidenceIds ?? [])
        .filter((id) => foreign.has(id))
        .map((id) => ({
          field: `ratings[${index}].evidenceIds`,
          message: `${id} is not evidence of this case`,
        })),
    );
    if (problems.length > 0) {
      throw new GuardFailedError(
        ErrorCode.EvidenceNotInCase,
        'Ratings may only cite evidence of the same case',
        problems,
      );
    }
  }

  /**
   * The batch saved whole by one statement outside a transaction block (`upsertStatement` with the
   * checks of the transaction's path made in SQL): the time it was saved at, or null when nothing of it
   * was kept because a check failed (the case is gone or its window closed, an indicator is not reopened,
   * an item was stale, a cited evidence item is not the case's) or the statement met a deadlock: then the
   * transaction's path runs the checks one by one and answers the first that fails.
   */
  private async saveWhole(
    caseId: string,
    ratedBy: string,
    request: SaveRatingsRequestDto,
    event: PreparedAuditAppend,
  ): Promise<Date | null> {
    try {
      const [found] = await this.prepared.query<{ ratedAt: Date }[]>(
        this.upsertStatement(event, { whole: true }),
        [
          ...this.upsertParameters(caseId, ratedBy, request, event),
          request.ratings.map((item) => item.indicatorCode),
          [...new Set(request.ratings.flatMap((item) => item.evidenceIds ?? []))],
        ],
      );
      return found?.ratedAt ?? null;
    } catch (error) {
      if (isStatementChecksFailed(error) || isTransientConflict(error)) return null;
      throw error;
    }
  }

  /**
   * One statement: the case row locked `FOR SHARE` (as CaseEditWindow.lockForEdit locks it), then one
   * INSERT … ON CONFLICT for the whole batch, written only when the locked row exists in a status whose
   * ratings are open (the lock is taken before any row is written: the gate is evaluated first). The
   * caller checks the locked row with CaseEditWindow.assertLockedOpen and throws, undoing the transaction,
   * when the window is closed. A rating row is updated only when its stored version is the one the client
   * read, and inserted only when the client claimed none; rows that are not returned were stale (or
   * claimed a version of a rating that does not exist). Rows are written in indicator-code order, so two
   * batches of the same indicators lock them in the same order and cannot deadlock each other. The
   * prepared audit event is appended last, when every item of the batch was saved.
   */
  private async lockUpsertAndAudit(
    manager: EntityManager,
    caseId: string,
    ratedBy: string,
    request: SaveRatingsRequestDto,
    event: PreparedAuditAppend,
  ): Promise<{ locked: LockedCase | null; applied: Set<string>; isAudited: boolean; ratedAt: Date }> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('A case row is locked inside the transaction that makes the change');
    }
    const [found] = await this.prepared.query<
      (LockedCase & { applied: string[]; audited: number; ratedAt: Date })[]
    >(
      this.upsertStatement(event, { whole: false }),
      this.upsertParameters(caseId, ratedBy, request, event),
      manager,
    );
    if (!found) return { locked: null, applied: new Set(), isAudited: false, ratedAt: new Date() };
    const { applied, audited, ratedAt, ...locked } = found;
    return { locked, applied: new Set(applied), isAudited: audited === 1, ratedAt };
  }

  /**
   * The locked case with the codes of the ratings saved, whether the event was appended, and the time
   * they were saved at (the transaction's, as rated_at); no row when there is no such case. A named
   * prepared statement: planned once per connection, not on every save. `whole` ends the statement
   * through `abort_unless` (nothing of it kept) unless the window is open, every indicator is open to
   * rating ($21: a case reopened for a re-rating opens only its reopened indicators), every item was
   * saved, the event appended, and every evidence item cited ($22) is the case's and not removed: the
   * checks the transaction's path makes one by one, in the one statement.
   */
  private upsertStatement(event: PreparedAuditAppend, { whole }: { whole: boolean }): string {
    return `WITH locked AS MATERIALIZED (
         SELECT id, status, version, reopened_indicator_codes FROM certification_case WHERE id = $1 FOR SHARE
       ), saved AS (
         INSERT INTO indicator_rating (case_id, indicator_code, rating, justification, evidence_ids, verified_by, version, rated_by, rated_at)
         SELECT $1, item.code, item.rating, item.justification, item.evidence_ids::uuid[], item.verified_by, item.expected + 1, $2, now()
         FROM ROWS FROM (
           jsonb_to_recordset($3::jsonb)
             AS (code text, rating text, justification text, evidence_ids text[], verified_by text[], expected integer)
         ) WITH ORDINALITY AS item(code, rating, justification, evidence_ids, verified_by, expected, position)
         WHERE EXISTS (SELECT 1 FROM locked WHERE locked.status = ANY($4::text[]))
           AND (item.expected = 0
                OR EXISTS (SELECT 1 FROM indicator_rating r WHERE r.case_id = $1 AND r.indicator_code = item.code))
         ORDER BY item.position
         ON CONFLICT (case_id, indicator_code) DO UPDATE
           SET rating = EXCLUDED.rating,
               justification = EXCLUDED.justification,
               evidence_ids = EXCLUDED.evidence_ids,
               verified_by = EXCLUDED.verified_by,
               version = indicator_rating.version + 1,
               rated_by = EXCLUDED.rated_by,
               rated_at = EXCLUDED.rated_at
           WHERE indicator_rating.version = EXCLUDED.version - 1
         RETURNING indicator_code
       ), audited AS (
         ${event.sql(5, '(SELECT count(*) FROM saved) = $20')}
         RETURNING 1
       )
       SELECT id, status, version, reopened_indicator_codes AS "reopenedIndicatorCodes",
              ARRAY(SELECT indicator_code FROM saved) AS applied, (SELECT count(*) FROM audited)::int AS audited,
              now() AS "ratedAt"${
                whole
                  ? `,
              abort_unless(
                locked.status = ANY($4::text[])
                AND (locked.reopened_indicator_codes IS NULL OR $21::text[] <@ locked.reopened_indicator_codes)
                AND (SELECT count(*) FROM saved) = $20
                AND (SELECT count(*) FROM audited) = 1
                AND NOT EXISTS (
                  SELECT 1 FROM unnest($22::uuid[]) AS cited(id)
                  WHERE NOT EXISTS (SELECT 1 FROM evidence_item e
                                    WHERE e.id = cited.id AND e.case_id = $1 AND e.deleted_at IS NULL))
              ) AS whole`
                  : ''
              }
         FROM locked`;
  }

  private upsertParameters(
    caseId: string,
    ratedBy: string,
    request: SaveRatingsRequestDto,
    event: PreparedAuditAppend,
  ): unknown[] {
    // In indicator-code order (see lockUpsertAndAudit).
    const items = [...request.ratings].sort((a, b) =>
      a.indicatorCode < b.indicatorCode ? -1 : a.indicatorCode > b.indicatorCode ? 1 : 0,
    );
    return [
      caseId,
      ratedBy,
      JSON.stringify(items.map(upsertRowOf)),
      CASE_EDIT_WINDOWS.ratings.openIn,
      ...event.parameters,
      request.ratings.length,
    ];
  }

  private toDto(caseId: string, context: CaseRatings): RatingsDto {
    const notApplicable =
      context.edition.scale.ratings.find((rating) => rating.notApplicable)?.value ?? 'not_applicable';
    const ratings: RatingDto[] = context.applicability.map(({ indicator, applicable, reason }) => {
      const stored = context.stored.get(indicator.code);
      if (stored) {
        return {
          indicatorCode: indicator.code,
          applicable: stored.rating !== notApplicable,
          rating: stored.rating,
          justification: stored.justification,
          evidenceIds: stored.evidenceIds,
          verifiedBy: stored.verifiedBy,
          version: stored.version,
          ratedBy: stored.ratedBy,
          ratedAt: stored.ratedAt,
        };
      }
      return {
        indicatorCode: indicator.code,
        applicable,
        rating: applicable ? null : notApplicable,
        justification: applicable ? null : reason,
        evidenceIds: [],
        verifiedBy: [],
        version: 0,
        ratedBy: null,
        ratedAt: null,
      };
    });
    const applicableRatings = ratings.filter((rating) => rating.applicable);
    return {
      caseId,
      applicableCount: applicableRatings.length,
      ratedCount: applicableRatings.filter((rating) => rating.rating !== null).length,
      ratings,
    };
  }
}
