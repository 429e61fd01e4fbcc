import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CaseSnapshot } from '@app/cases';
import type { Actor } from '@app/common';
import type { UploadSource } from '@app/evidence';
import { OrganizationEntity, UserEntity } from '@app/identity';
import { type EditionDocumentV2, EditionTree, type RatingDefinition, resolveText } from '@app/standards';
import { DataSource, In } from 'typeorm';
import type { WorkbookLanguage } from './workbook-texts';
import type { WorkbookLine, WorkbookModel } from './xlsx/workbook-model';
import { readWorkbookUpload } from './xlsx/upload';
import { WORKBOOK_LIMITS } from './xlsx/zip-inspector';

export interface IndicatorValues {
  applicable: boolean;
  rating: string | null;
  note: string | null;
  evidenceIds: string[];
  version: number;
}

/** What both workbooks share: the cover's names, the outline of the edition, reading the upload. */
@Injectable()
export class WorkbookSupport {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The edition's items down to the indicators, in document order, with the texts in `language` (English
   * where the edition has no translation): the top level as principles, the levels between as standards.
   */
  linesOf(
    edition: EditionDocumentV2,
    language: WorkbookLanguage,
    values: (code: string) => IndicatorValues,
  ): WorkbookLine[] {
    const tree = EditionTree.of(edition);
    return tree
      .nodes()
      .filter((node) => node.depth <= tree.indicatorDepth)
      .map((node) => {
        const { item } = node;
        if (node.depth === tree.indicatorDepth) {
          return {
            kind: 'indicator' as const,
            code: item.code,
            text: tree.text(item, 'statement', language),
            guidance: item.guidance === undefined ? null : tree.text(item, 'guidance', language),
            ...values(item.code),
          };
        }
        return {
          kind: node.depth === 0 ? ('principle' as const) : ('standard' as const),
          code: item.code,
          text: tree.text(item, 'title', language),
          guidance: null,
          applicable: null,
          rating: null,
          note: null,
          evidenceIds: [],
          version: 0,
        };
      });
  }

  /** The edition's rating scale with its labels in `language`. */
  scaleOf(edition: EditionDocumentV2, language: WorkbookLanguage): RatingDefinition[] {
    return edition.scale.ratings.map((rating) => ({ ...rating, label: resolveText(rating.label, language) }));
  }

  async coverOf(
    actor: Actor,
    snapshot: CaseSnapshot,
    edition: EditionDocumentV2,
    withTeam: boolean,
  ): Promise<WorkbookModel['cover']> {
    const manager = this.dataSource.manager;
    const organizations = await manager
      .getRepository(OrganizationEntity)
      .findBy({ id: In([snapshot.institutionId, snapshot.certifierId]) });
    const nameOf = (id: string): string =>
      organizations.find((organization) => organization.id === id)?.name ?? id;
    const teamIds = withTeam
      ? [snapshot.team.leadRaterId, ...snapshot.team.raterIds].filter((id): id is string => id !== null)
      : [];
    const people = await manager
      .getRepository(UserEntity)
      .findBy({ id: In([...teamIds, ...(actor.userId ? [actor.userId] : [])]) });
    const person = (id: string): string => people.find((user) => user.id === id)?.name ?? id;
    return {
      caseType: snapshot.type,
      status: snapshot.status,
      institution: nameOf(snapshot.institutionId),
      certifier: nameOf(snapshot.certifierId),
      edition: `${edition.id} — ${EditionTree.of(edition).title()}`,
      team: teamIds.map((id) => (id === snapshot.team.leadRaterId ? `${person(id)} (lead)` : person(id))),
      exportedAt: new Date().toISOString(),
      exportedBy: actor.userId ? person(actor.userId) : '',
    };
  }

  /** The one file part of the upload, in memory, refused (413) past the size limit while it streams in. */
  readUpload(source: UploadSource, maxBytes = WORKBOOK_LIMITS.maxFileBytes): Promise<Buffer> {
    return readWorkbookUpload(source, maxBytes);
  }
}
