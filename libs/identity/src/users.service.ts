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
  ROLES_BY_ORGANIZATION_KIND,
} from '@app/common';
import { isUniqueViolation } from '@app/database';
import { DataSource } from 'typeorm';
import type { CreateUserRequestDto, UserDto } from './dto/user.dto';
import { OrganizationEntity } from './entities/organization.entity';
import { UserEntity } from './entities/user.entity';
import { toUserDto } from './identity.mapper';
import { EmailTakenError, RoleNotAllowedError } from './identity.errors';
import { OrganizationAccessPolicy } from './organization-access.policy';
import { PasswordHasher } from './password-hasher';

/** Users of an organization, one role each. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, organizationId: string, request: CreateUserRequestDto): Promise<UserDto> {
    const organization = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneBy({ id: organizationId });
    if (!organization || !OrganizationAccessPolicy.canManageUsers(actor, organizationId)) {
      throw new NotFoundError('Organization');
    }
    if (!ROLES_BY_ORGANIZATION_KIND[organization.kind].includes(request.role)) {
      throw new RoleNotAllowedError(request.role, organization.kind);
    }
    const passwordHash = await this.hasher.hash(request.password);
    try {
      const user = await this.dataSource.transaction(async (manager) => {
        const created = await manager.getRepository(UserEntity).save(
          manager.getRepository(UserEntity).create({
            organizationId,
            email: request.email,
            name: request.name,
            role: request.role,
            passwordHash,
            passwordChangedAt: new Date(),
          }),
        );
        await this.audit.record(manager, actor, {
          entityType: 'user',
          entityId: created.id,
          action: 'user.created',
          data: { organizationId, email: created.email, role: created.role },
        });
        return created;
      });
      return toUserDto(user);
    } catch (error) {
      if (isUniqueViolation(error, 'user_account_email_key')) throw new EmailTakenError(request.email);
      throw error;
    }
  }

  async list(actor: Actor, organizationId: string, page: PageRequest): Promise<Page<UserDto>> {
    const organization = await this.dataSource
      .getRepository(OrganizationEntity)
      .findOneBy({ id: organizationId });
    if (
      !organization ||
      !(isSecretariat(actor) || OrganizationAccessPolicy.canListUsers(actor, organizationId))
    ) {
      throw new NotFoundError('Organization');
    }
    const [users, total] = await this.dataSource.getRepository(UserEntity).findAndCount({
      where: { organizationId },
      order: { name: 'ASC', id: 'ASC' },
      skip: pageOffset(page),
      take: page.pageSize,
    });
    return { items: users.map(toUserDto), total, page: page.page, pageSize: page.pageSize };
  }
}
