import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import {
  type Actor,
  isSecretariat,
  NotFoundError,
  type Page,
  type PageRequest,
  pageOffset,
} from '@app/common';
import { OrganizationEntity, UserEntity } from '@app/identity';
import { DataSource } from 'typeorm';
import { GuardFailedError } from '../cases.errors';
import { ErrorCode } from '@app/common';
import type { PriorServiceDto, PriorServiceRequestDto } from '../dto/case.dto';
import { PriorServiceEntity } from '../entities/prior-service.entity';
import { blockedUntil } from '../impartiality.service';

function toPriorServiceDto(service: PriorServiceEntity): PriorServiceDto {
  return {
    id: service.id,
    certifierId: service.certifierId,
    institutionId: service.institutionId,
    userId: service.userId,
    kind: service.kind,
    endedOn: service.endedOn,
    blocksUntil: blockedUntil(service.endedOn),
  };
}

/** The register of services a certification body gave institutions, which feeds the conflict rule. */
@Injectable()
export class PriorServicesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async record(actor: Actor, certifierId: string, request: PriorServiceRequestDto): Promise<PriorServiceDto> {
    if (actor.role !== 'certifier_admin' || actor.organizationId !== certifierId)
      throw new NotFoundError('Organization');
    const institution = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneBy({ id: request.institutionId });
    if (!institution || institution.kind !== 'institution') {
      throw new GuardFailedError(
        ErrorCode.OrganizationNotInstitution,
        'The service must concern an institution',
        [{ field: 'institutionId', message: 'must be an institution' }],
      );
    }
    if (request.userId) {
      const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: request.userId });
      if (!user || user.organizationId !== certifierId) {
        throw new GuardFailedError(
          ErrorCode.TeamMemberInvalid,
          'The person must belong to this certification body',
          [{ field: 'userId', message: 'is not a user of this certification body' }],
        );
      }
    }
    const saved = await this.dataSource.transaction(async (manager) => {
      const service = await manager.getRepository(PriorServiceEntity).save(
        manager.getRepository(PriorServiceEntity).create({
          certifierId,
          institutionId: request.institutionId,
          userId: request.userId ?? null,
          kind: request.kind,
          endedOn: request.endedOn,
          recordedBy: actor.userId!,
        }),
      );
      await this.audit.record(manager, actor, {
        entityType: 'prior_service',
        entityId: service.id,
        action: 'prior_service.recorded',
        data: {
          certifierId,
          institutionId: request.institutionId,
          userId: request.userId ?? null,
          kind: request.kind,
          endedOn: request.endedOn,
        },
      });
      return service;
    });
    return toPriorServiceDto(saved);
  }

  async list(actor: Actor, certifierId: string, page: PageRequest): Promise<Page<PriorServiceDto>> {
    if (
      !isSecretariat(actor) &&
      !(actor.role === 'certifier_admin' && actor.organizationId === certifierId)
    ) {
      throw new NotFoundError('Organization');
    }
    const [services, total] = await this.dataSource.getRepository(PriorServiceEntity).findAndCount({
      where: { certifierId },
      order: { endedOn: 'DESC', id: 'ASC' },
      skip: pageOffset(page),
      take: page.pageSize,
    });
    return { items: services.map(toPriorServiceDto), total, page: page.page, pageSize: page.pageSize };
  }
}
