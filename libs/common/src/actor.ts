import type { OrganizationKind, Role } from './roles';

/** Who is acting: every service method that acts for someone takes it first. */
export interface Actor {
  kind: 'user' | 'system';
  userId: string | null;
  name: string;
  role: Role | null;
  organizationId: string | null;
  organizationKind: OrganizationKind | null;
  /** The login (session) the access token belongs to; absent for the system. */
  sessionId?: string;
  /** How the user signed in, the token's `amr`: `pwd`, or `pwd` and `otp`. */
  authenticationMethods?: readonly string[];
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
