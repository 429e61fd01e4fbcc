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
import { DataSource, In, Not } from 'typeorm';
import type { CreateUserRequestDto, UpdateUserRequestDto, UserDto } from './dto/user.dto';
import { OrganizationEntity } from './entities/organization.entity';
import { UserEntity } from './entities/user.entity';
import { toUserDto } from './identity.mapper';
import { EmailTakenError, LastActiveAdminError, RoleNotAllowedError } from './identity.errors';
import { ADMIN_ROLES, lockManagedUser } from './managed-user.util';
import { OrganizationAccessPolicy } from './organization-access.policy';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { hasPermission, Permission } from './permissions';
import { voidResetTokensIssuedBy, voidResetTokensOf } from './reset-token-voiding.util';
import { SessionsService } from './sessions.service';

/** Users of an organization, one role each. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly sessions: SessionsService,
    private readonly policy: PasswordPolicy,
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
    this.policy.assertAcceptable(request.password, request, 'password');
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

  /**
   * Renames, changes the role of, deactivates or reactivates a user of the organization. Deactivation
   * ends every session of the user at once. The organization row is locked so that two admins demoting
   * each other at the same time cannot leave it without an active admin.
   */
  async update(
    actor: Actor,
    organizationId: string,
    userId: string,
    request: UpdateUserRequestDto,
  ): Promise<UserDto> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const { organization, user } = await lockManagedUser(manager, actor, organizationId, userId);
      if (
        request.role !== undefined &&
        !ROLES_BY_ORGANIZATION_KIND[organization.kind].includes(request.role)
      ) {
        throw new RoleNotAllowedError(request.role, organization.kind);
      }
      const isActive = request.isActive ?? user.isActive;
      const role = request.role ?? user.role;
      const name = request.name ?? user.name;
      const wasActiveAdmin = user.isActive && ADMIN_ROLES.includes(user.role);
      if (wasActiveAdmin && (!isActive || !ADMIN_ROLES.includes(role))) {
        const otherAdmins = await manager
          .getRepository(UserEntity)
          .count({ where: { organizationId, isActive: true, role: In([...ADMIN_ROLES]), id: Not(user.id) } });
        if (otherAdmins === 0) throw new LastActiveAdminError(isActive ? 'role' : 'isActive');
      }
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (isActive !== user.isActive) changes.isActive = { from: user.isActive, to: isActive };
      if (role !== user.role) changes.role = { from: user.role, to: role };
      if (name !== user.name) changes.name = { from: user.name, to: name };
      if (Object.keys(changes).length === 0) return user;
      await manager
        .getRepository(UserEntity)
        .update({ id: user.id }, { isActive, role, name, version: () => 'version + 1' });
      const isDeactivated = changes.isActive !== undefined && !isActive;
      const sessionsEnded = isDeactivated
        ? await this.sessions.revokeAllOfUser(manager, user.id, 'user_deactivated')
        : 0;
      // Reset tokens outlive neither the account they were issued for nor their issuer's right to issue them.
      const resetTokensVoided = isDeactivated ? await voidResetTokensOf(manager, user.id) : 0;
      const wasUserManager = user.isActive && hasPermission(user.role, Permission.UsersManage);
      const issuedResetTokensVoided =
        wasUserManager && (!isActive || !hasPermission(role, Permission.UsersManage))
          ? await voidResetTokensIssuedBy(manager, user.id)
          : 0;
      await this.audit.record(manager, actor, {
        entityType: 'user',
        entityId: user.id,
        action: changes.isActive ? (isActive ? 'user.reactivated' : 'user.deactivated') : 'user.updated',
        data: { organizationId, changes, sessionsEnded, resetTokensVoided, issuedResetTokensVoided },
      });
      return manager.getRepository(UserEntity).findOneByOrFail({ id: user.id });
    });
    return toUserDto(updated);
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
