import type { Role } from '@app/common';
import type { ApiClient, Session } from './api-client';
import { anOrganization, aSignedInUser } from './builders';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './test-app';

export type Caller = 'anonymous' | Role | 'other_institution_admin' | 'other_certifier_admin';

export const CALLERS: Caller[] = [
  'anonymous',
  'institution_admin',
  'institution_member',
  'certifier_admin',
  'rater',
  'committee_member',
  'secretariat_admin',
  'secretariat_officer',
  'other_institution_admin',
  'other_certifier_admin',
];

/**
 * Two institutions, two certification bodies and the secretariat, with one signed-in user per role
 * in the "own" organizations and an admin in each "other" one.
 */
export interface World {
  institutionId: string;
  otherInstitutionId: string;
  certifierId: string;
  otherCertifierId: string;
  secretariatId: string;
  sessions: Record<Exclude<Caller, 'anonymous'>, Session>;
  emails: Partial<Record<Caller, string>>;
  sessionOf(caller: Caller): Session | null;
}

export async function buildWorld(client: ApiClient): Promise<World> {
  const root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  const institution = await anOrganization('institution').create(client, root);
  const otherInstitution = await anOrganization('institution').create(client, root);
  const certifier = await anOrganization('certifier').create(client, root);
  const otherCertifier = await anOrganization('certifier').create(client, root);

  const make = (organizationId: string, role: Role) => aSignedInUser(client, root, organizationId, role);
  const users = {
    institution_admin: await make(institution.id, 'institution_admin'),
    institution_member: await make(institution.id, 'institution_member'),
    certifier_admin: await make(certifier.id, 'certifier_admin'),
    rater: await make(certifier.id, 'rater'),
    committee_member: await make(certifier.id, 'committee_member'),
    secretariat_admin: await make(root.organizationId, 'secretariat_admin'),
    secretariat_officer: await make(root.organizationId, 'secretariat_officer'),
    other_institution_admin: await make(otherInstitution.id, 'institution_admin'),
    other_certifier_admin: await make(otherCertifier.id, 'certifier_admin'),
  };
  const sessions = users as World['sessions'];
  return {
    institutionId: institution.id,
    otherInstitutionId: otherInstitution.id,
    certifierId: certifier.id,
    otherCertifierId: otherCertifier.id,
    secretariatId: root.organizationId,
    sessions,
    emails: Object.fromEntries(Object.entries(users).map(([caller, user]) => [caller, user.email])),
    sessionOf: (caller) => (caller === 'anonymous' ? null : sessions[caller]),
  };
}
