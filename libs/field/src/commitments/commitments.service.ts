import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import {
  type Actor,
  DomainError,
  ErrorCode,
  ForbiddenError,
  isSecretariat,
  NotFoundError,
  type Page,
  pageOffset,
  StaleVersionError,
  todayUtc,
  ValidationError,
} from '@app/common';
import { OrganizationEntity } from '@app/identity';
import { DataSource, type EntityManager, In, type SelectQueryBuilder } from 'typeorm';
import { csvDocument } from '../csv.util';
import { normalizeOrganizationName } from '../organization-name.util';
import { certificatesOfCommitments } from './commitment-links';
import type {
  CommitmentApprovalRequestDto,
  CommitmentDto,
  CommitmentRecordDto,
  CommitmentsQueryDto,
  CreateCommitmentRequestDto,
} from './dto/commitment.dto';
import { type CommitmentApproval, CommitmentEntity, type CommitmentKind } from './entities/commitment.entity';

/**
 * Serialises writes of the commitment list, so that two writers cannot add the same organization. Its own
 * key: every advisory lock of the code has a distinct one (test/field/advisory-lock-keys.spec.ts).
 */
export const COMMITMENT_WRITE_LOCK_KEY = 2_026_113_017;

/** The entries that hold their organization: a rejected one holds nothing. */
export const LIVE_APPROVALS: CommitmentApproval[] = ['pending', 'approved'];

/** 409: the organization is listed (approved), or its own entry is pending or approved. */
export class CommitmentAlreadyListedError extends DomainError {
  constructor(commitmentId: string) {
    super(ErrorCode.AlreadyExists, 'This organization is already listed', [
      { field: 'name', message: 'already listed', commitmentId },
    ]);
  }
}

const KIND_OF_ORGANIZATION: Record<string, CommitmentKind | undefined> = {
  institution: 'institution',
  certifier: 'certification_body',
};

/** The public list of commitments and endorsements, and its upkeep by institutions and the secretariat. */
@Injectable()
export class CommitmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Approved entries, newest first. */
  async search(query: CommitmentsQueryDto): Promise<Page<CommitmentDto>> {
    const builder = this.filtered(query);
    const [entities, total] = await builder
      .orderBy('commitment.committedOn', 'DESC')
      .addOrderBy('commitment.name', 'ASC')
      .addOrderBy('commitment.id', 'ASC')
      .skip(pageOffset(query))
      .take(query.pageSize)
      .getManyAndCount();
    const links = await certificatesOfCommitments(
      this.dataSource.manager,
      entities.map((entity) => entity.id),
    );
    return {
      items: entities.map((entity) => toCommitmentDto(entity, links.get(entity.id) ?? [])),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** Every approved entry matching the filters (up to 100,000) as CSV. */
  async exportCsv(query: CommitmentsQueryDto): Promise<string> {
    const rows: string[][] = [];
    const pageSize = 1000;
    for (let page = 1; page <= 100; page += 1) {
      const result = await this.search({ ...query, page, pageSize });
      for (const item of result.items) {
        rows.push([
          item.name,
          item.country,
          item.kind,
          item.committedOn,
          item.pathwayStatus ?? '',
          item.certificates.map((certificate) => certificate.certificateNumber).join(' '),
          item.statement ?? '',
        ]);
      }
      if (page * pageSize >= result.total) break;
    }
    return csvDocument(
      ['name', 'country', 'kind', 'committedOn', 'pathwayStatus', 'certificates', 'statement'],
      rows,
    );
  }

  /** Self-declared entries waiting for the secretariat. */
  async listPending(
    actor: Actor,
    query: { page: number; pageSize: number },
  ): Promise<Page<CommitmentRecordDto>> {
    if (!isSecretariat(actor)) throw new ForbiddenError();
    const [entities, total] = await this.dataSource.getRepository(CommitmentEntity).findAndCount({
      where: { approval: 'pending' },
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: pageOffset(query),
      take: query.pageSize,
    });
    return { items: entities.map((entity) => toRecordDto(entity, [])), total, ...query };
  }

  /**
   * An institution admin commits its own institution (pending the secretariat's approval); the
   * secretariat records any organization, a user of the product or not (approved at once).
   */
  async create(actor: Actor, request: CreateCommitmentRequestDto): Promise<CommitmentRecordDto> {
    const committedOn = request.committedOn ?? todayUtc();
    if (committedOn > todayUtc())
      throw new ValidationError('committedOn cannot be in the future', [
        { field: 'committedOn', message: 'cannot be in the future' },
      ]);
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [COMMITMENT_WRITE_LOCK_KEY]);
      const entry = await this.describe(manager, actor, request);
      const normalizedName = normalizeOrganizationName(entry.name);
      const repository = manager.getRepository(CommitmentEntity);
      // Listed once by name among approved entries, and once per organization among pending and approved
      // ones: a rejected entry blocks nothing, and a pending self-declaration (whose name its institution
      // chose) does not stop the secretariat recording the organization it names.
      const duplicate = await repository.findOne({
        where: [
          { normalizedName, country: entry.country, approval: 'approved' },
          ...(entry.organizationId
            ? [{ organizationId: entry.organizationId, approval: In(LIVE_APPROVALS) }]
            : []),
        ],
      });
      if (duplicate) throw new CommitmentAlreadyListedError(duplicate.id);
      const isSelfDeclared = !isSecretariat(actor);
      const saved = await repository.save(
        repository.create({
          ...entry,
          normalizedName,
          committedOn,
          statement: request.statement || null,
          source: isSelfDeclared ? 'self_declared' : 'recorded',
          approval: isSelfDeclared ? 'pending' : 'approved',
          approvalReason: null,
          pathwayStatus: entry.kind === 'institution' && !isSelfDeclared ? 'committed' : null,
          remindersStartedOn: null,
        }),
      );
      await this.audit.record(manager, actor, {
        entityType: 'commitment',
        entityId: saved.id,
        action: 'commitment.created',
        toStatus: saved.approval,
        data: { name: saved.name, country: saved.country, kind: saved.kind, source: saved.source },
      });
      return toRecordDto(saved, []);
    });
  }

  /** The secretariat approves or rejects a self-declared entry; only a pending one, at the version read. */
  async decideApproval(
    actor: Actor,
    commitmentId: string,
    request: CommitmentApprovalRequestDto,
  ): Promise<CommitmentRecordDto> {
    if (!isSecretariat(actor)) throw new ForbiddenError();
    return this.dataSource.transaction(async (manager) => {
      // An approval adds the name to the list: serialised with the other writes of the list.
      await manager.query('SELECT pg_advisory_xact_lock($1)', [COMMITMENT_WRITE_LOCK_KEY]);
      const repository = manager.getRepository(CommitmentEntity);
      const current = await repository
        .createQueryBuilder('commitment')
        .setLock('pessimistic_write')
        .where('commitment.id = :id', { id: commitmentId })
        .getOne();
      if (!current) throw new NotFoundError('Commitment');
      if (current.version !== request.version) throw new StaleVersionError('The commitment', request.version);
      if (current.approval !== 'pending')
        throw new DomainError(ErrorCode.InvalidTransition, `The commitment is already ${current.approval}`, [
          { field: 'decision', message: `the commitment is ${current.approval}` },
        ]);
      const approval = request.decision === 'approve' ? 'approved' : 'rejected';
      if (approval === 'approved') {
        // The secretariat recorded or imported the name meanwhile (or approved another claim to it).
        const listed = await repository.findOneBy({
          normalizedName: current.normalizedName,
          country: current.country,
          approval: 'approved',
        });
        if (listed) throw new CommitmentAlreadyListedError(listed.id);
      }
      await repository.update(
        { id: current.id, version: current.version },
        {
          approval,
          approvalReason: request.reason ?? null,
          pathwayStatus: approval === 'approved' && current.kind === 'institution' ? 'committed' : null,
          version: current.version + 1,
        },
      );
      await this.audit.record(manager, actor, {
        entityType: 'commitment',
        entityId: current.id,
        action: `commitment.${approval}`,
        fromStatus: 'pending',
        toStatus: approval,
        reason: request.reason ?? null,
      });
      const saved = await repository.findOneByOrFail({ id: current.id });
      const links = await certificatesOfCommitments(manager, [saved.id]);
      return toRecordDto(saved, links.get(saved.id) ?? []);
    });
  }

  /** Who the entry names: the actor's own institution, an organization of the product, or one described. */
  private async describe(
    manager: EntityManager,
    actor: Actor,
    request: CreateCommitmentRequestDto,
  ): Promise<{ organizationId: string | null; name: string; country: string; kind: CommitmentKind }> {
    if (!isSecretariat(actor)) {
      // An institution commits itself only: another organization's id is not visible to it.
      if (actor.organizationKind !== 'institution' || !actor.organizationId) throw new ForbiddenError();
      if (request.organizationId && request.organizationId !== actor.organizationId)
        throw new NotFoundError('Organization');
      if (request.name || request.country || request.kind)
        throw new ValidationError('An institution commits itself: send only committedOn and statement', [
          { field: 'name', message: 'is taken from your organization' },
        ]);
      const own = await manager
        .getRepository(OrganizationEntity)
        .findOneByOrFail({ id: actor.organizationId });
      return { organizationId: own.id, name: own.name, country: own.country, kind: 'institution' };
    }
    if (request.organizationId) {
      const organization = await manager
        .getRepository(OrganizationEntity)
        .findOneBy({ id: request.organizationId });
      if (!organization) throw new NotFoundError('Organization');
      const kind = KIND_OF_ORGANIZATION[organization.kind];
      if (!kind)
        throw new ValidationError('The secretariat does not commit to its own principles', [
          { field: 'organizationId', message: 'must be an institution or a certification body' },
        ]);
      return {
        organizationId: organization.id,
        name: organization.name,
        country: organization.country,
        kind,
      };
    }
    const missing = (['name', 'country', 'kind'] as const).filter((field) => !request[field]);
    if (missing.length > 0)
      throw new ValidationError('Name the organization: name, country and kind, or organizationId', [
        ...missing.map((field) => ({ field, message: 'is required without organizationId' })),
      ]);
    return { organizationId: null, name: request.name!, country: request.country!, kind: request.kind! };
  }

  private filtered(query: CommitmentsQueryDto): SelectQueryBuilder<CommitmentEntity> {
    const builder = this.dataSource
      .getRepository(CommitmentEntity)
      .createQueryBuilder('commitment')
      .where("commitment.approval = 'approved'");
    if (query.q)
      builder.andWhere('commitment.name ILIKE :q', {
        q: `%${query.q.replace(/[\\%_]/g, (match) => `\\${match}`)}%`,
      });
    if (query.country)
      builder.andWhere('commitment.country = :country', { country: query.country.toUpperCase() });
    if (query.kind) builder.andWhere('commitment.kind = :kind', { kind: query.kind });
    if (query.status) builder.andWhere('commitment.pathwayStatus = :status', { status: query.status });
    return builder;
  }
}

export function toCommitmentDto(
  entity: CommitmentEntity,
  certificates: CommitmentDto['certificates'],
): CommitmentDto {
  return {
    id: entity.id,
    name: entity.name,
    country: entity.country,
    kind: entity.kind,
    committedOn: entity.committedOn,
    statement: entity.statement,
    pathwayStatus: entity.pathwayStatus,
    certificates,
  };
}

function toRecordDto(
  entity: CommitmentEntity,
  certificates: CommitmentDto['certificates'],
): CommitmentRecordDto {
  return {
    ...toCommitmentDto(entity, certificates),
    source: entity.source,
    approval: entity.approval,
    organizationId: entity.organizationId,
    version: entity.version,
  };
}
