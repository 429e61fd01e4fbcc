import { Injectable } from '@nestjs/common';
import {
  CASE_PROFILE_COLUMN,
  CASE_SNAPSHOT_COLUMNS,
  CaseAccessService,
  type CaseSnapshot,
  type CaseSnapshotRow,
  snapshotOfRow,
} from '@app/cases';
import { type Actor, NotFoundError, type RenderedAnswers, RenderedJson } from '@app/common';
import { PreparedQueries } from '@app/database';
import type { InstitutionProfile } from '@app/identity';
import { type EditionDocumentV2, EditionTree, StandardsService } from '@app/standards';
import type { EntityManager } from 'typeorm';
import { applicabilityOf, type IndicatorApplicability } from '../applicability';
import type { IndicatorRatingEntity } from '../entities/indicator-rating.entity';
import { assertRatingsVisible } from './ratings-visibility';

/**
 * A stored rating as the read routes show it: `ratedAt` is already the ISO 8601 string of the answer (UTC,
 * milliseconds, as Date#toISOString writes it), rendered by PostgreSQL, so no Date is parsed or printed.
 */
export type StoredRating = Omit<IndicatorRatingEntity, 'case' | 'rater' | 'ratedAt'> & { ratedAt: string };

export interface CaseRatings {
  edition: EditionDocumentV2;
  tree: EditionTree;
  applicability: IndicatorApplicability[];
  stored: Map<string, StoredRating>;
}

/** A confirmed self-assessment answer of the case's edition. */
export interface ConfirmedAnswer {
  indicatorCode: string;
  rating: string;
}

/** What `readVisible` answers: the case as the caller may see it and its ratings context. */
export interface VisibleCaseRatings {
  snapshot: CaseSnapshot;
  context: CaseRatings;
  /** Only when asked for (`withConfirmedAnswers`), else empty. */
  confirmedAnswers: ConfirmedAnswer[];
}

/**
 * The stored ratings of the case `c` (`certification_case` aliased so) as one JSON array, null when it has
 * none. `ratedAt` is rendered as Date#toISOString would (to_char truncates to the millisecond as the
 * driver's Date does, as the audit chain's verification relies on too).
 */
const RATINGS_LIST = `(
    SELECT json_agg(json_build_object('caseId', r.case_id, 'indicatorCode', r.indicator_code, 'rating', r.rating,
             'justification', r.justification, 'evidenceIds', r.evidence_ids, 'verifiedBy', r.verified_by,
             'version', r.version, 'ratedBy', r.rated_by,
             'ratedAt', to_char(r.rated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
      FROM indicator_rating r WHERE r.case_id = c.id)`;
/** The profile that decides applicability (see `caseProfileOf`) and the stored ratings. */
const RATINGS_COLUMNS = `${CASE_PROFILE_COLUMN} AS profile, ${RATINGS_LIST} AS ratings`;
const RATINGS_FROM = `FROM certification_case c
  LEFT JOIN organization institution ON institution.id = c.institution_id`;

/**
 * Only what the institution confirmed, of the case's edition: a pre-filled answer it never confirmed is
 * not its self-assessment. `select` is what is read of each answer `a`.
 */
const confirmedAnswers = (select: string) =>
  `(SELECT ${select} FROM self_assessment_answer a
     WHERE a.case_id = c.id AND a.confirmed AND a.edition_id = c.edition_id)`;

/** The row versions (`xmin/ctid`) of the rows aliased `alias`, in indicator order: what the fingerprint covers. */
const rowVersions = (alias: string) =>
  `string_agg(${alias}.xmin::text || '/' || ${alias}.ctid::text, ',' ORDER BY ${alias}.indicator_code)`;

interface RatingsRow {
  profile: InstitutionProfile | null;
  /** Null when the case has no rating. */
  ratings: StoredRating[] | null;
}

/** What `queryRatings` reads: ratings and answers are null too when the fingerprint was already known. */
type RatingsReadRow = CaseSnapshotRow &
  RatingsRow & { fingerprint: string; confirmedAnswers: ConfirmedAnswer[] | null };

/** A case's edition, the applicability the case's institution profile gives each indicator, and the stored ratings. */
@Injectable()
export class CaseRatingsLoader {
  constructor(
    private readonly standards: StandardsService,
    private readonly access: CaseAccessService,
    private readonly prepared: PreparedQueries,
  ) {}

  /** The ratings context of a case the caller already holds, in one statement (the edition comes from memory). */
  async load(manager: EntityManager, snapshot: CaseSnapshot): Promise<CaseRatings> {
    const [found] = await manager.query<RatingsRow[]>(
      `SELECT ${RATINGS_COLUMNS} ${RATINGS_FROM} WHERE c.id = $1`,
      [snapshot.id],
    );
    return this.contextOf(snapshot, found ?? { profile: null, ratings: null }, manager);
  }

  /**
   * A read route's one statement: the case's snapshot, its profile, its ratings (and its confirmed
   * self-assessment answers when asked), answered only when the caller may see the case
   * (`CaseAccessService.visible`: NotFoundError otherwise, as for a missing case).
   */
  async readVisible(
    actor: Actor,
    caseId: string,
    options: { withConfirmedAnswers: boolean },
  ): Promise<VisibleCaseRatings> {
    const found = await this.queryRatings(caseId, options.withConfirmedAnswers, null);
    const snapshot = this.access.visible(actor, snapshotOfRow(found));
    return this.visibleRatingsOf(snapshot, found);
  }

  /**
   * A read route's answer in one statement, rendered once per state of the case's ratings: the statement
   * reads what `readVisible` reads and a SHA-256 fingerprint of everything the answer is made of (the
   * edition, the profile, the ratings, the confirmed answers when asked), and leaves the ratings out when
   * the fingerprint is the one `answers` holds for the case, whose rendering is then answered again. The
   * case's visibility and its ratings' (`assertRatingsVisible`) are decided on the snapshot read by the
   * same statement, every time. `render` must depend on nothing but what it is given.
   */
  async renderVisible(
    actor: Actor,
    caseId: string,
    options: {
      withConfirmedAnswers: boolean;
      answers: RenderedAnswers;
      render: (read: VisibleCaseRatings) => unknown;
    },
  ): Promise<RenderedJson> {
    const held = options.answers.get(caseId);
    const found = await this.queryRatings(caseId, options.withConfirmedAnswers, held?.fingerprint ?? null);
    const snapshot = this.access.visible(actor, snapshotOfRow(found));
    assertRatingsVisible(actor, snapshot);
    if (held && found.fingerprint === held.fingerprint) return held.rendered;
    const rendered = RenderedJson.of(options.render(await this.visibleRatingsOf(snapshot, found)));
    options.answers.keep(caseId, found.fingerprint, rendered);
    return rendered;
  }

  /**
   * The case's snapshot, profile, ratings and (when asked) confirmed self-assessment answers, with the
   * fingerprint of what they show; the ratings and answers are null when the fingerprint is `known`.
   * NotFoundError for a missing case.
   */
  private async queryRatings(
    caseId: string,
    withConfirmedAnswers: boolean,
    known: string | null,
  ): Promise<RatingsReadRow> {
    // The fingerprint is a SHA-256 over the edition, the profile's text and the row versions of every
    // rating and confirmed answer (`xmin`/`ctid`, in a fixed order, each part quoted so that no two states
    // can read alike): cheap beside building the JSON (0.2 ms against 1.2 ms for 153 ratings), which is
    // built only when the fingerprint is new. A row version's (xmin, ctid) names its content: PostgreSQL
    // never changes a user table's row in place, every insert or update writes a new version with the
    // writing transaction's id at a new place (as `xmin` serves as a row version in Npgsql's EF Core
    // provider). A rewrite of the table (VACUUM FULL) moves rows: the renderings are then merely made
    // again. A transaction id is reused only after 2^32 others, and then only at the same place.
    const answers = withConfirmedAnswers
      ? confirmedAnswers(`json_agg(json_build_object('indicatorCode', a.indicator_code, 'rating', a.rating))`)
      : 'NULL::json';
    const answerVersions = withConfirmedAnswers ? confirmedAnswers(rowVersions('a')) : 'NULL::text';
    const [found] = await this.prepared.query<RatingsReadRow[]>(
      `SELECT ${CASE_SNAPSHOT_COLUMNS}, ${CASE_PROFILE_COLUMN} AS profile, read.fingerprint,
              CASE WHEN read.fingerprint = $2 THEN NULL ELSE ${RATINGS_LIST} END AS ratings,
              CASE WHEN read.fingerprint = $2 THEN NULL ELSE ${answers} END AS "confirmedAnswers"
         ${RATINGS_FROM}
         CROSS JOIN LATERAL (
           SELECT encode(sha256(convert_to(concat_ws(',', quote_nullable(c.edition_id),
                    quote_nullable((${CASE_PROFILE_COLUMN})::text),
                    quote_nullable((SELECT ${rowVersions('r')} FROM indicator_rating r WHERE r.case_id = c.id)),
                    quote_nullable(${answerVersions})), 'UTF8')), 'base64') AS fingerprint
         ) read
        WHERE c.id = $1`,
      [caseId, known],
    );
    if (!found) throw new NotFoundError('Case');
    return found;
  }

  private async visibleRatingsOf(snapshot: CaseSnapshot, found: RatingsReadRow): Promise<VisibleCaseRatings> {
    return {
      snapshot,
      context: await this.contextOf(snapshot, found),
      confirmedAnswers: found.confirmedAnswers ?? [],
    };
  }

  /**
   * What checking a batch of ratings needs and no more: the edition and the applicability `profile` (the
   * case's, from `caseProfileOf`) gives; the stored ratings are not read.
   */
  async rulesOf(
    snapshot: CaseSnapshot,
    profile: InstitutionProfile | null,
    manager?: EntityManager,
  ): Promise<Omit<CaseRatings, 'stored'>> {
    const edition = await this.standards.requireDocument(snapshot.editionId, manager);
    return { edition, tree: EditionTree.of(edition), applicability: applicabilityOf(edition, profile) };
  }

  private async contextOf(
    snapshot: CaseSnapshot,
    { profile, ratings }: RatingsRow,
    manager?: EntityManager,
  ): Promise<CaseRatings> {
    // A published edition comes from memory.
    const edition = await this.standards.requireDocument(snapshot.editionId, manager);
    return {
      edition,
      tree: EditionTree.of(edition),
      applicability: applicabilityOf(edition, profile),
      stored: new Map((ratings ?? []).map((rating) => [rating.indicatorCode, rating])),
    };
  }
}
