import type { OrganizationKind, Role } from './roles';

/** Who is acting: every service method that acts for someone takes it first. */
export interface Actor {
  kind: 'user' | 'system';
  userId: string | null;
  name: string;
  role: Role | null;
  organizationId: string | null;
  organizationKind: OrganizationKind | null;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({
  kind: 'system',
  userId: null,
  name: 'system',
  role: null,
  organizationId: null,
  organizationKind: null,
});

export function isSecretariat(actor: Actor): boolean {
  return actor.organizationKind === 'secretariat';
}
