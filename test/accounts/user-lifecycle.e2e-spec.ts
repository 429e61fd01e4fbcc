import { ApiClient, type Session } from '../support/api-client';
import { aSignedInUser, TEST_PASSWORD } from '../support/builders';
import { CaseBuilder } from '../support/case-builder';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

type SignedInUser = Session & { email: string };

interface AuditRow {
  action: string;
  actor_id: string | null;
  data: Record<string, unknown>;
}

describe('user lifecycle: deactivation, roles, password reset', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let root: Session;
  let cases: CaseBuilder;

  const patchUser = (organizationId: string, userId: string, as: Session, body: Record<string, unknown>) =>
    client.patch(`/api/v1/organizations/${organizationId}/users/${userId}`, as).send(body);
  const newRater = (): Promise<SignedInUser> =>
    aSignedInUser(client, world.sessions.certifier_admin, world.certifierId, 'rater');
  const auditOf = (userId: string): Promise<AuditRow[]> =>
    testApp.dataSource.query(
      'SELECT action, actor_id, data FROM audit_event WHERE entity_id = $1 ORDER BY sequence',
      [userId],
    );

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    cases = new CaseBuilder(client, world);
  });

  afterAll(() => testApp?.close());

  describe('PATCH /api/v1/organizations/:id/users/:userId', () => {
    it('deactivates a rater: their access token answers 401 at once, they cannot log in, refresh or be assigned', async () => {
      const rater = await newRater();
      const submitted = await cases.submitted();

      const response = await patchUser(world.certifierId, rater.userId, world.sessions.certifier_admin, {
        isActive: false,
      }).expect(200);

      expect(response.body).toMatchObject({ id: rater.userId, isActive: false, role: 'rater' });
      expect((await client.get('/api/v1/me', rater)).status).toBe(401);
      const login = await client.http
        .post('/api/v1/auth/login')
        .send({ email: rater.email, password: TEST_PASSWORD })
        .expect(401);
      expect(login.body.code).toBe('INVALID_CREDENTIALS');
      await client.http.post('/api/v1/auth/refresh').send({ refreshToken: rater.refreshToken }).expect(401);
      const accept = await client
        .post(`/api/v1/cases/${submitted.id}/transitions`, world.sessions.certifier_admin)
        .send({ action: 'accept', version: submitted.version, data: { leadRaterId: rater.userId } })
        .expect(422);
      expect(accept.body.code).toBe('TEAM_MEMBER_INVALID');
      expect((await auditOf(rater.userId)).map((row) => row.action)).toContain('user.deactivated');
    });

    it('keeps a deactivated rater off a case team', async () => {
      const rater = await newRater();
      const inReview = await cases.inDeskReview();
      await patchUser(world.certifierId, rater.userId, world.sessions.certifier_admin, {
        isActive: false,
      }).expect(200);

      const team = await client
        .put(`/api/v1/cases/${inReview.id}/team`, world.sessions.certifier_admin)
        .send({
          version: (await cases.read(inReview.id)).version,
          leadRaterId: world.sessions.rater.userId,
          raterIds: [rater.userId],
          committeeMemberIds: [world.sessions.committee_member.userId],
        })
        .expect(422);
      expect(team.body.code).toBe('TEAM_MEMBER_INVALID');
    });

    it('reactivates, renames and changes the role within the organization kind', async () => {
      const rater = await newRater();
      await patchUser(world.certifierId, rater.userId, world.sessions.certifier_admin, { isActive: false });

      const response = await patchUser(world.certifierId, rater.userId, world.sessions.certifier_admin, {
        isActive: true,
        role: 'committee_member',
        name: 'Renamed Person',
      }).expect(200);

      expect(response.body).toMatchObject({
        isActive: true,
        role: 'committee_member',
        name: 'Renamed Person',
      });
      await client.login(rater.email, TEST_PASSWORD);
    });

    it('refuses a role of another organization kind with 422 ROLE_NOT_ALLOWED_FOR_ORGANIZATION', async () => {
      const rater = await newRater();
      const response = await patchUser(world.certifierId, rater.userId, world.sessions.certifier_admin, {
        role: 'institution_admin',
      }).expect(422);
      expect(response.body.code).toBe('ROLE_NOT_ALLOWED_FOR_ORGANIZATION');
    });

    it("answers 404 to another organization's admin, and to a user who is not of the organization in the path", async () => {
      const rater = await newRater();
      await patchUser(world.certifierId, rater.userId, world.sessions.other_certifier_admin, {
        isActive: false,
      }).expect(404);
      // The other admin names their own organization and our rater: the user is not theirs.
      await patchUser(world.otherCertifierId, rater.userId, world.sessions.other_certifier_admin, {
        isActive: false,
      }).expect(404);
      // The secretariat admin too must name the user's own organization.
      await patchUser(world.institutionId, rater.userId, root, { isActive: false }).expect(404);
      await client.get('/api/v1/me', rater).expect(200);
    });

    it('lets the secretariat admin deactivate a user of any organization', async () => {
      const rater = await newRater();
      await patchUser(world.certifierId, rater.userId, root, { isActive: false }).expect(200);
      await client.get('/api/v1/me', rater).expect(401);
    });

    it('refuses to deactivate or demote the last active admin with 422 LAST_ACTIVE_ADMIN', async () => {
      const certifier = await client
        .post('/api/v1/organizations', root)
        .send({ kind: 'certifier', name: 'Lone Admin Ratings', country: 'KE' })
        .expect(201);
      const admin = await aSignedInUser(client, root, certifier.body.id as string, 'certifier_admin');

      const deactivate = await patchUser(certifier.body.id as string, admin.userId, admin, {
        isActive: false,
      }).expect(422);
      const demote = await patchUser(certifier.body.id as string, admin.userId, root, {
        role: 'rater',
      }).expect(422);

      expect(deactivate.body.code).toBe('LAST_ACTIVE_ADMIN');
      expect(demote.body.code).toBe('LAST_ACTIVE_ADMIN');
      const second = await aSignedInUser(client, root, certifier.body.id as string, 'certifier_admin');
      await patchUser(certifier.body.id as string, admin.userId, second, { isActive: false }).expect(200);
      const last = await patchUser(certifier.body.id as string, second.userId, root, {
        isActive: false,
      }).expect(422);
      expect(last.body.code).toBe('LAST_ACTIVE_ADMIN');
    });
  });

  describe('password reset', () => {
    const issue = (organizationId: string, userId: string, as: Session) =>
      client.post(`/api/v1/organizations/${organizationId}/users/${userId}/password-reset`, as).send();
    const reset = (resetToken: string, newPassword: string) =>
      client.http.post('/api/v1/auth/password-reset').send({ resetToken, newPassword });

    it('issues a one-time token shown once, which sets a new password and ends every session', async () => {
      const rater = await newRater();
      const issued = await issue(world.certifierId, rater.userId, world.sessions.certifier_admin).expect(201);
      expect(issued.body).toEqual({ resetToken: expect.any(String), expiresAt: expect.any(String) });
      const stored: { token_hash: string }[] = await testApp.dataSource.query(
        'SELECT token_hash FROM password_reset_token WHERE user_id = $1',
        [rater.userId],
      );
      expect(stored).toHaveLength(1);
      expect(stored[0].token_hash).not.toContain(issued.body.resetToken);

      const weak = await reset(issued.body.resetToken as string, 'password1234').expect(422);
      expect(weak.body.code).toBe('PASSWORD_TOO_WEAK');
      await reset(issued.body.resetToken as string, 'river-lantern-orbit-42').expect(204);

      await client.get('/api/v1/me', rater).expect(401);
      await client.login(rater.email, 'river-lantern-orbit-42');
      const again = await reset(issued.body.resetToken as string, 'another-river-lantern-9').expect(401);
      expect(again.body.code).toBe('INVALID_RESET_TOKEN');
      expect((await auditOf(rater.userId)).map((row) => row.action)).toEqual(
        expect.arrayContaining(['user.password_reset_issued', 'user.password_reset']),
      );
    });

    describe('a token that outlived what it was issued for', () => {
      const TAKEOVER_PASSWORD = 'river-lantern-orbit-42';
      const unusedTokensOf = async (userId: string): Promise<number> => {
        const [row]: { count: string }[] = await testApp.dataSource.query(
          'SELECT count(*) FROM password_reset_token WHERE user_id = $1 AND used_at IS NULL',
          [userId],
        );
        return Number(row.count);
      };
      /** The reset is refused as an invalid token, and the user still signs in with their password. */
      const expectRefused = async (resetToken: string, user: SignedInUser, password = TEST_PASSWORD) => {
        const response = await reset(resetToken, TAKEOVER_PASSWORD).expect(401);
        expect(response.body.code).toBe('INVALID_RESET_TOKEN');
        const login = await client.http.post('/api/v1/auth/login').send({ email: user.email, password });
        return { login, response };
      };

      it('refuses a token whose issuer was deactivated since, and voids it in the same change', async () => {
        const issuer = await aSignedInUser(client, root, world.certifierId, 'certifier_admin');
        const rater = await newRater();
        const issued = await issue(world.certifierId, rater.userId, issuer).expect(201);

        await patchUser(world.certifierId, issuer.userId, world.sessions.certifier_admin, {
          isActive: false,
        }).expect(200);

        expect(await unusedTokensOf(rater.userId)).toBe(0);
        const { login } = await expectRefused(issued.body.resetToken as string, rater);
        expect(login.status).toBe(200);
        const deactivation = (await auditOf(issuer.userId)).find((row) => row.action === 'user.deactivated');
        expect(deactivation?.data).toMatchObject({ issuedResetTokensVoided: 1 });
        // A token the change did not void (one issued before voiding existed) is refused when used.
        await testApp.dataSource.query('UPDATE password_reset_token SET used_at = NULL WHERE user_id = $1', [
          rater.userId,
        ]);
        await expectRefused(issued.body.resetToken as string, rater);
      });

      it('refuses a token whose issuer no longer manages users (demoted)', async () => {
        const issuer = await aSignedInUser(client, root, world.certifierId, 'certifier_admin');
        const rater = await newRater();
        const issued = await issue(world.certifierId, rater.userId, issuer).expect(201);

        await patchUser(world.certifierId, issuer.userId, world.sessions.certifier_admin, {
          role: 'rater',
        }).expect(200);

        expect((await expectRefused(issued.body.resetToken as string, rater)).login.status).toBe(200);
      });

      it('refuses a token once its user changed their password', async () => {
        const rater = await newRater();
        const issued = await issue(world.certifierId, rater.userId, world.sessions.certifier_admin).expect(
          201,
        );

        await client
          .post('/api/v1/me/password', rater)
          .send({ currentPassword: TEST_PASSWORD, newPassword: 'amber-quarry-falcon-58' })
          .expect(204);

        const { login } = await expectRefused(
          issued.body.resetToken as string,
          rater,
          'amber-quarry-falcon-58',
        );
        expect(login.status).toBe(200);
        const change = (await auditOf(rater.userId)).find((row) => row.action === 'user.password_changed');
        expect(change?.data).toMatchObject({ resetTokensVoided: 1 });
      });

      it('refuses a token once its user was deactivated, even after reactivation', async () => {
        const rater = await newRater();
        const issued = await issue(world.certifierId, rater.userId, world.sessions.certifier_admin).expect(
          201,
        );
        await patchUser(world.certifierId, rater.userId, world.sessions.certifier_admin, {
          isActive: false,
        }).expect(200);

        await expectRefused(issued.body.resetToken as string, rater);
        await patchUser(world.certifierId, rater.userId, world.sessions.certifier_admin, {
          isActive: true,
        }).expect(200);

        const { login } = await expectRefused(issued.body.resetToken as string, rater);
        expect(login.status).toBe(200);
        const deactivation = (await auditOf(rater.userId)).find((row) => row.action === 'user.deactivated');
        expect(deactivation?.data).toMatchObject({ resetTokensVoided: 1 });
      });
    });

    it('answers 404 to an admin of another organization', async () => {
      const rater = await newRater();
      await issue(world.certifierId, rater.userId, world.sessions.other_certifier_admin).expect(404);
      await issue(world.otherCertifierId, rater.userId, world.sessions.other_certifier_admin).expect(404);
    });

    it('answers 401 INVALID_RESET_TOKEN to a token it never issued', async () => {
      const response = await reset('made-up-token', 'river-lantern-orbit-42').expect(401);
      expect(response.body.code).toBe('INVALID_RESET_TOKEN');
    });
  });

  describe('password policy (422 PASSWORD_TOO_WEAK)', () => {
    const createUser = (
      password: string,
      email = `policy-${Date.now()}@example.org`,
      name = 'Policy Person',
    ) =>
      client
        .post(`/api/v1/organizations/${world.institutionId}/users`, world.sessions.institution_admin)
        .send({ email, name, role: 'institution_member', password });

    it.each([
      ['a common password', 'password1234'],
      ['a common password with digits added', 'qwertyuiop2026!'],
      ['one character repeated', 'aaaaaaaaaaaa'],
    ])('refuses %s on user creation', async (_what, password) => {
      const response = await createUser(password).expect(422);
      expect(response.body.code).toBe('PASSWORD_TOO_WEAK');
      expect(response.body.details[0]).toEqual({ field: 'password', message: expect.any(String) });
    });

    it("refuses a password built on the user's e-mail or name", async () => {
      await createUser('valentina-secure-2026', 'valentina.ruiz@example.org').expect(422);
      await createUser('gonzalez-is-my-password', 'vr@example.org', 'Valeria Gonzalez').expect(422);
    });

    it('refuses a weak new password on a password change', async () => {
      const user = await aSignedInUser(client, root, world.institutionId, 'institution_member');
      const response = await client
        .post('/api/v1/me/password', user)
        .send({ currentPassword: TEST_PASSWORD, newPassword: 'iloveyou1234' })
        .expect(422);
      expect(response.body.code).toBe('PASSWORD_TOO_WEAK');
    });

    it('accepts a long uncommon passphrase', async () => {
      await createUser('copper-meadow-violin-17').expect(201);
    });
  });
});

describe('password reset with SMTP configured', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;

  beforeAll(async () => {
    testApp = await startTestApp({ SMTP_URL: 'smtp://127.0.0.1:2', MAIL_FROM: 'noreply@example.org' });
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
  });

  afterAll(() => testApp?.close());

  it('does not show the token to the admin but puts it in the e-mail outbox for the user', async () => {
    const response = await client
      .post(
        `/api/v1/organizations/${world.certifierId}/users/${world.sessions.rater.userId}/password-reset`,
        world.sessions.certifier_admin,
      )
      .send()
      .expect(201);

    expect(response.body).toEqual({ expiresAt: expect.any(String) });
    const outbox: { kind: string; email_status: string }[] = await testApp.dataSource.query(
      'SELECT kind, email_status FROM notification WHERE user_id = $1',
      [world.sessions.rater.userId],
    );
    expect(outbox).toEqual([{ kind: 'account.password_reset', email_status: 'pending' }]);
  });
});
