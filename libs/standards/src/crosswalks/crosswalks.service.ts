import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
import { DataSource, type EntityManager, In } from 'typeorm';
import type { CrosswalkDto, CrosswalkSummaryDto } from '../dto/crosswalk.dto';
import { StandardsCrosswalkEntity } from '../entities/standards-crosswalk.entity';
import { StandardsEditionEntity } from '../entities/standards-edition.entity';
import { EditionTree } from '../v2/edition-tree';
import {
  type CrosswalkDocument,
  type CrosswalkMapping,
  type MappingKind,
  USSEPM_TARGET,
  ussepmCodesOf,
} from './crosswalk';
import { type CrosswalkCatalog, CrosswalkValidator } from './crosswalk-validator';
import {
  CrosswalkAlreadyPublishedError,
  CrosswalkEditionNotPublishedError,
  CrosswalkExistsError,
  CrosswalkNotAvailableError,
  InvalidCrosswalkError,
} from './crosswalks.errors';

export const CROSSWALKS_FOLDER = 'crosswalks';

/** A published crosswalk oriented from one edition to another, ready for pre-fill. */
export interface OrientedCrosswalk {
  id: string;
  /** Whether the stored crosswalk runs the other way and was turned around (broader ↔ narrower). */
  inverted: boolean;
  mappings: CrosswalkMapping[];
}

const INVERSE_KIND: Record<MappingKind, MappingKind> = {
  equivalent: 'equivalent',
  partial: 'partial',
  broader: 'narrower',
  narrower: 'broader',
};

function toSummary(crosswalk: StandardsCrosswalkEntity): CrosswalkSummaryDto {
  return {
    id: crosswalk.id,
    title: crosswalk.title,
    status: crosswalk.status,
    from: crosswalk.fromEditionId,
    to: crosswalk.toTarget,
    mappingCount: crosswalk.mappingCount,
    documentSha256: crosswalk.documentSha256,
    publishedAt: crosswalk.publishedAt?.toISOString() ?? null,
    version: crosswalk.version,
  };
}

/** Crosswalks between editions and to Universal Standards codes: import, publish, read, and use for pre-fill. */
@Injectable()
export class CrosswalksService {
  private readonly logger = new Logger(CrosswalksService.name);
  private readonly validator: CrosswalkValidator;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly config: StandardsConfig,
  ) {
    this.validator = new CrosswalkValidator(config.directory);
  }

  /** Published crosswalks for everyone; the secretariat also sees drafts. */
  async list(actor: Actor | null): Promise<CrosswalkSummaryDto[]> {
    const crosswalks = await this.dataSource.getRepository(StandardsCrosswalkEntity).find({
      where: actor && isSecretariat(actor) ? {} : { status: 'published' },
      order: { fromEditionId: 'ASC', toTarget: 'ASC', id: 'ASC' },
    });
    return crosswalks.map(toSummary);
  }

  async get(actor: Actor | null, id: string): Promise<CrosswalkDto> {
    const crosswalk = await this.dataSource.getRepository(StandardsCrosswalkEntity).findOneBy({ id });
    if (!crosswalk || (crosswalk.status !== 'published' && !(actor && isSecretariat(actor)))) {
      throw new NotFoundError('Crosswalk');
    }
    const { document } = crosswalk;
    return {
      ...toSummary(crosswalk),
      ...(document.description ? { description: document.description } : {}),
      mappings: document.mappings.map((mapping) => ({ ...mapping })),
    };
  }

  /** The JSON Schema of a crosswalk document. */
  schema(): object {
    return this.validator.schema;
  }

  /** Validates and stores a draft crosswalk; every problem is reported with its path. */
  async importDraft(actor: Actor, candidate: unknown): Promise<CrosswalkSummaryDto> {
    const document = await this.validate(candidate);
    try {
      const crosswalk = await this.dataSource.transaction((manager) =>
        this.insertCrosswalk(manager, actor, document),
      );
      return toSummary(crosswalk);
    } catch (error) {
      if (isUniqueViolation(error)) throw new CrosswalkExistsError(document.id);
      throw error;
    }
  }

  async publish(actor: Actor, id: string): Promise<CrosswalkSummaryDto> {
    const crosswalk = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(StandardsCrosswalkEntity);
      // Locked: a concurrent publish waits and then finds it published.
      const existing = await repository.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!existing) throw new NotFoundError('Crosswalk');
      if (existing.status === 'published') throw new CrosswalkAlreadyPublishedError(id);
      const editionIds = [existing.fromEditionId, existing.toEditionId].filter(
        (editionId): editionId is string => editionId !== null,
      );
      const published = await manager
        .getRepository(StandardsEditionEntity)
        .findBy({ id: In(editionIds), status: 'published' });
      const unpublished = editionIds.filter(
        (editionId) => !published.some((edition) => edition.id === editionId),
      );
      if (unpublished.length > 0) throw new CrosswalkEditionNotPublishedError(unpublished);
      const result = await repository
        .createQueryBuilder()
        .update()
        .set({ status: 'published', publishedAt: () => 'now()', version: () => 'version + 1' })
        .where('id = :id AND status = :status', { id, status: 'draft' })
        .execute();
      if (result.affected !== 1) throw new CrosswalkAlreadyPublishedError(id);
      await this.audit.record(manager, actor, {
        entityType: 'standards_crosswalk',
        entityId: id,
        action: 'standards_crosswalk.published',
        fromStatus: 'draft',
        toStatus: 'published',
        data: { documentSha256: existing.documentSha256 },
      });
      return repository.findOneByOrFail({ id });
    });
    return toSummary(crosswalk);
  }

  /**
   * The published crosswalk leading from one edition to another: `crosswalkId` when given, else the most
   * recently published one from → to, else one to → from turned around (broader and narrower swap).
   */
  async requireOriented(
    from: string,
    to: string,
    crosswalkId?: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<OrientedCrosswalk> {
    const candidates = await manager.getRepository(StandardsCrosswalkEntity).find({
      where: [
        { fromEditionId: from, toEditionId: to, status: 'published' },
        { fromEditionId: to, toEditionId: from, status: 'published' },
      ],
      order: { publishedAt: 'DESC', id: 'ASC' },
    });
    const chosen = crosswalkId
      ? candidates.find((candidate) => candidate.id === crosswalkId)
      : (candidates.find((candidate) => candidate.fromEditionId === from) ?? candidates[0]);
    if (!chosen) throw new CrosswalkNotAvailableError(from, to, crosswalkId);
    const inverted = chosen.fromEditionId !== from;
    return {
      id: chosen.id,
      inverted,
      mappings: chosen.document.mappings.map((mapping) =>
        inverted
          ? { from: mapping.to, to: mapping.from, kind: INVERSE_KIND[mapping.kind] }
          : { from: mapping.from, to: mapping.to, kind: mapping.kind },
      ),
    };
  }

  /**
   * Imports and publishes the crosswalks shipped in `standards/crosswalks/` that the database does not have
   * yet (after the editions). One already present is left as it is: published crosswalks never change.
   */
  async loadBundledCrosswalks(): Promise<string[]> {
    const directory = join(this.config.directory, CROSSWALKS_FOLDER);
    if (!existsSync(directory)) return [];
    const files = readdirSync(directory)
      .filter((file) => file.endsWith('.json'))
      .sort();
    const loaded: string[] = [];
    for (const file of files) {
      const candidate: unknown = JSON.parse(readFileSync(join(directory, file), 'utf8'));
      const outcome = this.validator.validate(candidate, await this.catalogFor(candidate));
      if (!outcome.ok) {
        throw new Error(
          `standards/${CROSSWALKS_FOLDER}/${file} is not a valid crosswalk:\n` +
            outcome.problems.map((problem) => `  ${problem.field}: ${problem.message}`).join('\n'),
        );
      }
      const document = outcome.document;
      const existing = await this.dataSource
        .getRepository(StandardsCrosswalkEntity)
        .findOneBy({ id: document.id });
      if (existing) {
        if (canonicalJson(existing.document) !== canonicalJson(document)) {
          this.logger.warn(
            `standards/${CROSSWALKS_FOLDER}/${file} differs from stored crosswalk ${document.id}; the stored crosswalk is kept`,
          );
        }
        continue;
      }
      await this.dataSource.transaction(async (manager) => {
        await this.insertCrosswalk(manager, SYSTEM_ACTOR, document);
        await manager
          .getRepository(StandardsCrosswalkEntity)
          .update({ id: document.id }, { status: 'published', publishedAt: new Date() });
        await this.audit.record(manager, SYSTEM_ACTOR, {
          entityType: 'standards_crosswalk',
          entityId: document.id,
          action: 'standards_crosswalk.published',
          fromStatus: 'draft',
          toStatus: 'published',
          reason: `bundled file standards/${CROSSWALKS_FOLDER}/${file}`,
        });
      });
      loaded.push(document.id);
    }
    return loaded;
  }

  private async validate(candidate: unknown): Promise<CrosswalkDocument> {
    const outcome = this.validator.validate(candidate, await this.catalogFor(candidate));
    if (!outcome.ok) throw new InvalidCrosswalkError(outcome.problems);
    return outcome.document;
  }

  /** The editions the candidate names, and the Universal Standards codes of every stored edition. */
  private async catalogFor(candidate: unknown): Promise<CrosswalkCatalog> {
    const named = candidate as Partial<Record<'from' | 'to', unknown>> | null;
    const ids = [named?.from, named?.to].filter(
      (id): id is string => typeof id === 'string' && id !== USSEPM_TARGET,
    );
    const needsUssepm = named?.to === USSEPM_TARGET;
    const editions = await this.dataSource.getRepository(StandardsEditionEntity).find({
      where: needsUssepm ? {} : { id: In(ids.length ? ids : ['']) },
    });
    const trees = new Map(editions.map((edition) => [edition.id, EditionTree.of(edition.document)]));
    const ussepm = new Set<string>();
    if (needsUssepm) {
      for (const tree of trees.values()) {
        for (const node of tree.nodes()) for (const code of ussepmCodesOf(node.item.refs)) ussepm.add(code);
      }
    }
    return { tree: (editionId) => trees.get(editionId), ussepmCodes: () => ussepm };
  }

  private async insertCrosswalk(
    manager: EntityManager,
    actor: Actor,
    document: CrosswalkDocument,
  ): Promise<StandardsCrosswalkEntity> {
    const documentSha256 = sha256Hex(canonicalJson(document));
    const toEditionId = document.to === USSEPM_TARGET ? null : document.to;
    const repository = manager.getRepository(StandardsCrosswalkEntity);
    await repository.insert({
      id: document.id,
      title: document.title ?? `${document.from} → ${document.to}`,
      status: 'draft',
      fromEditionId: document.from,
      toTarget: document.to,
      toEditionId,
      document,
      documentSha256,
      mappingCount: document.mappings.length,
      importedBy: actor.userId,
      publishedAt: null,
    });
    await this.audit.record(manager, actor, {
      entityType: 'standards_crosswalk',
      entityId: document.id,
      action: 'standards_crosswalk.imported',
      toStatus: 'draft',
      data: { documentSha256, from: document.from, to: document.to, mappingCount: document.mappings.length },
    });
    return repository.findOneByOrFail({ id: document.id });
  }
}
