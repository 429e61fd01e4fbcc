import type { Response } from 'supertest';
import { ApiClient, type Session } from '../support/api-client';
import { anOrganization, aSignedInUser, institutionProfile } from '../support/builders';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

/** The fields named by an error's details, each once. */
const fieldsOf = (response: Response): string[] => [
  ...new Set((response.body.details as { field?: string }[]).map((detail) => detail.field ?? '')),
];

// Optional fields that have no "none" value: leaving one out keeps it, and null is refused, never
// taken for "not sent" by one check and stored (as {} or null) by the next.
describe('optional account and organization fields sent as null', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let admin: Session;

  const stored = async (
    organizationId: string,
  ): Promise<{ name: string; profile: unknown; version: number }> => {
    const [row]: { name: string; profile: unknown; version: number }[] = await testApp.dataSource.query(
      'SELECT name, profile, version FROM organization WHERE id = $1',
      [organizationId],
    );
    return row;
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    admin = world.sessions.secretariat_admin;
  });

  afterAll(() => testApp?.close());

  describe('PATCH /api/v1/organizations/:organizationId', () => {
    it.each([['profile'], ['name'], ['country']])(
      'refuses %s: null with 400 naming it, and keeps the institution as it was',
      async (field) => {
        const { id } = await anOrganization('institution').create(client, admin);
        const before = await stored(id);

        const response = await client
          .patch(`/api/v1/organizations/${id}`, admin)
          .send({ version: before.version, [field]: null })
          .expect(400);

        expect(response.body.code).toBe('VALIDATION_FAILED');
        expect(fieldsOf(response)).toEqual([field]);
        expect(await stored(id)).toEqual(before);
      },
    );

    it('refuses profile: null on a certifier with 400 rather than storing an empty profile', async () => {
      const { id } = await anOrganization('certifier').create(client, admin);
      const before = await stored(id);

      const response = await client
        .patch(`/api/v1/organizations/${id}`, admin)
        .send({ version: before.version, profile: null })
        .expect(400);

      expect(fieldsOf(response)).toEqual(['profile']);
      expect(await stored(id)).toEqual(before);
    });

    it('refuses committeeQuorum: null and a profile whose drivers are null with 400', async () => {
      const certifier = await anOrganization('certifier').create(client, admin);
      const quorum = await client
        .patch(`/api/v1/organizations/${certifier.id}`, admin)
        .send({ version: certifier.version, committeeQuorum: null })
        .expect(400);
      expect(fieldsOf(quorum)).toEqual(['committeeQuorum']);

      const institution = await anOrganization('institution').create(client, admin);
      const drivers = await client
        .patch(`/api/v1/organizations/${institution.id}`, admin)
        .send({ version: institution.version, profile: institutionProfile({ drivers: null }) })
        .expect(400);
      expect(fieldsOf(drivers)).toEqual(['profile.drivers']);
    });
  });

  it('refuses profile: null and license: null on POST /api/v1/organizations with 400', async () => {
    const profile = await client
      .post('/api/v1/organizations', admin)
      .send({ ...anOrganization('institution').build(), profile: null })
      .expect(400);
    const license = await client
      .post('/api/v1/organizations', admin)
      .send({ ...anOrganization('certifier').build(), license: null })
      .expect(400);

    expect(fieldsOf(profile)).toEqual(['profile']);
    expect(fieldsOf(license)).toEqual(['license']);
  });

  it.each([['role'], ['isActive'], ['name']])(
    'refuses %s: null on PATCH /api/v1/organizations/:id/users/:userId with 400 naming it',
    async (field) => {
      const member = await aSignedInUser(client, admin, world.institutionId, 'institution_member');

      const response = await client
        .patch(`/api/v1/organizations/${world.institutionId}/users/${member.userId}`, admin)
        .send({ [field]: null })
        .expect(400);

      expect(fieldsOf(response)).toEqual([field]);
      await client.get('/api/v1/me', member).expect(200);
    },
  );

  it.each([['code'], ['recoveryCode']])(
    'refuses %s: null on POST /api/v1/auth/mfa with 400 naming it',
    async (field) => {
      const response = await client.http
        .post('/api/v1/auth/mfa')
        .send({ challengeToken: 'not-checked-before-the-body', [field]: null })
        .expect(400);

      expect(fieldsOf(response)).toEqual([field]);
    },
  );

  it('keeps a case of an institution whose stored profile is empty from being submitted (422 INSTITUTION_PROFILE_MISSING)', async () => {
    const { id } = await anOrganization('institution').create(client, admin);
    const institutionAdmin = await aSignedInUser(client, admin, id, 'institution_admin');
    const opened = await new CaseBuilder(client, world).open({ as: institutionAdmin });
    // As a PATCH with profile: null stored it before null was refused.
    await testApp.dataSource.query(`UPDATE organization SET profile = '{}'::jsonb WHERE id = $1`, [id]);

    const response = await client
      .post(`/api/v1/cases/${opened.id}/transitions`, institutionAdmin)
      .send({ action: 'submit', version: opened.version });

    expect(response.status).toBe(422);
    expect(response.body.code).toBe('INSTITUTION_PROFILE_MISSING');
  });
});
