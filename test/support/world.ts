import { randomBytes } from 'node:crypto';
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
  /**
   * A published copy of the bundled 2016 edition (same indicators, codes and rule) that still takes
   * new initial certifications: the bundled one closed on 2021-04-30.
   */
  openEditionId: string;
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
  // The world's certification body is a small one: its single committee member decides alone (quorum 1).
  // The committee tests raise the quorum to the default 2 and add members.
  await setCommitteeQuorum(client, root, certifier.id, 1);

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
    openEditionId: await publishOpenCopyOf2016(client, root),
    sessions,
    emails: Object.fromEntries(Object.entries(users).map(([caller, user]) => [caller, user.email])),
    sessionOf: (caller) => (caller === 'anonymous' ? null : sessions[caller]),
  };
}

/** Sets a certification body's committee quorum (PATCH /organizations/:id, as `by`). */
export async function setCommitteeQuorum(
  client: ApiClient,
  by: Session,
  certifierId: string,
  committeeQuorum: number,
): Promise<void> {
  const current = await client.get(`/api/v1/organizations/${certifierId}`, by);
  const version = (current.body as { version: number }).version;
  const response = await client
    .patch(`/api/v1/organizations/${certifierId}`, by)
    .send({ version, committeeQuorum });
  if (response.status !== 200)
    throw new Error(`set quorum: ${response.status} ${JSON.stringify(response.body)}`);
}

/** A Text (string or one string per language) with a suffix on each language. */
function withSuffix(text: unknown, suffix: string): unknown {
  if (typeof text === 'string') return `${text}${suffix}`;
  return Object.fromEntries(
    Object.entries(text as Record<string, string>).map(([lang, value]) => [lang, `${value}${suffix}`]),
  );
}

/** Imports and publishes the bundled 2016 document under a new id, without its closing date. */
export async function publishOpenCopyOf2016(client: ApiClient, admin: Session): Promise<string> {
  const bundled = await client.get('/api/v1/standards/cps-2016', admin);
  if (bundled.status !== 200) throw new Error(`read cps-2016: ${bundled.status}`);
  const {
    openForNewCasesUntil: _closed,
    retiredOn: _retired,
    ...document
  } = bundled.body as Record<string, unknown>;
  const id = `cps-2016-open-${randomBytes(3).toString('hex')}`;
  const imported = await client
    .post('/api/v1/standards', admin)
    .send({ ...document, id, title: withSuffix(document.title, ' (test copy open for new cases)') });
  if (imported.status !== 201)
    throw new Error(`import ${id}: ${imported.status} ${JSON.stringify(imported.body)}`);
  const published = await client.post(`/api/v1/standards/${id}/publish`, admin);
  if (published.status !== 200) throw new Error(`publish ${id}: ${published.status}`);
  return id;
}
