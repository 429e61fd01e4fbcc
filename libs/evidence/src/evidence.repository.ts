import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type PageRequest, pageOffset } from '@app/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import type { EvidenceRequestFulfilmentDto } from './dto/evidence-request.dto';
import { EvidenceIndicatorEntity } from './entities/evidence-indicator.entity';
import { EvidenceItemEntity } from './entities/evidence-item.entity';
import { EvidenceRequestEntity } from './entities/evidence-request.entity';
import { EvidenceRequestFulfilmentEntity } from './entities/evidence-request-fulfilment.entity';
import { EvidenceVersionEntity } from './entities/evidence-version.entity';
import { compareIndicatorCodes } from './evidence.mapper';

export interface LatestEvidence {
  item: EvidenceItemEntity;
  latest: EvidenceVersionEntity;
  indicatorCodes: string[];
}

interface FulfilmentRow {
  request_id: string;
  evidence_id: string;
  version_id: string;
  version_number: number;
  linked_at: Date;
  codes: string[];
}

/** The evidence tables' queries; every method runs on the manager it is given (a transaction or not). */
@Injectable()
export class EvidenceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** A piece of evidence that is not deleted; with `lock`, row-locked for the transaction. */
  async findActiveItem(
    manager: EntityManager,
    evidenceId: string,
    lock = false,
  ): Promise<EvidenceItemEntity | null> {
    const query = manager
      .getRepository(EvidenceItemEntity)
      .createQueryBuilder('item')
      .where('item.id = :evidenceId AND item.deleted_at IS NULL', { evidenceId });
    if (lock) query.setLock('pessimistic_write');
    return query.getOne();
  }

  /**
   * Whether the item was uploaded by a user of the case's institution (the institution's evidence) rather
   * than by a rater (the certification body's): each party changes only its own.
   */
  async isInstitutionsOwn(
    manager: EntityManager,
    item: EvidenceItemEntity,
    institutionId: string,
  ): Promise<boolean> {
    const [creator] = await manager.query<{ organization_id: string }[]>(
      'SELECT organization_id FROM user_account WHERE id = $1',
      [item.createdBy],
    );
    return creator?.organization_id === institutionId;
  }

  async indicatorCodesOf(manager: EntityManager, evidenceIds: string[]): Promise<Map<string, string[]>> {
    const codes = new Map<string, string[]>(evidenceIds.map((id) => [id, []]));
    if (evidenceIds.length === 0) return codes;
    const rows = await manager.getRepository(EvidenceIndicatorEntity).findBy({ evidenceId: In(evidenceIds) });
    for (const row of rows) codes.get(row.evidenceId)?.push(row.indicatorCode);
    for (const list of codes.values()) list.sort(compareIndicatorCodes);
    return codes;
  }

  async versionsOf(manager: EntityManager, evidenceId: string): Promise<EvidenceVersionEntity[]> {
    return manager.getRepository(EvidenceVersionEntity).find({
      where: { evidenceId },
      order: { versionNumber: 'ASC' },
    });
  }

  async findVersion(
    manager: EntityManager,
    evidenceId: string,
    versionNumber: number,
  ): Promise<EvidenceVersionEntity | null> {
    return manager.getRepository(EvidenceVersionEntity).findOneBy({ evidenceId, versionNumber });
  }

  /** The case's evidence that is not deleted, newest first, each with its latest version. */
  async listLatest(
    manager: EntityManager,
    caseId: string,
    indicatorCode: string | undefined,
    page: PageRequest,
  ): Promise<{ items: LatestEvidence[]; total: number }> {
    const query = manager
      .getRepository(EvidenceItemEntity)
      .createQueryBuilder('item')
      .where('item.case_id = :caseId AND item.deleted_at IS NULL', { caseId });
    if (indicatorCode !== undefined) {
      query.andWhere(
        `EXISTS (SELECT 1 FROM evidence_indicator link
          WHERE link.evidence_id = item.id AND link.indicator_code = :indicatorCode)`,
        { indicatorCode },
      );
    }
    const [items, total] = await query
      .orderBy('item.created_at', 'DESC')
      .addOrderBy('item.id', 'DESC')
      .skip(pageOffset(page))
      .take(page.pageSize)
      .getManyAndCount();
    if (items.length === 0) return { items: [], total };
    const ids = items.map((item) => item.id);
    const versions = await manager
      .getRepository(EvidenceVersionEntity)
      .createQueryBuilder('version')
      .innerJoin(
        EvidenceItemEntity,
        'item',
        'item.id = version.evidence_id AND item.version = version.version_number',
      )
      .where('version.evidence_id IN (:...ids)', { ids })
      .getMany();
    const latestById = new Map(versions.map((version) => [version.evidenceId, version]));
    const codes = await this.indicatorCodesOf(manager, ids);
    return {
      items: items.map((item) => ({
        item,
        latest: latestById.get(item.id)!,
        indicatorCodes: codes.get(item.id) ?? [],
      })),
      total,
    };
  }

  async insertItem(
    manager: EntityManager,
    item: EvidenceItemEntity,
    indicatorCodes: string[],
  ): Promise<void> {
    await manager.insert(EvidenceItemEntity, item);
    await manager.insert(
      EvidenceIndicatorEntity,
      indicatorCodes.map((indicatorCode) => ({ evidenceId: item.id, indicatorCode })),
    );
  }

  async insertVersion(manager: EntityManager, version: EvidenceVersionEntity): Promise<void> {
    await manager.insert(EvidenceVersionEntity, version);
  }

  /** Raises the latest version number of an item that is not deleted; null when it is gone. */
  async claimNextVersionNumber(manager: EntityManager, evidenceId: string): Promise<number | null> {
    const result = await manager
      .getRepository(EvidenceItemEntity)
      .createQueryBuilder()
      .update()
      .set({ version: () => 'version + 1' })
      .where('id = :evidenceId AND deleted_at IS NULL', { evidenceId })
      .returning('version')
      .execute();
    const rows = result.raw as { version: number }[];
    return rows[0]?.version ?? null;
  }

  /** Hides a piece of evidence; its versions and bytes stay. */
  async markDeleted(manager: EntityManager, evidenceId: string, deletedBy: string): Promise<boolean> {
    const result = await manager
      .getRepository(EvidenceItemEntity)
      .createQueryBuilder()
      .update()
      .set({ deletedAt: () => 'now()', deletedBy })
      .where('id = :evidenceId AND deleted_at IS NULL', { evidenceId })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * Links a new upload to the case's open requests that ask for any of its indicators (open: some
   * requested indicator is not yet covered by linked evidence that is not deleted). Returns their ids.
   */
  async linkToOpenRequests(
    manager: EntityManager,
    caseId: string,
    evidenceId: string,
    versionId: string,
    indicatorCodes: string[],
  ): Promise<string[]> {
    const candidates: { id: string; indicator_codes: string[]; covered: string[] }[] = await manager.query(
      `SELECT request.id, request.indicator_codes,
          ARRAY(SELECT DISTINCT link.indicator_code
                  FROM evidence_request_fulfilment fulfilment
                  JOIN evidence_item item ON item.id = fulfilment.evidence_id AND item.deleted_at IS NULL
                  JOIN evidence_indicator link ON link.evidence_id = fulfilment.evidence_id
                 WHERE fulfilment.request_id = request.id
                   AND link.indicator_code = ANY(request.indicator_codes)) AS covered
         FROM evidence_request request
        WHERE request.case_id = $1 AND request.indicator_codes && $2::text[]`,
      [caseId, indicatorCodes],
    );
    const open = candidates.filter((request) =>
      request.indicator_codes.some((code) => !request.covered.includes(code)),
    );
    if (open.length === 0) return [];
    await manager.insert(
      EvidenceRequestFulfilmentEntity,
      open.map((request) => ({ requestId: request.id, evidenceId, versionId })),
    );
    return open.map((request) => request.id);
  }

  async insertRequest(manager: EntityManager, request: EvidenceRequestEntity): Promise<void> {
    await manager.insert(EvidenceRequestEntity, request);
  }

  async requestPage(
    manager: EntityManager,
    caseId: string,
    page: PageRequest,
  ): Promise<{ items: EvidenceRequestEntity[]; total: number }> {
    const [items, total] = await manager.getRepository(EvidenceRequestEntity).findAndCount({
      where: { caseId },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: pageOffset(page),
      take: page.pageSize,
    });
    return { items, total };
  }

  /** The evidence linked to each request (deleted evidence no longer counts), oldest link first. */
  async fulfilmentsOf(
    manager: EntityManager,
    requestIds: string[],
  ): Promise<Map<string, EvidenceRequestFulfilmentDto[]>> {
    const fulfilments = new Map<string, EvidenceRequestFulfilmentDto[]>(requestIds.map((id) => [id, []]));
    if (requestIds.length === 0) return fulfilments;
    const rows: FulfilmentRow[] = await manager.query(
      `SELECT fulfilment.request_id, fulfilment.evidence_id, fulfilment.version_id, version.version_number,
              fulfilment.linked_at,
              ARRAY(SELECT link.indicator_code FROM evidence_indicator link
                     WHERE link.evidence_id = fulfilment.evidence_id
                       AND link.indicator_code = ANY(request.indicator_codes)) AS codes
         FROM evidence_request_fulfilment fulfilment
         JOIN evidence_request request ON request.id = fulfilment.request_id
         JOIN evidence_item item ON item.id = fulfilment.evidence_id AND item.deleted_at IS NULL
         JOIN evidence_version version ON version.id = fulfilment.version_id
        WHERE fulfilment.request_id = ANY($1::uuid[])
        ORDER BY fulfilment.linked_at, version.version_number`,
      [requestIds],
    );
    for (const row of rows) {
      fulfilments.get(row.request_id)?.push({
        evidenceId: row.evidence_id,
        versionId: row.version_id,
        version: row.version_number,
        indicatorCodes: [...row.codes].sort(compareIndicatorCodes),
        linkedAt: new Date(row.linked_at).toISOString(),
      });
    }
    return fulfilments;
  }
}
