import { randomBytes } from 'node:crypto';
import type { OrganizationKind, Role } from '@app/common';
import type { ApiClient, Session } from './api-client';

export const TEST_PASSWORD = 'correct-horse-battery-1';

const unique = (): string => randomBytes(4).toString('hex');

export function institutionProfile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    legalForm: 'NGO',
    offersCredit: true,
    offersSavings: false,
    offersInsurance: false,
    offersPayments: false,
    usesDigitalChannels: false,
    usesAgents: false,
    groupLending: true,
    creditBureauAvailable: true,
    clientCount: 25000,
    branchCount: 12,
    ...overrides,
  };
}

function isoDate(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** Builds the body of POST /organizations. */
export class OrganizationBuilder {
  private body: Record<string, unknown>;

  constructor(kind: OrganizationKind) {
    this.body = { kind, name: `${kind} ${unique()}`, country: 'PE' };
    if (kind === 'institution') this.body.profile = institutionProfile();
    if (kind === 'certifier') this.body.license = { validFrom: isoDate(-30), validUntil: isoDate(335) };
  }

  named(name: string): this {
    this.body.name = name;
    return this;
  }

  inCountry(country: string): this {
    this.body.country = country;
    return this;
  }

  withLicense(validFrom: string, validUntil: string): this {
    this.body.license = { validFrom, validUntil };
    return this;
  }

  withoutLicense(): this {
    delete this.body.license;
    return this;
  }

  withProfile(overrides: Record<string, unknown>): this {
    this.body.profile = institutionProfile(overrides);
    return this;
  }

  build(): Record<string, unknown> {
    return { ...this.body };
  }

  async create(client: ApiClient, admin: Session): Promise<{ id: string; version: number }> {
    const response = await client.post('/api/v1/organizations', admin).send(this.build());
    if (response.status !== 201)
      throw new Error(`create organization: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as { id: string; version: number };
  }
}

export const anOrganization = (kind: OrganizationKind): OrganizationBuilder => new OrganizationBuilder(kind);

/** Creates a user in the organization and signs in as them. */
export async function aSignedInUser(
  client: ApiClient,
  creator: Session,
  organizationId: string,
  role: Role,
): Promise<Session & { email: string }> {
  const email = `${role.replace(/_/g, '-')}-${unique()}@example.org`;
  const response = await client
    .post(`/api/v1/organizations/${organizationId}/users`, creator)
    .send({ email, name: `Test ${role}`, role, password: TEST_PASSWORD });
  if (response.status !== 201)
    throw new Error(`create user: ${response.status} ${JSON.stringify(response.body)}`);
  return { ...(await client.login(email, TEST_PASSWORD)), email };
}
