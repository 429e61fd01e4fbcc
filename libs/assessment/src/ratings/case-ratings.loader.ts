import { Injectable } from '@nestjs/common';
import { caseProfileOf, type CaseSnapshot } from '@app/cases';
import type { InstitutionProfile } from '@app/identity';
import { type EditionDocumentV2, EditionTree, StandardsService } from '@app/standards';
import type { EntityManager } from 'typeorm';
import { applicabilityOf, type IndicatorApplicability } from '../applicability';
import type { IndicatorRatingEntity } from '../entities/indicator-rating.entity';

export interface CaseRatings {
  edition: EditionDocumentV2;
  tree: EditionTree;
  applicability: IndicatorApplicability[];
  stored: Map<string, IndicatorRatingEntity>;
}

/** A case's edition, the applicability the case's institution profile gives each indicator, and the stored ratings. */
@Injectable()
export class CaseRatingsLoader {
  constructor(private readonly standards: StandardsService) {}

  async load(manager: EntityManager, snapshot: CaseSnapshot): Promise<CaseRatings> {
    return (await this.loadBeside(manager, snapshot.id, Promise.resolve(snapshot))).context;
  }

  /**
   * The case's ratings context read beside `snapshotOf` (the caller's visibility check): the profile and
   * the stored ratings need only the case id, so a read route waits one round trip, not two. When
   * `snapshotOf` rejects, what was read beside it is dropped.
   */
  async loadBeside(
    manager: EntityManager,
    caseId: string,
    snapshotOf: Promise<CaseSnapshot>,
  ): Promise<{ snapshot: CaseSnapshot; context: CaseRatings }> {
    // The profile is the one the case was submitted with (or the live one while it is a draft), never a
    // later edit. Ratings are plain rows in the entity's shape: up to a few hundred a case, read on every
    // ratings and results request, where hydrating entities cost more than the query.
    const [snapshot, profile, rows] = await Promise.all([
      snapshotOf,
      caseProfileOf(manager, caseId),
      manager.query<IndicatorRatingEntity[]>(
        `SELECT case_id AS "caseId", indicator_code AS "indicatorCode", rating, justification,
                evidence_ids::text[] AS "evidenceIds", verified_by AS "verifiedBy", version, rated_by AS "ratedBy",
                rated_at AS "ratedAt"
           FROM indicator_rating WHERE case_id = $1`,
        [caseId],
      ),
    ]);
    // A published edition comes from memory.
    const edition = await this.standards.requireDocument(snapshot.editionId, manager);
    return {
      snapshot,
      context: {
        edition,
        tree: EditionTree.of(edition),
        applicability: applicabilityOf(edition, profile),
        stored: new Map(rows.map((row) => [row.indicatorCode, row])),
      },
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
}
