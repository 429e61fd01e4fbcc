import { type Actor, NotFoundError, type Role } from '@app/common';
import type { EntityManager } from 'typeorm';
import { OrganizationEntity } from './entities/organization.entity';
import { UserEntity } from './entities/user.entity';
import { OrganizationAccessPolicy } from './organization-access.policy';

export const ADMIN_ROLES: readonly Role[] = ['institution_admin', 'certifier_admin', 'secretariat_admin'];

/**
 * The user an admin acts on, locked for the rest of the transaction together with its organization:
 * the organization must be one the actor manages, and the user must belong to it (404 otherwise).
 */
export async function lockManagedUser(
  manager: EntityManager,
  actor: Actor,
  organizationId: string,
  userId: string,
): Promise<{ organization: OrganizationEntity; user: UserEntity }> {
  if (!OrganizationAccessPolicy.canManageUsers(actor, organizationId))
    throw new NotFoundError('Organization');
  const organization = await manager
    .getRepository(OrganizationEntity)
    .findOne({ where: { id: organizationId }, lock: { mode: 'pessimistic_write' } });
  if (!organization) throw new NotFoundError('Organization');
  const user = await manager
    .getRepository(UserEntity)
    .findOne({ where: { id: userId, organizationId }, lock: { mode: 'pessimistic_write' } });
  if (!user) throw new NotFoundError('User');
  return { organization, user };
}
