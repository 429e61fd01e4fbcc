import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import {
  type Actor,
  DomainError,
  ForbiddenError,
  ErrorCode,
  isSecretariat,
  NotFoundError,
  type Page,
  pageOffset,
  StaleVersionError,
  ValidationError,
} from '@app/common';
import { DataSource, type FindOptionsWhere } from 'typeorm';
import type {
  CreateOrganizationRequestDto,
  LicenseRequestDto,
  ListOrganizationsQueryDto,
  OrganizationDto,
  PendingChangeDecisionRequestDto,
  UpdateOrganizationRequestDto,
} from './dto/organization.dto';
import { OrganizationEntity, type PendingOrganizationChange } from './entities/organization.entity';
import { toOrganizationDto } from './identity.mapper';
import { NotCertifierError, NotInstitutionError } from './identity.errors';
import { OrganizationAccessPolicy } from './organization-access.policy';

function assertLicenseOrder(license: LicenseRequestDto): void {
  if (license.validFrom > license.validUntil) {
    throw new ValidationError('The license ends before it starts', [
      { field: 'validUntil', message: 'must not be before validFrom' },
    ]);
  }
}

/** Organizations of the three kinds, their institution profile and certifier license. */
@Injectable()
export class OrganizationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, request: CreateOrganizationRequestDto): Promise<OrganizationDto> {
    if (request.profile && request.kind !== 'institution') throw new NotInstitutionError();
    if (request.license) {
      if (request.kind !== 'certifier') throw new NotCertifierError();
      assertLicenseOrder(request.license);
    }
    const created = await this.dataSource.transaction(async (manager) => {
      const organization = await manager.getRepository(OrganizationEntity).save(
        manager.getRepository(OrganizationEntity).create({
          kind: request.kind,
          name: request.name,
          country: request.country,
          profile: request.profile ? { ...request.profile } : null,
          licenseValidFrom: request.license?.validFrom ?? null,
          licenseValidUntil: request.license?.validUntil ?? null,
        }),
      );
      await this.audit.record(manager, actor, {
        entityType: 'organization',
        entityId: organization.id,
        action: 'organization.created',
        data: { kind: organization.kind, name: organization.name, country: organization.country },
      });
      return organization;
    });
    return toOrganizationDto(created);
  }

  async list(actor: Actor, query: ListOrganizationsQueryDto): Promise<Page<OrganizationDto>> {
    const repository = this.dataSource.getRepository(OrganizationEntity);
    const kindFilter: FindOptionsWhere<OrganizationEntity> = query.kind ? { kind: query.kind } : {};
    const where: FindOptionsWhere<OrganizationEntity>[] = isSecretariat(actor)
      ? [kindFilter]
      : [
          { ...kindFilter, id: actor.organizationId ?? undefined },
          ...(query.kind === undefined || query.kind === 'certifier' ? [{ kind: 'certifier' as const }] : []),
        ];
    const [organizations, total] = await repository.findAndCount({
      where,
      order: { name: 'ASC', id: 'ASC' },
      skip: pageOffset(query),
      take: query.pageSize,
    });
    return { items: organizations.map(toOrganizationDto), total, page: query.page, pageSize: query.pageSize };
  }

  async get(actor: Actor, organizationId: string): Promise<OrganizationDto> {
    return toOrganizationDto(await this.findVisible(actor, organizationId));
  }

  async update(
    actor: Actor,
    organizationId: string,
    request: UpdateOrganizationRequestDto,
  ): Promise<OrganizationDto> {
    const organization = await this.findVisible(actor, organizationId);
    if (!OrganizationAccessPolicy.canUpdate(actor, organizationId)) throw new NotFoundError('Organization');
    if (request.profile !== undefined && organization.kind !== 'institution') throw new NotInstitutionError();
    const changes: Partial<OrganizationEntity> = {};
    if (request.name !== undefined) changes.name = request.name;
    if (request.country !== undefined) changes.country = request.country;
    if (request.profile !== undefined) changes.profile = { ...request.profile };
    if (request.committeeQuorum !== undefined) {
      if (organization.kind !== 'certifier') throw new NotCertifierError();
      if (actor.role !== 'certifier_admin' && actor.role !== 'secretariat_admin') {
        throw new ForbiddenError(
          "Only the certification body's admin or the secretariat admin sets the quorum",
        );
      }
      changes.committeeQuorum = request.committeeQuorum;
    }
    const isRenamed =
      (changes.name !== undefined && changes.name !== organization.name) ||
      (changes.country !== undefined && changes.country !== organization.country);
    if (isRenamed && (await this.holdsActiveCertificate(organization))) {
      // A certificate holder's name is what the public registry shows: the secretariat approves a change.
      const pendingChange: PendingOrganizationChange = {
        name: changes.name ?? organization.name,
        country: changes.country ?? organization.country,
        requestedAt: new Date().toISOString(),
        requestedBy: actor.userId,
      };
      delete changes.name;
      delete changes.country;
      return this.applyVersionedChange(
        actor,
        organization,
        request.version,
        { ...changes, pendingChange },
        'organization.change_requested',
      );
    }
    return this.applyVersionedChange(actor, organization, request.version, changes, 'organization.updated');
  }

  /** The secretariat applies or drops an institution's pending name or country change. */
  async decidePendingChange(
    actor: Actor,
    organizationId: string,
    request: PendingChangeDecisionRequestDto,
  ): Promise<OrganizationDto> {
    const organization = await this.findVisible(actor, organizationId);
    const pending = organization.pendingChange;
    if (!pending) {
      throw new DomainError(
        ErrorCode.NoPendingChange,
        `${organization.name} has no pending change to decide`,
      );
    }
    const isApproved = request.decision === 'approve';
    const updated = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(OrganizationEntity);
      // Conditional on the version read: a newer request is decided on its own, never by this answer.
      const result = await repository
        .createQueryBuilder()
        .update()
        .set({
          ...(isApproved ? { name: pending.name, country: pending.country } : {}),
          pendingChange: null,
          version: () => 'version + 1',
          updatedAt: () => 'now()',
        })
        .where('id = :id AND version = :version AND pending_change IS NOT NULL', {
          id: organization.id,
          version: organization.version,
        })
        .execute();
      if (result.affected !== 1) throw new StaleVersionError('Organization', organization.version);
      await this.audit.record(manager, actor, {
        entityType: 'organization',
        entityId: organization.id,
        action: isApproved ? 'organization.change_approved' : 'organization.change_rejected',
        reason: request.reason,
        data: {
          from: { name: organization.name, country: organization.country },
          requested: { name: pending.name, country: pending.country, requestedAt: pending.requestedAt },
        },
      });
      return repository.findOneByOrFail({ id: organization.id });
    });
    return toOrganizationDto(updated);
  }

  /** An institution named on an active or suspended certificate still valid (the registry lists it). */
  private async holdsActiveCertificate(organization: OrganizationEntity): Promise<boolean> {
    if (organization.kind !== 'institution') return false;
    // The certificate table belongs to the certificates lib, which builds on this one: read, never written.
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM certificate WHERE institution_id = $1 AND status IN ('active', 'suspended')
         AND valid_until >= (now() AT TIME ZONE 'UTC')::date LIMIT 1`,
      [organization.id],
    );
    return rows.length > 0;
  }

  async setLicense(
    actor: Actor,
    organizationId: string,
    license: LicenseRequestDto,
  ): Promise<OrganizationDto> {
    const organization = await this.findVisible(actor, organizationId);
    if (organization.kind !== 'certifier') throw new NotCertifierError();
    assertLicenseOrder(license);
    return this.applyVersionedChange(
      actor,
      organization,
      organization.version,
      { licenseValidFrom: license.validFrom, licenseValidUntil: license.validUntil },
      'organization.license_set',
    );
  }

  private async findVisible(actor: Actor, organizationId: string): Promise<OrganizationEntity> {
    const organization = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneBy({ id: organizationId });
    if (!organization || !OrganizationAccessPolicy.canSee(actor, organization)) {
      throw new NotFoundError('Organization');
    }
    return organization;
  }

  private async applyVersionedChange(
    actor: Actor,
    organization: OrganizationEntity,
    expectedVersion: number,
    changes: Partial<OrganizationEntity>,
    action: string,
  ): Promise<OrganizationDto> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(OrganizationEntity);
      const result = await repository
        .createQueryBuilder()
        .update()
        .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'now()' })
        .where('id = :id AND version = :version', { id: organization.id, version: expectedVersion })
        .execute();
      if (result.affected !== 1) throw new StaleVersionError('Organization', expectedVersion);
      await this.audit.record(manager, actor, {
        entityType: 'organization',
        entityId: organization.id,
        action,
        data: { changes, fromVersion: expectedVersion },
      });
      return repository.findOneByOrFail({ id: organization.id });
    });
    return toOrganizationDto(updated);
  }
}
