import { type Actor, isSecretariat } from '@app/common';

/**
 * Which organizations a caller may see and manage. The secretariat sees every organization;
 * others see their own and the directory of certification bodies (an institution chooses one).
 */
export const OrganizationAccessPolicy = {
  canSee(actor: Actor, organization: { id: string; kind: string }): boolean {
    return (
      isSecretariat(actor) || actor.organizationId === organization.id || organization.kind === 'certifier'
    );
  },

  canUpdate(actor: Actor, organizationId: string): boolean {
    return actor.role === 'secretariat_admin' || actor.organizationId === organizationId;
  },

  canManageUsers(actor: Actor, organizationId: string): boolean {
    return actor.role === 'secretariat_admin' || actor.organizationId === organizationId;
  },

  canListUsers(actor: Actor, organizationId: string): boolean {
    return isSecretariat(actor) || actor.organizationId === organizationId;
  },
};
