import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import {
  type Actor,
  canonicalJson,
  isSecretariat,
  NotFoundError,
  sha256Hex,
  SYSTEM_ACTOR,
} from '@app/common';
import { StandardsConfig } from '@app/config';
import { isUniqueViolation } from '@app/database';
import { DataSource, type EntityManager } from 'typeorm';
import type { EditionSummaryDto } from './dto/edition.dto';
import { EditionValidator, type NormalizedEdition } from './edition-validator';
import { EditionTree } from './v2/edition-tree';
import { type EditionDocumentV2, resolveText } from './v2/edition-v2';
import { localizeDocument } from './v2/localize';
import { sameSubstance } from './v2/substance';
import { StandardIndicatorEntity } from './entities/standard-indicator.entity';
import { StandardsEditionEntity } from './entities/standards-edition.entity';
import { toEditionSummaryDto } from './standards.mapper';
import {
  EditionAlreadyPublishedError,
  EditionExistsError,
  InvalidEditionDocumentError,
} from './standards.errors';

const INDICATOR_INSERT_CHUNK = 500;

/** The standards catalog: import, publish and read editions. */
@Injectable()
export class StandardsService {
  private readonly logger = new Logger(StandardsService.name);
  private readonly validator: EditionValidator;
  private readonly publishedDocuments = new Map<string, EditionDocumentV2>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly config: StandardsConfig,
  ) {
    this.validator = new EditionValidator(config.directory);
  }

  /** Published editions for everyone; the secretariat also sees drafts. */
  async list(actor: Actor | null): Promise<EditionSummaryDto[]> {
    const editions = await this.dataSource.getRepository(StandardsEditionEntity).find({
      where: actor && isSecretariat(actor) ? {} : { status: 'published' },
      order: { effectiveFrom: 'ASC', id: 'ASC' },
    });
    return editions.map(toEditionSummaryDto);
  }

  /**
   * The v2 document of an edition: with `lang`, every text resolved to that language (English where a text
   * has no translation); without, the full multilingual document (what POST /standards accepts back).
   */
  async getDocument(
    actor: Actor | null,
    editionId: string,
    lang?: string,
  ): Promise<EditionDocumentV2 & { language?: string }> {
    const edition = await this.dataSource.getRepository(StandardsEditionEntity).findOneBy({ id: editionId });
    if (!edition || (edition.status !== 'published' && !(actor && isSecretariat(actor)))) {
      throw new NotFoundError('Standards edition');
    }
    // The catalog columns say until when the edition is open, also for an edition stored before the field existed.
    const document: EditionDocumentV2 = {
      ...edition.document,
      openForNewCasesUntil: edition.openForNewCasesUntil,
      retiredOn: edition.retiredOn,
    };
    return lang ? { ...localizeDocument(document, lang), language: lang } : document;
  }

  /** The JSON Schema of the edition document v2. */
  schema(): object {
    return this.validator.v2Schema;
  }

  /** Of the given codes, those that are not indicators of the edition (in the order given). */
  async findUnknownIndicatorCodes(
    editionId: string,
    codes: string[],
    manager?: EntityManager,
  ): Promise<string[]> {
    if (codes.length === 0) return [];
    const rows = await (manager ?? this.dataSource.manager)
      .getRepository(StandardIndicatorEntity)
      .createQueryBuilder('indicator')
      .select('indicator.code', 'code')
      .where('indicator.edition_id = :editionId AND indicator.code IN (:...codes)', {
        editionId,
        codes: [...new Set(codes)],
      })
      .getRawMany<{ code: string }>();
    const known = new Set(rows.map((row) => row.code));
    return codes.filter((code) => !known.has(code));
  }

  /**
   * The stored document of an edition, whatever its status (for rules, not for display). Published
   * editions never change, so they are kept in memory once read.
   */
  async requireDocument(editionId: string, manager?: EntityManager): Promise<EditionDocumentV2> {
    const cached = this.publishedDocuments.get(editionId);
    if (cached) return cached;
    const edition = await (manager ?? this.dataSource.manager)
      .getRepository(StandardsEditionEntity)
      .findOneBy({ id: editionId });
    if (!edition) throw new NotFoundError('Standards edition');
    if (edition.status === 'published') this.publishedDocuments.set(editionId, edition.document);
    return edition.document;
  }

  /** The tree accessor of an edition (see `EditionTree`); what every reader of items uses. */
  async requireTree(editionId: string, manager?: EntityManager): Promise<EditionTree> {
    return EditionTree.of(await this.requireDocument(editionId, manager));
  }

  async isPublished(editionId: string): Promise<boolean> {
    return this.dataSource
      .getRepository(StandardsEditionEntity)
      .existsBy({ id: editionId, status: 'published' });
  }

  /** The candidate as a valid v2 document (v1 converted), or every problem with its path. */
  validate(candidate: unknown): NormalizedEdition {
    return this.validator.normalize(candidate);
  }

  /** Validates and stores a new draft edition; every problem is reported with its path. */
  async importDraft(actor: Actor, candidate: unknown): Promise<EditionSummaryDto> {
    const normalized = this.validator.normalize(candidate);
    if (!normalized.ok) throw new InvalidEditionDocumentError(normalized.problems);
    const document = normalized.document;
    try {
      const edition = await this.dataSource.transaction((manager) =>
        this.insertEdition(manager, actor, document),
      );
      return toEditionSummaryDto(edition);
    } catch (error) {
      if (isUniqueViolation(error)) throw new EditionExistsError(document.id);
      throw error;
    }
  }

  async publish(actor: Actor, editionId: string): Promise<EditionSummaryDto> {
    const edition = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(StandardsEditionEntity);
      const existing = await repository.findOneBy({ id: editionId });
      if (!existing) throw new NotFoundError('Standards edition');
      const result = await repository
        .createQueryBuilder()
        .update()
        .set({ status: 'published', publishedAt: () => 'now()', version: () => 'version + 1' })
        .where('id = :id AND status = :status', { id: editionId, status: 'draft' })
        .execute();
      if (result.affected !== 1) throw new EditionAlreadyPublishedError(editionId);
      await this.audit.record(manager, actor, {
        entityType: 'standards_edition',
        entityId: editionId,
        action: 'standards_edition.published',
        fromStatus: 'draft',
        toStatus: 'published',
        data: { documentSha256: existing.documentSha256 },
      });
      return repository.findOneByOrFail({ id: editionId });
    });
    return toEditionSummaryDto(edition);
  }

  /**
   * Imports and publishes the editions shipped in the standards folder that the database does not
   * have yet. An edition already present is left as it is: published editions never change.
   */
  async loadBundledEditions(): Promise<string[]> {
    const files = readdirSync(this.config.directory)
      .filter((file) => file.endsWith('.json'))
      .sort();
    const loaded: string[] = [];
    for (const file of files) {
      const document: unknown = JSON.parse(readFileSync(join(this.config.directory, file), 'utf8'));
      // v1 and v2 files are both accepted; a v1 file is stored converted to v2.
      const normalized = this.validator.normalize(document);
      if (!normalized.ok) {
        throw new Error(
          `standards/${file} is not a valid edition:\n` +
            normalized.problems.map((problem) => `  ${problem.field}: ${problem.message}`).join('\n'),
        );
      }
      const edition = normalized.document;
      const existing = await this.dataSource
        .getRepository(StandardsEditionEntity)
        .findOneBy({ id: edition.id });
      if (existing) {
        if (canonicalJson(existing.document) !== canonicalJson(edition)) {
          this.logger.warn(
            sameSubstance(existing.document, edition)
              ? `standards/${file} differs from stored edition ${edition.id} only in translations or wrapping; the stored edition is kept`
              : `standards/${file} differs from stored edition ${edition.id}; the stored edition is kept`,
          );
        }
        continue;
      }
      await this.dataSource.transaction(async (manager) => {
        await this.insertEdition(manager, SYSTEM_ACTOR, edition);
        await manager
          .getRepository(StandardsEditionEntity)
          .update({ id: edition.id }, { status: 'published', publishedAt: new Date() });
        await this.audit.record(manager, SYSTEM_ACTOR, {
          entityType: 'standards_edition',
          entityId: edition.id,
          action: 'standards_edition.published',
          fromStatus: 'draft',
          toStatus: 'published',
          reason: `bundled file standards/${file}`,
        });
      });
      loaded.push(edition.id);
    }
    return loaded;
  }

  private async insertEdition(
    manager: EntityManager,
    actor: Actor,
    document: EditionDocumentV2,
  ): Promise<StandardsEditionEntity> {
    const tree = EditionTree.of(document);
    const counts = tree.counts();
    const documentSha256 = sha256Hex(canonicalJson(document));
    const edition = manager.getRepository(StandardsEditionEntity).create({
      id: document.id,
      title: resolveText(document.title, 'en'),
      status: 'draft',
      effectiveFrom: document.effectiveFrom,
      document,
      documentSha256,
      openForNewCasesUntil: document.openForNewCasesUntil ?? null,
      retiredOn: document.retiredOn ?? null,
      ...counts,
      importedBy: actor.userId,
      publishedAt: null,
    });
    await manager.getRepository(StandardsEditionEntity).insert(edition);
    const indicators = tree.indicators().map((indicator) => {
      const ancestors = tree.ancestors(indicator.code);
      return {
        editionId: document.id,
        code: indicator.code,
        principleCode: ancestors[0]?.code ?? indicator.code,
        standardCode: ancestors[ancestors.length - 1]?.code ?? indicator.code,
        level: indicator.tag ?? null,
        appliesWhen: indicator.appliesWhen ?? null,
      };
    });
    for (let start = 0; start < indicators.length; start += INDICATOR_INSERT_CHUNK) {
      await manager
        .getRepository(StandardIndicatorEntity)
        .insert(
          indicators
            .slice(start, start + INDICATOR_INSERT_CHUNK)
            .map((row, offset) => ({ ...row, position: start + offset })),
        );
    }
    await this.audit.record(manager, actor, {
      entityType: 'standards_edition',
      entityId: document.id,
      action: 'standards_edition.imported',
      toStatus: 'draft',
      data: { documentSha256, ...counts },
    });
    return manager.getRepository(StandardsEditionEntity).findOneByOrFail({ id: document.id });
  }
}
