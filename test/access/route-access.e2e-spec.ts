import { randomBytes } from 'node:crypto';
import type { ApiClient, Session } from '../support/api-client';
import { ApiClient as Client } from '../support/api-client';
import { anOrganization, aSignedInUser, institutionProfile } from '../support/builders';
import { CaseBuilder } from '../support/case-builder';
import { anEdition } from '../support/edition-builder';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type Caller, CALLERS, type World } from '../support/world';
import { downloadWorkbook } from '../support/workbooks';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Prepared {
  path: string;
  body?: unknown;
  /** A multipart file part (with fields) instead of a JSON body. */
  upload?: { fields: Record<string, string>; file: Buffer; fileName: string };
}

/** Cases shared by the routes that only read or add to them; routes that move a case build their own. */
interface Fixtures {
  cases: CaseBuilder;
  draftCaseId: string;
  reviewCaseId: string;
  onsiteCaseId: string;
  /** A case with findings issued and one finding on it. */
  issuedCaseId: string;
  findingId: string;
  /** The corrective action of that finding. */
  actionId: string;
  decidedCaseId: string;
  /** An evidence item of the desk-review case, uploaded by its institution admin. */
  evidenceId: string;
  certificateNumber: string;
}

interface RouteCase {
  prepare(world: World, caller: Caller, client: ApiClient, fixtures: Fixtures): Promise<Prepared> | Prepared;
  expected: Record<Caller, number>;
}

/**
 * Expected statuses: `allow` get `ok`; `hidden` get 404 (their role may do this, but not on this
 * record); the other signed-in callers 403; anonymous 401 (unless public).
 */
function access(ok: number, allow: Caller[] | 'everyone', hidden: Caller[] = []): Record<Caller, number> {
  return Object.fromEntries(
    CALLERS.map((caller) => {
      if (allow === 'everyone') return [caller, ok];
      if (caller === 'anonymous') return [caller, 401];
      if (allow.includes(caller)) return [caller, ok];
      if (hidden.includes(caller)) return [caller, 404];
      return [caller, 403];
    }),
  ) as Record<Caller, number>;
}

const signedIn = (ok: number): Record<Caller, number> =>
  access(
    ok,
    CALLERS.filter((caller) => caller !== 'anonymous'),
  );

const credentialsOf = (world: World, caller: Caller): { email: string; password: string } =>
  caller === 'anonymous'
    ? { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }
    : { email: world.emails[caller] ?? '', password: 'correct-horse-battery-1' };

async function currentVersion(client: ApiClient, world: World, organizationId: string): Promise<number> {
  const response = await client.get(
    `/api/v1/organizations/${organizationId}`,
    world.sessions.secretariat_admin,
  );
  return response.body.version as number;
}

const CASE_READERS: Caller[] = [
  'institution_admin',
  'institution_member',
  'certifier_admin',
  'rater',
  'committee_member',
  'secretariat_admin',
  'secretariat_officer',
];
const CASE_OUTSIDERS: Caller[] = ['other_institution_admin', 'other_certifier_admin'];

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function uploadEvidence(client: ApiClient, session: Session, caseId: string): Promise<string> {
  const response = await client
    .post(`/api/v1/cases/${caseId}/evidence`, session)
    .field('title', 'Credit policy')
    .field('indicatorCodes', '1.1.1')
    .attach('file', PDF, 'credit-policy.pdf');
  if (response.status !== 201) throw new Error(`upload: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id as string;
}

/** A self-declared commitment of a fresh institution, waiting for the secretariat. */
async function pendingCommitment(client: ApiClient, world: World): Promise<{ id: string; version: number }> {
  const institution = await anOrganization('institution').create(client, world.sessions.secretariat_admin);
  const admin = await aSignedInUser(
    client,
    world.sessions.secretariat_admin,
    institution.id,
    'institution_admin',
  );
  const response = await client.post('/api/v1/commitments', admin).send({ statement: 'We commit.' });
  if (response.status !== 201) throw new Error(`commit: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; version: number };
}

const SIGNATORIES_CSV = Buffer.from(
  'name,country,kind,committedOn\nAccess Test Network,KE,network,2014-02-03\n',
);

const HISTORICAL_CSV = Buffer.from(
  'number,institution,country,certificationBody,edition,level,issuedOn,validUntil,status\n' +
    'SMART-2015-001,Access Test Bank,PE,Planet Rating,smart-2013,Gold*,2015-03-01,2019-02-28,expired\n',
);

async function caseVersion(client: ApiClient, world: World, caseId: string): Promise<number> {
  const response = await client.get(`/api/v1/cases/${caseId}`, world.sessions.secretariat_admin);
  return response.body.version as number;
}

/** A draft crosswalk document of a fresh id between two bundled editions. */
const aCrosswalk = () => ({
  id: `access-${randomBytes(4).toString('hex')}`,
  from: 'cps-2022',
  to: 'cps-2022-v3',
  mappings: [{ from: '1.1.1', to: '3B.1.1', kind: 'equivalent' }],
});
/** Closes every open QA review of the fixtures' decided case: a case has one open review at a time. */
async function closeOpenQaReviews(client: ApiClient, world: World, fixtures: Fixtures): Promise<void> {
  const admin = world.sessions.secretariat_admin;
  const listed = await client.get(`/api/v1/qa-reviews?caseId=${fixtures.decidedCaseId}&status=issued`, admin);
  const answered = await client.get(
    `/api/v1/qa-reviews?caseId=${fixtures.decidedCaseId}&status=responded`,
    admin,
  );
  for (const review of [...listed.body.items, ...answered.body.items] as { id: string; version: number }[]) {
    const closed = await client
      .post(`/api/v1/qa-reviews/${review.id}/close`, admin)
      .send({ version: review.version, note: 'Closed for the next access check' });
    if (closed.status !== 200)
      throw new Error(`close QA review: ${closed.status} ${JSON.stringify(closed.body)}`);
  }
}

/** A QA review, just issued, of the fixtures' decided case (the world's certification body). */
async function freshQaReview(client: ApiClient, world: World, fixtures: Fixtures): Promise<string> {
  await closeOpenQaReviews(client, world, fixtures);
  const created = await client.post('/api/v1/qa-reviews', world.sessions.secretariat_admin).send({
    caseId: fixtures.decidedCaseId,
    summary: 'Access check',
    findings: [{ severity: 'minor', indicatorCode: '1.1.1', description: 'No evidence cited' }],
  });
  if (created.status !== 201) throw new Error(`QA review: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id as string;
}

const QA_READERS: Caller[] = [
  'certifier_admin',
  'other_certifier_admin',
  'secretariat_admin',
  'secretariat_officer',
];
const SECRETARIAT: Caller[] = ['secretariat_admin', 'secretariat_officer'];

/** Every route of the API with what each caller gets. A route missing here fails the suite. */
const ROUTES: Record<string, RouteCase> = {
  'GET /health/live': { prepare: () => ({ path: '/health/live' }), expected: access(200, 'everyone') },
  'GET /health/ready': { prepare: () => ({ path: '/health/ready' }), expected: access(200, 'everyone') },
  'GET /api/docs': { prepare: () => ({ path: '/api/docs' }), expected: access(200, 'everyone') },
  'GET /api/docs-json': { prepare: () => ({ path: '/api/docs-json' }), expected: access(200, 'everyone') },
  'GET /api/docs-yaml': { prepare: () => ({ path: '/api/docs-yaml' }), expected: access(200, 'everyone') },

  'POST /api/v1/auth/login': {
    prepare: (world, caller) => ({ path: '/api/v1/auth/login', body: credentialsOf(world, caller) }),
    expected: access(200, 'everyone'),
  },
  'POST /api/v1/auth/refresh': {
    prepare: async (world, caller, client) => {
      const { email, password } = credentialsOf(world, caller);
      const session = await client.login(email, password);
      return { path: '/api/v1/auth/refresh', body: { refreshToken: session.refreshToken } };
    },
    expected: access(200, 'everyone'),
  },
  'POST /api/v1/auth/logout': {
    prepare: () => ({ path: '/api/v1/auth/logout', body: { refreshToken: 'not-a-token-of-this-caller' } }),
    expected: signedIn(204),
  },
  'GET /api/v1/me': { prepare: () => ({ path: '/api/v1/me' }), expected: signedIn(200) },
  'GET /api/v1/me/notifications': {
    prepare: () => ({ path: '/api/v1/me/notifications' }),
    expected: signedIn(200),
  },
  'POST /api/v1/me/notifications/:notificationId/read': {
    // The certifier admin's own notification of a submission; everyone else's attempt finds nothing.
    prepare: async (world, _caller, client) => {
      const inbox = await client.get('/api/v1/me/notifications', world.sessions.certifier_admin);
      return { path: `/api/v1/me/notifications/${inbox.body.items[0].id as string}/read` };
    },
    expected: access(
      204,
      ['certifier_admin'],
      CALLERS.filter((caller) => caller !== 'anonymous' && caller !== 'certifier_admin'),
    ),
  },
  'POST /api/v1/me/password': {
    // A wrong current password: the route is reached (422) without changing anything.
    prepare: () => ({
      path: '/api/v1/me/password',
      body: { currentPassword: 'not-the-password', newPassword: 'another-long-password' },
    }),
    expected: signedIn(422),
  },

  // Verify and disable come before enrolment starts: nobody has a second factor, so 422 MFA_NOT_ENABLED.
  'POST /api/v1/me/mfa/verify': {
    prepare: () => ({ path: '/api/v1/me/mfa/verify', body: { code: '000000' } }),
    expected: signedIn(422),
  },
  'DELETE /api/v1/me/mfa': {
    prepare: () => ({ path: '/api/v1/me/mfa', body: { code: '000000' } }),
    expected: signedIn(422),
  },
  'POST /api/v1/me/mfa': { prepare: () => ({ path: '/api/v1/me/mfa' }), expected: signedIn(200) },
  'POST /api/v1/auth/mfa': {
    // Public: a challenge it never issued is refused the same way to everyone.
    prepare: () => ({
      path: '/api/v1/auth/mfa',
      body: { challengeToken: 'not-a-challenge', code: '123456' },
    }),
    expected: access(401, 'everyone'),
  },
  'POST /api/v1/auth/mfa/enrol': {
    prepare: () => ({ path: '/api/v1/auth/mfa/enrol', body: { challengeToken: 'not-a-challenge' } }),
    expected: access(401, 'everyone'),
  },
  'GET /api/v1/me/sessions': { prepare: () => ({ path: '/api/v1/me/sessions' }), expected: signedIn(200) },
  'DELETE /api/v1/me/sessions/:sessionId': {
    // A second login of the caller, ended by the caller (anonymous gets 401 before any lookup).
    prepare: async (world, caller, client) => {
      const { email, password } = credentialsOf(world, caller);
      const second = await client.login(email, password);
      const { sid } = JSON.parse(Buffer.from(second.accessToken.split('.')[1], 'base64url').toString()) as {
        sid: string;
      };
      return { path: `/api/v1/me/sessions/${sid}` };
    },
    expected: signedIn(204),
  },

  'POST /api/v1/organizations': {
    prepare: () => ({
      path: '/api/v1/organizations',
      body: { kind: 'certifier', name: 'Route test body', country: 'KE' },
    }),
    expected: access(201, ['secretariat_admin']),
  },
  'GET /api/v1/organizations': {
    prepare: () => ({ path: '/api/v1/organizations' }),
    expected: signedIn(200),
  },
  'GET /api/v1/organizations/:organizationId': {
    prepare: (world) => ({ path: `/api/v1/organizations/${world.institutionId}` }),
    expected: access(
      200,
      ['institution_admin', 'institution_member', 'secretariat_admin', 'secretariat_officer'],
      ['certifier_admin', 'rater', 'committee_member', 'other_institution_admin', 'other_certifier_admin'],
    ),
  },
  'PATCH /api/v1/organizations/:organizationId': {
    prepare: async (world, _caller, client) => ({
      path: `/api/v1/organizations/${world.institutionId}`,
      body: { version: await currentVersion(client, world, world.institutionId), branchCount: undefined },
    }),
    expected: access(
      200,
      ['institution_admin', 'secretariat_admin'],
      ['certifier_admin', 'other_institution_admin', 'other_certifier_admin'],
    ),
  },
  'POST /api/v1/organizations/:organizationId/pending-change': {
    // The institution requested no change: the route is reached (422 NO_PENDING_CHANGE), nothing changes.
    prepare: (world) => ({
      path: `/api/v1/organizations/${world.institutionId}/pending-change`,
      body: { decision: 'approve', reason: 'Route access test' },
    }),
    expected: access(422, ['secretariat_admin']),
  },
  'PUT /api/v1/organizations/:organizationId/license': {
    prepare: (world) => ({
      path: `/api/v1/organizations/${world.certifierId}/license`,
      body: { validFrom: '2026-01-01', validUntil: '2030-12-31' },
    }),
    expected: access(200, ['secretariat_admin']),
  },
  'POST /api/v1/organizations/:organizationId/users': {
    prepare: (world, caller) => ({
      path: `/api/v1/organizations/${world.institutionId}/users`,
      body: {
        email: `route-${caller}-${Date.now()}@example.org`,
        name: 'Route test',
        role: 'institution_member',
        password: 'a-long-enough-password',
      },
    }),
    expected: access(
      201,
      ['institution_admin', 'secretariat_admin'],
      ['certifier_admin', 'other_institution_admin', 'other_certifier_admin'],
    ),
  },
  'GET /api/v1/organizations/:organizationId/users': {
    prepare: (world) => ({ path: `/api/v1/organizations/${world.institutionId}/users` }),
    expected: access(
      200,
      ['institution_admin', 'institution_member', 'secretariat_admin', 'secretariat_officer'],
      ['certifier_admin', 'rater', 'committee_member', 'other_institution_admin', 'other_certifier_admin'],
    ),
  },

  'PATCH /api/v1/organizations/:organizationId/users/:userId': {
    // A rename only, so that the world's users stay as they are.
    prepare: (world) => ({
      path: `/api/v1/organizations/${world.institutionId}/users/${world.sessions.institution_member.userId}`,
      body: { name: 'Route test member' },
    }),
    expected: access(
      200,
      ['institution_admin', 'secretariat_admin'],
      ['certifier_admin', 'other_institution_admin', 'other_certifier_admin'],
    ),
  },
  'POST /api/v1/organizations/:organizationId/users/:userId/password-reset': {
    prepare: (world) => ({
      path: `/api/v1/organizations/${world.institutionId}/users/${world.sessions.institution_member.userId}/password-reset`,
    }),
    expected: access(
      201,
      ['institution_admin', 'secretariat_admin'],
      ['certifier_admin', 'other_institution_admin', 'other_certifier_admin'],
    ),
  },
  'POST /api/v1/organizations/:organizationId/users/:userId/mfa-reset': {
    // A user of its own per call: a reset ends every session of the user.
    prepare: async (world, caller, client) => {
      const created = await client
        .post(`/api/v1/organizations/${world.institutionId}/users`, world.sessions.secretariat_admin)
        .send({
          email: `mfa-reset-${caller}-${Date.now()}@example.org`,
          name: 'Route test',
          role: 'institution_member',
          password: 'a-long-enough-password',
        });
      return {
        path: `/api/v1/organizations/${world.institutionId}/users/${created.body.id as string}/mfa-reset`,
      };
    },
    expected: access(
      204,
      ['institution_admin', 'secretariat_admin'],
      ['certifier_admin', 'other_institution_admin', 'other_certifier_admin'],
    ),
  },
  'POST /api/v1/auth/password-reset': {
    // Public: a token it never issued is refused the same way to everyone.
    prepare: () => ({
      path: '/api/v1/auth/password-reset',
      body: { resetToken: 'not-an-issued-token', newPassword: 'river-lantern-orbit-42' },
    }),
    expected: access(401, 'everyone'),
  },

  'GET /api/v1/standards': {
    prepare: () => ({ path: '/api/v1/standards' }),
    expected: access(200, 'everyone'),
  },
  'GET /api/v1/standards/schema': {
    prepare: () => ({ path: '/api/v1/standards/schema' }),
    expected: access(200, 'everyone'),
  },
  'GET /api/v1/standards/:editionId': {
    prepare: () => ({ path: '/api/v1/standards/cps-2016' }),
    expected: access(200, 'everyone'),
  },
  'GET /api/v1/standards/:editionId/workbook': {
    // As GET /standards/:editionId: a published edition for everyone (a draft: see edition-workbook.e2e-spec).
    prepare: () => ({ path: '/api/v1/standards/cps-2022-v3/workbook' }),
    expected: access(200, 'everyone'),
  },
  'POST /api/v1/standards': {
    prepare: () => ({ path: '/api/v1/standards', body: anEdition().build() }),
    expected: access(201, ['secretariat_admin']),
  },
  'POST /api/v1/standards/:editionId/publish': {
    prepare: async (world, _caller, client) => {
      const draft = anEdition().build();
      await client.post('/api/v1/standards', world.sessions.secretariat_admin).send(draft).expect(201);
      return { path: `/api/v1/standards/${draft.id}/publish` };
    },
    expected: access(200, ['secretariat_admin']),
  },

  'GET /api/v1/crosswalks': {
    prepare: () => ({ path: '/api/v1/crosswalks' }),
    expected: access(200, 'everyone'),
  },
  'GET /api/v1/crosswalks/schema': {
    prepare: () => ({ path: '/api/v1/crosswalks/schema' }),
    expected: access(200, 'everyone'),
  },
  'GET /api/v1/crosswalks/:id': {
    prepare: () => ({ path: '/api/v1/crosswalks/cps-2022-to-cps-2022-v3' }),
    expected: access(200, 'everyone'),
  },
  'POST /api/v1/crosswalks': {
    prepare: () => ({ path: '/api/v1/crosswalks', body: aCrosswalk() }),
    expected: access(201, ['secretariat_admin']),
  },
  'POST /api/v1/crosswalks/:id/publish': {
    prepare: async (world, _caller, client) => {
      const draft = aCrosswalk();
      await client.post('/api/v1/crosswalks', world.sessions.secretariat_admin).send(draft).expect(201);
      return { path: `/api/v1/crosswalks/${draft.id}/publish` };
    },
    expected: access(200, ['secretariat_admin']),
  },

  'POST /api/v1/cases': {
    prepare: (world) => ({
      path: '/api/v1/cases',
      body: { editionId: world.openEditionId, certifierId: world.certifierId, type: 'certification' },
    }),
    // Each institution admin opens cases for its own institution.
    expected: access(201, ['institution_admin', 'other_institution_admin']),
  },
  'GET /api/v1/cases': { prepare: () => ({ path: '/api/v1/cases' }), expected: signedIn(200) },
  'GET /api/v1/cases/:caseId': {
    prepare: (_world, _caller, _client, fixtures) => ({ path: `/api/v1/cases/${fixtures.reviewCaseId}` }),
    expected: access(200, CASE_READERS, CASE_OUTSIDERS),
  },
  'PATCH /api/v1/cases/:caseId': {
    prepare: async (world, _caller, client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.draftCaseId}`,
      body: {
        version: await caseVersion(client, world, fixtures.draftCaseId),
        editionId: world.openEditionId,
      },
    }),
    expected: access(200, ['institution_admin'], ['other_institution_admin']),
  },
  'POST /api/v1/cases/:caseId/transitions': {
    // A fresh draft with its self-assessment done for each caller: only its institution admin submits.
    prepare: async (world, _caller, client, fixtures) => {
      const opened = await fixtures.cases.open();
      await fixtures.cases.completeSelfAssessment(opened.id);
      return {
        path: `/api/v1/cases/${opened.id}/transitions`,
        body: { action: 'submit', version: opened.version },
      };
    },
    expected: access(
      200,
      ['institution_admin'],
      ['certifier_admin', 'rater', 'committee_member', 'other_institution_admin', 'other_certifier_admin'],
    ),
  },
  'GET /api/v1/cases/:caseId/history': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.reviewCaseId}/history`,
    }),
    expected: access(200, CASE_READERS, CASE_OUTSIDERS),
  },
  'PUT /api/v1/cases/:caseId/team': {
    prepare: async (world, _caller, client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.reviewCaseId}/team`,
      body: {
        version: await caseVersion(client, world, fixtures.reviewCaseId),
        leadRaterId: world.sessions.rater.userId,
        raterIds: [],
        committeeMemberIds: [world.sessions.committee_member.userId],
      },
    }),
    expected: access(200, ['certifier_admin'], ['other_certifier_admin']),
  },
  'POST /api/v1/cases/:caseId/coi-declarations': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.reviewCaseId}/coi-declarations`,
      body: { hasConflict: false, statement: 'No relationship with the institution' },
    }),
    expected: access(201, ['rater', 'committee_member']),
  },
  'PUT /api/v1/cases/:caseId/mission': {
    prepare: async (world, _caller, client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.reviewCaseId}/mission`,
      body: {
        version: await caseVersion(client, world, fixtures.reviewCaseId),
        startsOn: '2026-12-07',
        endsOn: '2026-12-09',
        branchesVisited: ['Head office'],
        interviews: { clients: 10, staff: 5, management: 2 },
      },
    }),
    expected: access(200, ['rater']),
  },
  'PUT /api/v1/cases/:caseId/profile': {
    prepare: async (world, _caller, client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.reviewCaseId}/profile`,
      body: {
        version: await caseVersion(client, world, fixtures.reviewCaseId),
        profile: institutionProfile(),
        reason: 'Route access check',
      },
    }),
    expected: access(200, ['rater']),
  },
  'GET /api/v1/cases/:caseId/self-assessment': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.reviewCaseId}/self-assessment`,
    }),
    expected: access(200, CASE_READERS, CASE_OUTSIDERS),
  },
  'PUT /api/v1/cases/:caseId/self-assessment': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.draftCaseId}/self-assessment`,
      body: { answers: [{ indicatorCode: '1.1.1', rating: 'met' }] },
    }),
    expected: access(200, ['institution_admin', 'institution_member'], ['other_institution_admin']),
  },
  'PUT /api/v1/cases/:caseId/ratings': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.onsiteCaseId}/ratings`,
      body: { ratings: [{ indicatorCode: '1.1.1', rating: 'met' }] },
    }),
    expected: access(200, ['rater']),
  },
  'GET /api/v1/cases/:caseId/rating-workbook': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.onsiteCaseId}/rating-workbook?lang=fr`,
    }),
    expected: access(
      200,
      ['certifier_admin', 'rater'],
      ['institution_admin', 'institution_member', ...CASE_OUTSIDERS],
    ),
  },
  'POST /api/v1/cases/:caseId/rating-workbook': {
    // A dry run of the case's own exported workbook.
    prepare: async (world, _caller, client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.onsiteCaseId}/rating-workbook?mode=fill_blanks&dryRun=true`,
      upload: {
        fields: {},
        file: await downloadWorkbook(
          client,
          `/api/v1/cases/${fixtures.onsiteCaseId}/rating-workbook`,
          world.sessions.rater,
        ),
        fileName: 'rating-workbook.xlsx',
      },
    }),
    expected: access(
      200,
      ['certifier_admin', 'rater'],
      ['institution_admin', 'institution_member', ...CASE_OUTSIDERS],
    ),
  },
  'GET /api/v1/cases/:caseId/self-assessment-workbook': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.draftCaseId}/self-assessment-workbook`,
    }),
    expected: access(200, ['institution_admin', 'institution_member'], ['other_institution_admin']),
  },
  'POST /api/v1/cases/:caseId/self-assessment-workbook': {
    prepare: async (world, _caller, client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.draftCaseId}/self-assessment-workbook`,
      upload: {
        fields: {},
        file: await downloadWorkbook(
          client,
          `/api/v1/cases/${fixtures.draftCaseId}/self-assessment-workbook`,
          world.sessions.institution_admin,
        ),
        fileName: 'self-assessment-workbook.xlsx',
      },
    }),
    expected: access(200, ['institution_admin', 'institution_member'], ['other_institution_admin']),
  },
  'POST /api/v1/cases/:caseId/self-assessment/prefill': {
    // From another case of the same institution (same edition): only its institution admin pre-fills.
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.draftCaseId}/self-assessment/prefill`,
      body: { fromCaseId: fixtures.reviewCaseId },
    }),
    expected: access(200, ['institution_admin'], ['other_institution_admin']),
  },
  'GET /api/v1/cases/:caseId/ratings': {
    // The institution sees ratings once findings are issued; this case is onsite.
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.onsiteCaseId}/ratings`,
    }),
    expected: access(
      200,
      ['certifier_admin', 'rater', 'committee_member', 'secretariat_admin', 'secretariat_officer'],
      ['institution_admin', 'institution_member', ...CASE_OUTSIDERS],
    ),
  },
  'GET /api/v1/cases/:caseId/results': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.onsiteCaseId}/results`,
    }),
    expected: access(
      200,
      ['certifier_admin', 'rater', 'committee_member', 'secretariat_admin', 'secretariat_officer'],
      ['institution_admin', 'institution_member', ...CASE_OUTSIDERS],
    ),
  },
  'POST /api/v1/cases/:caseId/findings': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.onsiteCaseId}/findings`,
      body: {
        indicatorCodes: ['1.1.1'],
        severity: 'observation',
        description: 'Noted',
        recommendation: 'Consider',
      },
    }),
    expected: access(201, ['rater']),
  },
  'GET /api/v1/cases/:caseId/findings': {
    // The institution sees findings once they are issued; this case is onsite.
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.onsiteCaseId}/findings`,
    }),
    expected: access(
      200,
      ['certifier_admin', 'rater', 'committee_member', 'secretariat_admin', 'secretariat_officer'],
      ['institution_admin', 'institution_member', ...CASE_OUTSIDERS],
    ),
  },
  'PATCH /api/v1/findings/:findingId': {
    prepare: async (world, _caller, client, fixtures) => {
      const findings = await client.get(
        `/api/v1/cases/${fixtures.issuedCaseId}/findings`,
        world.sessions.rater,
      );
      return {
        path: `/api/v1/findings/${fixtures.findingId}`,
        body: { version: findings.body.items[0].version, severity: 'minor' },
      };
    },
    expected: access(200, ['rater']),
  },
  'POST /api/v1/findings/:findingId/responses': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/findings/${fixtures.findingId}/responses`,
      body: { text: 'Corrective plan adopted' },
    }),
    expected: access(201, ['institution_admin', 'institution_member'], ['other_institution_admin']),
  },
  'POST /api/v1/findings/:findingId/resolution': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/findings/${fixtures.findingId}/resolution`,
      body: { status: 'resolved', note: 'Plan verified' },
    }),
    expected: access(201, ['rater']),
  },
  'GET /api/v1/cases/:caseId/actions': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.issuedCaseId}/actions`,
    }),
    expected: access(200, CASE_READERS, CASE_OUTSIDERS),
  },
  'POST /api/v1/cases/:caseId/actions': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.issuedCaseId}/actions`,
      body: { description: 'Pilot products before rollout to reach silver', indicatorCodes: ['1.1.2'] },
    }),
    expected: access(201, ['rater']),
  },
  'PATCH /api/v1/actions/:actionId': {
    prepare: async (world, _caller, client, fixtures) => {
      const actions = await client.get(
        `/api/v1/cases/${fixtures.issuedCaseId}/actions`,
        world.sessions.rater,
      );
      const action = (actions.body.items as { id: string; version: number }[]).find(
        (item) => item.id === fixtures.actionId,
      );
      return {
        path: `/api/v1/actions/${fixtures.actionId}`,
        body: { version: action?.version, note: 'Capacity analysis rolled out to two branches' },
      };
    },
    expected: access(200, ['institution_admin', 'institution_member', 'rater'], ['other_institution_admin']),
  },
  'POST /api/v1/actions/:actionId/verification': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/actions/${fixtures.actionId}/verification`,
      body: { result: 'not_verified', note: 'Not yet applied at every branch' },
    }),
    expected: access(201, ['rater']),
  },
  'GET /api/v1/certificates/:certificateNumber/improvement-plan': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/certificates/${fixtures.certificateNumber}/improvement-plan`,
    }),
    expected: access(200, CASE_READERS, CASE_OUTSIDERS),
  },
  'GET /api/v1/cases/:caseId/report.pdf': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.decidedCaseId}/report.pdf?lang=es`,
    }),
    expected: access(200, CASE_READERS, CASE_OUTSIDERS),
  },
  'GET /api/v1/cases/:caseId/decision': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.decidedCaseId}/decision`,
    }),
    expected: access(200, CASE_READERS, CASE_OUTSIDERS),
  },
  'GET /api/v1/cases/:caseId/votes': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.decidedCaseId}/votes`,
    }),
    // Raters of the case see it but not the committee's votes.
    expected: access(
      200,
      CASE_READERS.filter((caller) => caller !== 'rater'),
      CASE_OUTSIDERS,
    ),
  },
  'POST /api/v1/cases/:caseId/votes': {
    prepare: async (world, caller, _client, fixtures) => {
      // Only committee members may vote at all; they vote on a case of theirs in committee review.
      let caseId = fixtures.decidedCaseId;
      if (caller === 'committee_member') {
        const issued = await fixtures.cases.findingsIssued();
        await fixtures.cases.transition(issued.id, 'refer_to_committee', world.sessions.rater);
        caseId = issued.id;
      }
      return {
        path: `/api/v1/cases/${caseId}/votes`,
        body: { outcome: 'certified', rationale: 'Every applicable standard is met' },
      };
    },
    expected: access(200, ['committee_member']),
  },
  'POST /api/v1/cases/:caseId/evidence': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.reviewCaseId}/evidence`,
      upload: {
        fields: { title: 'Board minutes', indicatorCodes: '1.1.1,1.1.2' },
        file: PDF,
        fileName: 'minutes.pdf',
      },
    }),
    expected: access(201, ['institution_admin', 'institution_member', 'rater'], ['other_institution_admin']),
  },
  'GET /api/v1/cases/:caseId/evidence': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.reviewCaseId}/evidence`,
    }),
    expected: access(200, CASE_READERS, CASE_OUTSIDERS),
  },
  'GET /api/v1/evidence/:evidenceId': {
    prepare: (_world, _caller, _client, fixtures) => ({ path: `/api/v1/evidence/${fixtures.evidenceId}` }),
    expected: access(200, CASE_READERS, CASE_OUTSIDERS),
  },
  'GET /api/v1/evidence/:evidenceId/content': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/evidence/${fixtures.evidenceId}/content`,
    }),
    expected: access(200, CASE_READERS, CASE_OUTSIDERS),
  },
  'POST /api/v1/evidence/:evidenceId/versions': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/evidence/${fixtures.evidenceId}/versions`,
      upload: { fields: {}, file: PDF, fileName: 'credit-policy-v2.pdf' },
    }),
    // The fixture item is the institution's: only its users add versions (the raters to their own items).
    expected: access(201, ['institution_admin', 'institution_member'], ['other_institution_admin']),
  },
  'DELETE /api/v1/evidence/:evidenceId': {
    // A fresh item for each caller: only the institution admin deletes, before onsite.
    prepare: async (world, _caller, client, fixtures) => ({
      path: `/api/v1/evidence/${await uploadEvidence(client, world.sessions.institution_admin, fixtures.reviewCaseId)}`,
    }),
    expected: access(204, ['institution_admin'], ['other_institution_admin']),
  },
  'POST /api/v1/cases/:caseId/evidence-requests': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.reviewCaseId}/evidence-requests`,
      body: { indicatorCodes: ['2.1.1'], description: 'Loan files of the last cycle', dueOn: '2030-01-31' },
    }),
    expected: access(201, ['rater']),
  },
  'GET /api/v1/cases/:caseId/evidence-requests': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/cases/${fixtures.reviewCaseId}/evidence-requests`,
    }),
    expected: access(200, CASE_READERS, CASE_OUTSIDERS),
  },
  'GET /api/v1/certificates': {
    prepare: () => ({ path: '/api/v1/certificates' }),
    expected: access(200, ['secretariat_admin', 'secretariat_officer']),
  },
  'GET /api/v1/certificates/:certificateNumber': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/certificates/${fixtures.certificateNumber}`,
    }),
    expected: access(200, CASE_READERS, CASE_OUTSIDERS),
  },
  'GET /api/v1/certificates/:certificateNumber/pdf': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/certificates/${fixtures.certificateNumber}/pdf?lang=fr`,
    }),
    expected: access(200, CASE_READERS, CASE_OUTSIDERS),
  },
  'POST /api/v1/certificates/:certificateNumber/actions': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/certificates/${fixtures.certificateNumber}/actions`,
      body: { action: 'suspend', reason: 'Complaint under review' },
    }),
    expected: access(200, ['secretariat_officer']),
  },
  'GET /api/v1/registry': {
    prepare: () => ({ path: '/api/v1/registry?status=all' }),
    expected: access(200, 'everyone'),
  },
  'GET /registry': { prepare: () => ({ path: '/registry?lang=fr' }), expected: access(200, 'everyone') },
  'GET /registry/:certificateNumber': {
    prepare: (_world, _caller, _client, fixtures) => ({ path: `/registry/${fixtures.certificateNumber}` }),
    expected: access(200, 'everyone'),
  },
  'GET /api/v1/registry.csv': {
    prepare: () => ({ path: '/api/v1/registry.csv' }),
    expected: access(200, 'everyone'),
  },
  'GET /api/v1/registry/:certificateNumber': {
    prepare: (_world, _caller, _client, fixtures) => ({
      path: `/api/v1/registry/${fixtures.certificateNumber}`,
    }),
    expected: access(200, 'everyone'),
  },
  'POST /api/v1/organizations/:organizationId/prior-services': {
    prepare: (world) => ({
      path: `/api/v1/organizations/${world.certifierId}/prior-services`,
      body: { institutionId: world.otherInstitutionId, kind: 'consulting', endedOn: '2020-01-31' },
    }),
    expected: access(201, ['certifier_admin'], ['other_certifier_admin']),
  },
  'GET /api/v1/organizations/:organizationId/prior-services': {
    prepare: (world) => ({ path: `/api/v1/organizations/${world.certifierId}/prior-services` }),
    expected: access(
      200,
      ['certifier_admin', 'secretariat_admin', 'secretariat_officer'],
      ['other_certifier_admin'],
    ),
  },

  'GET /api/v1/commitments': {
    prepare: () => ({ path: '/api/v1/commitments?kind=institution&status=committed' }),
    expected: access(200, 'everyone'),
  },
  'GET /api/v1/commitments.csv': {
    prepare: () => ({ path: '/api/v1/commitments.csv?country=PE' }),
    expected: access(200, 'everyone'),
  },
  'GET /commitments': {
    prepare: () => ({ path: '/commitments?lang=fr' }),
    expected: access(200, 'everyone'),
  },
  'GET /api/v1/commitments/pending': {
    prepare: () => ({ path: '/api/v1/commitments/pending' }),
    expected: access(200, ['secretariat_admin', 'secretariat_officer']),
  },
  'POST /api/v1/commitments': {
    // Institutions commit themselves (once each); the secretariat records organizations by name.
    prepare: (_world, caller) => ({
      path: '/api/v1/commitments',
      body: caller.startsWith('secretariat')
        ? { name: `Access Test Investor ${caller}`, country: 'LU', kind: 'investor' }
        : {},
    }),
    expected: access(201, [
      'institution_admin',
      'other_institution_admin',
      'secretariat_admin',
      'secretariat_officer',
    ]),
  },
  'POST /api/v1/commitments/import': {
    prepare: () => ({
      path: '/api/v1/commitments/import?dryRun=true',
      upload: { fields: {}, file: SIGNATORIES_CSV, fileName: 'signatories.csv' },
    }),
    expected: access(200, ['secretariat_admin']),
  },
  'POST /api/v1/commitments/:commitmentId/approval': {
    prepare: async (world, _caller, client) => {
      const pending = await pendingCommitment(client, world);
      return {
        path: `/api/v1/commitments/${pending.id}/approval`,
        body: { decision: 'approve', version: pending.version },
      };
    },
    expected: access(200, ['secretariat_admin', 'secretariat_officer']),
  },
  'POST /api/v1/certificates/import': {
    prepare: () => ({
      path: '/api/v1/certificates/import?dryRun=true',
      upload: { fields: {}, file: HISTORICAL_CSV, fileName: 'registry.csv' },
    }),
    expected: access(200, ['secretariat_admin']),
  },
  'GET /api/v1/benchmarks': {
    prepare: () => ({ path: '/api/v1/benchmarks?by=indicator' }),
    expected: access(200, [
      'institution_admin',
      'other_institution_admin',
      'certifier_admin',
      'other_certifier_admin',
      'secretariat_admin',
      'secretariat_officer',
    ]),
  },
  'GET /api/v1/benchmarks.csv': {
    prepare: () => ({ path: '/api/v1/benchmarks.csv?by=year' }),
    expected: access(200, [
      'institution_admin',
      'other_institution_admin',
      'certifier_admin',
      'other_certifier_admin',
      'secretariat_admin',
      'secretariat_officer',
    ]),
  },
  'GET /benchmarks': { prepare: () => ({ path: '/benchmarks?lang=es' }), expected: access(200, 'everyone') },

  'GET /api/v1/qa-reviews': {
    // Another body's admin gets an empty list: it sees the reviews of its own cases only.
    prepare: () => ({ path: '/api/v1/qa-reviews?status=issued' }),
    expected: access(200, QA_READERS),
  },
  'POST /api/v1/qa-reviews': {
    prepare: async (world, caller, client, fixtures) => {
      if (SECRETARIAT.includes(caller)) await closeOpenQaReviews(client, world, fixtures);
      return {
        path: '/api/v1/qa-reviews',
        body: { caseId: fixtures.decidedCaseId, summary: `Reviewed by ${caller}`, findings: [] },
      };
    },
    expected: access(201, SECRETARIAT),
  },
  'GET /api/v1/qa-reviews/sample': {
    prepare: () => ({ path: '/api/v1/qa-reviews/sample?unreviewedOnly=false' }),
    expected: access(200, SECRETARIAT),
  },
  'GET /api/v1/qa-reviews/quality': {
    prepare: () => ({ path: '/api/v1/qa-reviews/quality' }),
    expected: access(200, QA_READERS),
  },
  'GET /api/v1/qa-reviews/:reviewId': {
    prepare: async (world, _caller, client, fixtures) => ({
      path: `/api/v1/qa-reviews/${await freshQaReview(client, world, fixtures)}`,
    }),
    expected: access(200, ['certifier_admin', ...SECRETARIAT], ['other_certifier_admin']),
  },
  'POST /api/v1/qa-reviews/:reviewId/response': {
    prepare: async (world, _caller, client, fixtures) => ({
      path: `/api/v1/qa-reviews/${await freshQaReview(client, world, fixtures)}/response`,
      body: { version: 1, response: 'Raters will cite the documents' },
    }),
    expected: access(200, ['certifier_admin'], ['other_certifier_admin']),
  },
  'POST /api/v1/qa-reviews/:reviewId/close': {
    prepare: async (world, _caller, client, fixtures) => ({
      path: `/api/v1/qa-reviews/${await freshQaReview(client, world, fixtures)}/close`,
      body: { version: 1, note: 'Accepted' },
    }),
    expected: access(200, SECRETARIAT),
  },

  'GET /api/v1/audit/verify': {
    prepare: () => ({ path: '/api/v1/audit/verify' }),
    expected: access(200, ['secretariat_admin']),
  },
};

function listRoutes(testApp: TestApp): string[] {
  const instance = testApp.app.getHttpAdapter().getInstance() as {
    router?: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    _router?: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  const stack = (instance.router ?? instance._router)?.stack ?? [];
  return stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route!.methods)
        .filter((method) => method !== '_all')
        .map((method) => `${method.toUpperCase()} ${layer.route!.path}`),
    )
    .sort();
}

describe('route access for every role', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let fixtures: Fixtures;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new Client(testApp.app);
    world = await buildWorld(client);
    const cases = new CaseBuilder(client, world);
    fixtures = {
      cases,
      draftCaseId: (await cases.open()).id,
      reviewCaseId: (await cases.inDeskReview()).id,
      onsiteCaseId: (await cases.onsite()).id,
      ...(await (async () => {
        const issued = await cases.findingsIssued(['2.1.1']);
        const findings = await client.get(`/api/v1/cases/${issued.id}/findings`, world.sessions.rater);
        const actions = await client.get(`/api/v1/cases/${issued.id}/actions`, world.sessions.rater);
        return {
          issuedCaseId: issued.id,
          findingId: findings.body.items[0].id as string,
          actionId: actions.body.items[0].id as string,
        };
      })()),
      decidedCaseId: (await cases.decided()).id,
      evidenceId: '',
      certificateNumber: (await cases.published()).certificateNumber,
    };
    fixtures.evidenceId = await uploadEvidence(
      client,
      world.sessions.institution_admin,
      fixtures.reviewCaseId,
    );
  });

  afterAll(() => testApp?.close());

  it('has an access expectation for every route the API serves, and no stale ones', () => {
    // Swagger UI's static assets and Nest's catch-all for unknown routes (answered 404 ROUTE_NOT_FOUND).
    const served = listRoutes(testApp).filter((route) => !/ (\/api\/docs\/|\/\{\*path\}$)/.test(route));
    expect(served).toEqual(Object.keys(ROUTES).sort());
  });

  const cases = Object.entries(ROUTES).flatMap(([route, routeCase]) =>
    CALLERS.map((caller) => [route, caller, routeCase] as const),
  );

  it.each(cases)('%s as %s', async (route, caller, routeCase) => {
    const [method, pattern] = route.split(' ') as [string, string];
    const prepared = await routeCase.prepare(world, caller, client, fixtures);
    expect(prepared.path.split('?')[0].split('/').length).toBe(pattern.split('/').length);
    const request = client.call(method.toLowerCase() as Method, prepared.path, world.sessionOf(caller));
    if (prepared.upload) {
      for (const [name, value] of Object.entries(prepared.upload.fields)) void request.field(name, value);
      void request.attach('file', prepared.upload.file, prepared.upload.fileName);
    }
    const response =
      prepared.body === undefined ? await request : await request.send(prepared.body as object);
    const expected = routeCase.expected[caller];
    if (response.status !== expected) {
      throw new Error(
        `${route} as ${caller}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body)}`,
      );
    }
    if (response.status >= 400) expect(response.body.code).toEqual(expect.any(String));
  });
});
