import type { Response, Test } from 'supertest';
import { ApiClient, type Session } from '../support/api-client';
import { anOrganization, institutionProfile, TEST_PASSWORD } from '../support/builders';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const isoDate = (offsetDays: number): string =>
  new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, member]) => [
      key,
      ...keysOf(member),
    ]);
  }
  return [];
}

function expectNoPasswordIn(body: unknown): void {
  const keys = keysOf(body).map((key) => key.toLowerCase());
  expect(keys.filter((key) => key.includes('password'))).toEqual([]);
  expect(JSON.stringify(body)).not.toContain(TEST_PASSWORD);
}

/** The fields named by an error's details, each once (a field may break several constraints). */
const fieldsOf = (response: Response): string[] => [
  ...new Set((response.body.details as { field?: string }[]).map((detail) => detail.field ?? '')),
];

interface AuditRow {
  entity_type: string;
  entity_id: string;
  actor_id: string | null;
  action: string;
  data: Record<string, unknown>;
}

describe('organizations and their users', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let admin: Session;

  const createOrganization = (body: Record<string, unknown>, session: Session = admin): Test =>
    client.post('/api/v1/organizations', session).send(body);
  const auditOf = (entityId: string): Promise<AuditRow[]> =>
    testApp.dataSource.query(
      'SELECT entity_type, entity_id, actor_id, action, data FROM audit_event WHERE entity_id = $1 ORDER BY sequence',
      [entityId],
    );
  const countOrganizationsNamed = async (name: string): Promise<number> => {
    const rows: { count: string }[] = await testApp.dataSource.query(
      'SELECT count(*) FROM organization WHERE name = $1',
      [name],
    );
    return Number(rows[0].count);
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    admin = world.sessions.secretariat_admin;
  });

  afterAll(() => testApp?.close());

  describe('POST /api/v1/organizations', () => {
    it('creates an institution with its profile', async () => {
      const response = await createOrganization(
        anOrganization('institution').named('Banco Andino').inCountry('pe').build(),
      ).expect(201);

      expect(response.body).toEqual({
        id: expect.stringMatching(UUID),
        kind: 'institution',
        name: 'Banco Andino',
        country: 'PE',
        profile: institutionProfile(),
        license: null,
        committeeQuorum: null,
        pendingChange: null,
        version: 1,
        createdAt: expect.stringMatching(INSTANT),
        updatedAt: expect.stringMatching(INSTANT),
      });
      const read = await client.get(`/api/v1/organizations/${response.body.id}`, admin).expect(200);
      expect(read.body).toEqual(response.body);
      expect(await auditOf(response.body.id)).toEqual([
        {
          entity_type: 'organization',
          entity_id: response.body.id,
          actor_id: admin.userId,
          action: 'organization.created',
          data: { kind: 'institution', name: 'Banco Andino', country: 'PE' },
        },
      ]);
    });

    it('creates a certifier with its license, valid today when it covers today', async () => {
      const validFrom = isoDate(-10);
      const validUntil = isoDate(365);

      const response = await createOrganization(
        anOrganization('certifier').named('Certifica SA').withLicense(validFrom, validUntil).build(),
      ).expect(201);

      expect(response.body).toEqual(
        expect.objectContaining({
          kind: 'certifier',
          name: 'Certifica SA',
          profile: null,
          license: { validFrom, validUntil, isValidToday: true },
          version: 1,
        }),
      );
      expect((await auditOf(response.body.id)).map((event) => event.action)).toEqual([
        'organization.created',
      ]);
    });

    it('creates a certifier whose license starts in the future as not valid today', async () => {
      const validFrom = isoDate(30);
      const validUntil = isoDate(400);

      const response = await createOrganization(
        anOrganization('certifier').withLicense(validFrom, validUntil).build(),
      ).expect(201);

      expect(response.body.license).toEqual({ validFrom, validUntil, isValidToday: false });
    });

    it('creates a secretariat organization', async () => {
      const response = await createOrganization(
        anOrganization('secretariat').named('Regional secretariat').inCountry('KE').build(),
      ).expect(201);

      expect(response.body).toEqual(
        expect.objectContaining({
          kind: 'secretariat',
          name: 'Regional secretariat',
          country: 'KE',
          profile: null,
          license: null,
          version: 1,
        }),
      );
      expect((await auditOf(response.body.id)).map((event) => event.action)).toEqual([
        'organization.created',
      ]);
    });

    it('rejects an unknown country with 400 naming country', async () => {
      const body = anOrganization('institution').named('Unknown land MFI').inCountry('XX').build();

      const response = await createOrganization(body).expect(400);

      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['country']);
      expect(await countOrganizationsNamed('Unknown land MFI')).toBe(0);
    });

    it('rejects a profile on a certifier with 422 ORGANIZATION_NOT_INSTITUTION', async () => {
      const body = {
        ...anOrganization('certifier').named('Certifier with profile').build(),
        profile: institutionProfile(),
      };

      const response = await createOrganization(body).expect(422);

      expect(response.body.code).toBe('ORGANIZATION_NOT_INSTITUTION');
      expect(await countOrganizationsNamed('Certifier with profile')).toBe(0);
    });

    it('rejects a license on an institution with 422 ORGANIZATION_NOT_CERTIFIER', async () => {
      const body = anOrganization('institution')
        .named('Institution with license')
        .withLicense(isoDate(-1), isoDate(100))
        .build();

      const response = await createOrganization(body).expect(422);

      expect(response.body.code).toBe('ORGANIZATION_NOT_CERTIFIER');
      expect(await countOrganizationsNamed('Institution with license')).toBe(0);
    });

    it('rejects a license that ends before it starts with 400 naming validUntil', async () => {
      const body = anOrganization('certifier')
        .named('Backwards license')
        .withLicense('2026-06-30', '2026-06-01')
        .build();

      const response = await createOrganization(body).expect(400);

      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['validUntil']);
      expect(await countOrganizationsNamed('Backwards license')).toBe(0);
    });

    it('rejects a profile whose clientCount is a string with 400 naming profile.clientCount', async () => {
      const body = anOrganization('institution')
        .named('Stringly MFI')
        .withProfile({ clientCount: '25000' })
        .build();

      const response = await createOrganization(body).expect(400);

      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['profile.clientCount']);
      expect(await countOrganizationsNamed('Stringly MFI')).toBe(0);
    });

    it('rejects an unknown field inside the profile with 400 naming profile.foo', async () => {
      const body = anOrganization('institution').named('Foo MFI').withProfile({ foo: 'bar' }).build();

      const response = await createOrganization(body).expect(400);

      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['profile.foo']);
      expect(await countOrganizationsNamed('Foo MFI')).toBe(0);
    });

    it('rejects a name containing a NUL character with 400 naming name, not a 500', async () => {
      const response = await createOrganization(
        anOrganization('certifier').named('Nul\u0000Certifier').build(),
      );

      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['name']);
    });

    it('answers a repeat with the same Idempotency-Key and body with the first answer, creating nothing new', async () => {
      const body = anOrganization('certifier').named('Idempotent certifier').build();
      const key = `create-certifier-${Date.now()}`;

      const first = await client.post('/api/v1/organizations', admin).set('Idempotency-Key', key).send(body);
      const repeat = await client.post('/api/v1/organizations', admin).set('Idempotency-Key', key).send(body);

      expect(first.status).toBe(201);
      expect(repeat.status).toBe(201);
      expect(repeat.body).toEqual(first.body);
      expect(await countOrganizationsNamed('Idempotent certifier')).toBe(1);
    });

    it('refuses a secretariat officer with 403', async () => {
      const response = await createOrganization(
        anOrganization('certifier').named('Officer made').build(),
        world.sessions.secretariat_officer,
      ).expect(403);

      expect(response.body.code).toBe('FORBIDDEN');
      expect(await countOrganizationsNamed('Officer made')).toBe(0);
    });
  });

  describe('PATCH /api/v1/organizations/:organizationId', () => {
    it('replaces the profile when sent with the version read, and refuses a stale version with 409', async () => {
      const { id } = await anOrganization('institution').create(client, admin);
      const read = await client.get(`/api/v1/organizations/${id}`, admin).expect(200);
      const firstProfile = institutionProfile({ clientCount: 30000, offersSavings: true });

      const updated = await client
        .patch(`/api/v1/organizations/${id}`, admin)
        .send({ version: read.body.version, profile: firstProfile })
        .expect(200);

      expect(updated.body).toEqual(
        expect.objectContaining({ id, profile: firstProfile, version: read.body.version + 1 }),
      );
      const stale = await client
        .patch(`/api/v1/organizations/${id}`, admin)
        .send({
          version: read.body.version,
          profile: institutionProfile({ clientCount: 1 }),
          name: 'Lost update',
        })
        .expect(409);
      expect(stale.body.code).toBe('STALE_VERSION');
      const after = await client.get(`/api/v1/organizations/${id}`, admin).expect(200);
      expect(after.body).toEqual(updated.body);
      const events = await auditOf(id);
      expect(events.map((event) => event.action)).toEqual(['organization.created', 'organization.updated']);
      expect(events[1]).toEqual(
        expect.objectContaining({
          entity_type: 'organization',
          actor_id: admin.userId,
          data: { changes: { profile: firstProfile }, fromVersion: read.body.version },
        }),
      );
    });

    it("lets an institution admin update its own institution's profile", async () => {
      const session = world.sessions.institution_admin;
      const read = await client.get(`/api/v1/organizations/${world.institutionId}`, session).expect(200);
      const profile = institutionProfile({ branchCount: 40, usesAgents: true });

      const response = await client
        .patch(`/api/v1/organizations/${world.institutionId}`, session)
        .send({ version: read.body.version, profile })
        .expect(200);

      expect(response.body.profile).toEqual(profile);
      expect(response.body.version).toBe(read.body.version + 1);
      const events = await auditOf(world.institutionId);
      expect(events[events.length - 1]).toEqual(
        expect.objectContaining({ action: 'organization.updated', actor_id: session.userId }),
      );
    });

    it('answers 404 to an institution admin updating another institution, and changes nothing', async () => {
      const read = await client.get(`/api/v1/organizations/${world.otherInstitutionId}`, admin).expect(200);

      const response = await client
        .patch(`/api/v1/organizations/${world.otherInstitutionId}`, world.sessions.institution_admin)
        .send({ version: read.body.version, profile: institutionProfile({ clientCount: 7 }) })
        .expect(404);

      expect(response.body.code).toBe('NOT_FOUND');
      const after = await client.get(`/api/v1/organizations/${world.otherInstitutionId}`, admin).expect(200);
      expect(after.body).toEqual(read.body);
    });

    it('rejects a profile on a certifier with 422 ORGANIZATION_NOT_INSTITUTION', async () => {
      const read = await client.get(`/api/v1/organizations/${world.certifierId}`, admin).expect(200);

      const response = await client
        .patch(`/api/v1/organizations/${world.certifierId}`, admin)
        .send({ version: read.body.version, profile: institutionProfile() })
        .expect(422);

      expect(response.body.code).toBe('ORGANIZATION_NOT_INSTITUTION');
    });
  });

  describe('PUT /api/v1/organizations/:organizationId/license', () => {
    it('rejects a license for an institution with 422 ORGANIZATION_NOT_CERTIFIER', async () => {
      const response = await client
        .put(`/api/v1/organizations/${world.institutionId}/license`, admin)
        .send({ validFrom: isoDate(-1), validUntil: isoDate(100) })
        .expect(422);

      expect(response.body.code).toBe('ORGANIZATION_NOT_CERTIFIER');
      const stored: { license_valid_from: string | null }[] = await testApp.dataSource.query(
        'SELECT license_valid_from FROM organization WHERE id = $1',
        [world.institutionId],
      );
      expect(stored[0].license_valid_from).toBeNull();
    });

    it("sets a certifier's license and answers its dates", async () => {
      const { id } = await anOrganization('certifier').withoutLicense().create(client, admin);
      const validFrom = isoDate(-400);
      const validUntil = isoDate(-1);

      const expired = await client
        .put(`/api/v1/organizations/${id}/license`, admin)
        .send({ validFrom, validUntil })
        .expect(200);

      expect(expired.body).toEqual(
        expect.objectContaining({ id, license: { validFrom, validUntil, isValidToday: false }, version: 2 }),
      );
      const renewed = await client
        .put(`/api/v1/organizations/${id}/license`, admin)
        .send({ validFrom: isoDate(0), validUntil: '2031-12-31' })
        .expect(200);
      expect(renewed.body.license).toEqual({
        validFrom: isoDate(0),
        validUntil: '2031-12-31',
        isValidToday: true,
      });
      expect(renewed.body.version).toBe(3);
      const events = await auditOf(id);
      expect(events.map((event) => event.action)).toEqual([
        'organization.created',
        'organization.license_set',
        'organization.license_set',
      ]);
      expect(events[1].data).toEqual({
        changes: { licenseValidFrom: validFrom, licenseValidUntil: validUntil },
        fromVersion: 1,
      });
    });

    it('rejects a license that ends before it starts with 400 naming validUntil', async () => {
      const response = await client
        .put(`/api/v1/organizations/${world.certifierId}/license`, admin)
        .send({ validFrom: '2027-01-02', validUntil: '2027-01-01' })
        .expect(400);

      expect(fieldsOf(response)).toEqual(['validUntil']);
    });
  });

  describe('users of an organization', () => {
    const usersPath = (organizationId: string): string => `/api/v1/organizations/${organizationId}/users`;
    const userBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
      email: `member-${Math.random().toString(36).slice(2, 10)}@example.org`,
      name: 'Rosa Member',
      role: 'institution_member',
      password: TEST_PASSWORD,
      ...overrides,
    });

    it('lets an institution admin create a member of its own institution, who can then log in', async () => {
      const session = world.sessions.institution_admin;
      const body = userBody({ email: 'Rosa.Quispe@Example.org' });

      const response = await client.post(usersPath(world.institutionId), session).send(body).expect(201);

      expect(response.body).toEqual({
        id: expect.stringMatching(UUID),
        organizationId: world.institutionId,
        email: 'rosa.quispe@example.org',
        name: 'Rosa Member',
        role: 'institution_member',
        isActive: true,
        createdAt: expect.stringMatching(INSTANT),
      });
      expectNoPasswordIn(response.body);
      const signedIn = await client.login('rosa.quispe@example.org', TEST_PASSWORD);
      expect(signedIn.userId).toBe(response.body.id);
      expect(await auditOf(response.body.id)).toEqual([
        {
          entity_type: 'user',
          entity_id: response.body.id,
          actor_id: session.userId,
          action: 'user.created',
          data: {
            organizationId: world.institutionId,
            email: 'rosa.quispe@example.org',
            role: 'institution_member',
          },
        },
      ]);
    });

    it('rejects a role of another organization kind with 422 ROLE_NOT_ALLOWED_FOR_ORGANIZATION', async () => {
      for (const role of ['rater', 'secretariat_admin']) {
        const body = userBody({ role });

        const response = await client
          .post(usersPath(world.institutionId), world.sessions.institution_admin)
          .send(body)
          .expect(422);

        expect(response.body.code).toBe('ROLE_NOT_ALLOWED_FOR_ORGANIZATION');
        expect(fieldsOf(response)).toEqual(['role']);
        const stored: unknown[] = await testApp.dataSource.query(
          'SELECT id FROM user_account WHERE email = $1',
          [body.email],
        );
        expect(stored).toEqual([]);
      }
    });

    it('rejects an email already in use, whatever its letter case, with 409 EMAIL_TAKEN', async () => {
      const email = world.emails.institution_member!;

      const response = await client
        .post(usersPath(world.institutionId), admin)
        .send(userBody({ email: email.toUpperCase() }))
        .expect(409);

      expect(response.body.code).toBe('EMAIL_TAKEN');
      expect(fieldsOf(response)).toEqual(['email']);
      const stored: { count: string }[] = await testApp.dataSource.query(
        'SELECT count(*) FROM user_account WHERE lower(email) = lower($1)',
        [email],
      );
      expect(Number(stored[0].count)).toBe(1);
    });

    it('rejects a password of 11 characters with 400 naming password', async () => {
      const response = await client
        .post(usersPath(world.institutionId), world.sessions.institution_admin)
        .send(userBody({ password: 'elevenchars' }))
        .expect(400);

      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['password']);
      expectNoPasswordIn(response.body);
      expect(JSON.stringify(response.body)).not.toContain('elevenchars');
    });

    it("answers 404 to another institution's admin creating or listing this institution's users", async () => {
      const outsider = world.sessions.other_institution_admin;
      const body = userBody();

      const created = await client.post(usersPath(world.institutionId), outsider).send(body).expect(404);
      const listed = await client.get(usersPath(world.institutionId), outsider).expect(404);

      expect(created.body.code).toBe('NOT_FOUND');
      expect(listed.body.code).toBe('NOT_FOUND');
      const stored: unknown[] = await testApp.dataSource.query(
        'SELECT id FROM user_account WHERE email = $1',
        [body.email],
      );
      expect(stored).toEqual([]);
    });

    it("rejects a user's name containing a NUL character with 400 naming name, not a 500", async () => {
      const body = userBody({ name: 'Rosa\u0000Member' });

      const response = await client.post(usersPath(world.institutionId), admin).send(body);

      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['name']);
    });

    it('lists the users of the organization without any password', async () => {
      const response = await client
        .get(usersPath(world.institutionId), world.sessions.institution_member)
        .expect(200);

      expect(response.body).toEqual({
        items: expect.any(Array),
        total: expect.any(Number),
        page: 1,
        pageSize: 20,
      });
      const emails = (response.body.items as { email: string }[]).map((user) => user.email);
      expect(emails).toEqual(
        expect.arrayContaining([world.emails.institution_admin, world.emails.institution_member]),
      );
      expect(emails).not.toContain(world.emails.other_institution_admin);
      expect(response.body.total).toBe(emails.length);
      expectNoPasswordIn(response.body);
    });
  });

  describe('GET /api/v1/organizations', () => {
    it('pages the list', async () => {
      const first = await client.get('/api/v1/organizations?pageSize=1', admin).expect(200);
      const second = await client.get('/api/v1/organizations?pageSize=1&page=2', admin).expect(200);

      expect(first.body).toEqual({
        items: [expect.any(Object)],
        total: expect.any(Number),
        page: 1,
        pageSize: 1,
      });
      expect(first.body.total).toBeGreaterThanOrEqual(2);
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
      const everything = await client.get('/api/v1/organizations?pageSize=100', admin).expect(200);
      expect(everything.body.total).toBe(first.body.total);
      expect(everything.body.items).toHaveLength(first.body.total);
    });

    it('rejects pageSize=101 and page=0 with 400 naming the parameter', async () => {
      const tooLarge = await client.get('/api/v1/organizations?pageSize=101', admin).expect(400);
      const zero = await client.get('/api/v1/organizations?page=0', admin).expect(400);

      expect(tooLarge.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(tooLarge)).toEqual(['pageSize']);
      expect(zero.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(zero)).toEqual(['page']);
    });

    it('shows an institution user its own institution and the certification bodies only', async () => {
      const response = await client
        .get('/api/v1/organizations?pageSize=100', world.sessions.institution_member)
        .expect(200);

      const items = response.body.items as { id: string; kind: string }[];
      const institutions = items.filter((organization) => organization.kind === 'institution');
      expect(institutions.map((organization) => organization.id)).toEqual([world.institutionId]);
      expect(items.map((organization) => organization.kind)).not.toContain('secretariat');
      expect(items.map((organization) => organization.id)).toEqual(
        expect.arrayContaining([world.certifierId, world.otherCertifierId]),
      );
      expect(response.body.total).toBe(items.length);
    });

    it('answers only its own institution to an institution user filtering kind=institution', async () => {
      const response = await client
        .get('/api/v1/organizations?kind=institution', world.sessions.institution_admin)
        .expect(200);

      expect(response.body.total).toBe(1);
      expect((response.body.items as { id: string }[]).map((organization) => organization.id)).toEqual([
        world.institutionId,
      ]);
    });

    it('answers 404 to an institution user reading another institution', async () => {
      const response = await client
        .get(`/api/v1/organizations/${world.otherInstitutionId}`, world.sessions.institution_member)
        .expect(404);

      expect(response.body.code).toBe('NOT_FOUND');
    });
  });
});
