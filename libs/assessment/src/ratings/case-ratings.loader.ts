import { Injectable } from '@nestjs/common';
import type { CaseSnapshot } from '@app/cases';
import { OrganizationEntity } from '@app/identity';
import { type EditionDocument, StandardsService } from '@app/standards';
import type { EntityManager } from 'typeorm';
import { applicabilityOf, type IndicatorApplicability } from '../applicability';
import { IndicatorRatingEntity } from '../entities/indicator-rating.entity';

export interface CaseRatings {
  edition: EditionDocument;
  applicability: IndicatorApplicability[];
  stored: Map<string, IndicatorRatingEntity>;
}

/** A case's edition, the applicability its institution profile gives each indicator, and the stored ratings. */
@Injectable()
export class CaseRatingsLoader {
  constructor(private readonly standards: StandardsService) {}

  async load(manager: EntityManager, snapshot: CaseSnapshot): Promise<CaseRatings> {
    const edition = await this.standards.requireDocument(snapshot.editionId, manager);
    const institution = await manager
      .getRepository(OrganizationEntity)
      .findOneBy({ id: snapshot.institutionId });
    const rows = await manager.getRepository(IndicatorRatingEntity).findBy({ caseId: snapshot.id });
    return {
      edition,
      applicability: applicabilityOf(edition, institution?.profile ?? null),
      stored: new Map(rows.map((row) => [row.indicatorCode, row])),
    };
  }
}
