import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CaseSnapshot } from '@app/cases';
import type { Actor } from '@app/common';
import { readMultipart, type UploadSource } from '@app/evidence';
import { OrganizationEntity, UserEntity } from '@app/identity';
import type { EditionDocument } from '@app/standards';
import { DataSource, In } from 'typeorm';
import type { WorkbookLanguage } from './workbook-texts';
import { WorkbookTooLargeError } from './workbooks.errors';
import type { WorkbookLine, WorkbookModel } from './xlsx/workbook-model';
import { WORKBOOK_LIMITS } from './xlsx/zip-inspector';

/** Texts an edition may carry in other languages: `translations: { fr: { statement, guidance, title } }`. */
type Translatable = { translations?: Partial<Record<string, Partial<Record<string, string>>>> };

function translated(item: object, field: string, language: WorkbookLanguage, fallback: string): string {
  const text = (item as Translatable).translations?.[language]?.[field];
  return typeof text === 'string' && text.trim() !== '' ? text : fallback;
}

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

  /** Principles, standards and indicators in the edition's order, with the texts in `language` where it has them. */
  linesOf(
    edition: EditionDocument,
    language: WorkbookLanguage,
    values: (code: string) => IndicatorValues,
  ): WorkbookLine[] {
    return edition.principles.flatMap((principle) => [
      {
        kind: 'principle' as const,
        code: principle.code,
        text: translated(principle, 'title', language, principle.title),
        guidance: null,
        applicable: null,
        rating: null,
        note: null,
        evidenceIds: [],
        version: 0,
      },
      ...principle.standards.flatMap((standard) => [
        {
          kind: 'standard' as const,
          code: standard.code,
          text: translated(standard, 'title', language, standard.title),
          guidance: null,
          applicable: null,
          rating: null,
          note: null,
          evidenceIds: [],
          version: 0,
        },
        ...standard.indicators.map((indicator) => ({
          kind: 'indicator' as const,
          code: indicator.code,
          text: translated(indicator, 'statement', language, indicator.statement),
          guidance: translated(indicator, 'guidance', language, indicator.guidance),
          ...values(indicator.code),
        })),
      ]),
    ]);
  }

  async coverOf(
    actor: Actor,
    snapshot: CaseSnapshot,
    edition: EditionDocument,
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
      edition: `${edition.id} — ${edition.title}`,
      team: teamIds.map((id) => (id === snapshot.team.leadRaterId ? `${person(id)} (lead)` : person(id))),
      exportedAt: new Date().toISOString(),
      exportedBy: actor.userId ? person(actor.userId) : '',
    };
  }

  /** The one file part of the upload, in memory, refused (413) past the size limit while it streams in. */
  async readUpload(source: UploadSource, maxBytes = WORKBOOK_LIMITS.maxFileBytes): Promise<Buffer> {
    const { file } = await readMultipart(source, {
      fieldNames: [],
      fileField: 'file',
      onFile: async ({ stream }) => {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBytes)
            throw new WorkbookTooLargeError(`the file is over ${maxBytes} bytes`, maxBytes);
          chunks.push(chunk);
        }
        return Buffer.concat(chunks);
      },
    });
    return file;
  }
}
