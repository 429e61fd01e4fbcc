import type { CaseStatus } from '@app/cases';
import { ApiClient, type Session } from '../support/api-client';
import { aSignedInUser } from '../support/builders';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type Caller, type World } from '../support/world';
import { aCase } from './support/case-fixture';
import { download, uploadEvidence, uploadVersion } from './support/evidence-requests';
import { aPdf } from './support/sample-files';

describe('who may upload, read and version evidence', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let caseId: string;
  let evidenceId: string;
  let raterOffTeam: Session;

  const upload = (session: Session | null, onCase = caseId) =>
    uploadEvidence(client, session as Session, onCase, {
      file: aPdf(700),
      fileName: 'access.pdf',
      title: 'Access check',
      indicatorCodes: ['1.1.1'],
    });

  const teamCase = (status: CaseStatus) =>
    aCase(testApp.dataSource, world, {
      status,
      team: [
        { userId: world.sessions.rater.userId, teamRole: 'lead_rater' },
        { userId: world.sessions.committee_member.userId, teamRole: 'committee_member' },
      ],
    });

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    raterOffTeam = await aSignedInUser(client, world.sessions.certifier_admin, world.certifierId, 'rater');
    caseId = await teamCase('desk_review');
    evidenceId = (await upload(world.sessions.institution_admin).expect(201)).body.id;
  });

  afterAll(() => testApp?.close());

  it.each([
    ['institution_admin', 201],
    ['institution_member', 201],
    ['rater', 201],
    ['certifier_admin', 403],
    ['committee_member', 403],
    ['secretariat_admin', 403],
    ['secretariat_officer', 403],
    ['other_institution_admin', 404],
    ['other_certifier_admin', 403],
    ['anonymous', 401],
  ] as [Caller, number][])('upload by %s → %s', async (caller, status) => {
    const response = await upload(world.sessionOf(caller));
    expect(response.status).toBe(status);
    const version = await uploadVersion(
      client,
      world.sessionOf(caller) as Session,
      evidenceId,
      aPdf(600),
      'v.pdf',
    );
    // The item is the institution's: the raters add versions to their own evidence only.
    expect(version.status).toBe(caller === 'rater' ? 403 : status);
  });

  it('answers 404 to a rater who is not on the case team', async () => {
    expect((await upload(raterOffTeam)).status).toBe(404);
    expect((await uploadVersion(client, raterOffTeam, evidenceId, aPdf(), 'v.pdf')).status).toBe(404);
    expect((await client.get(`/api/v1/cases/${caseId}/evidence`, raterOffTeam)).status).toBe(404);
    expect((await client.get(`/api/v1/evidence/${evidenceId}`, raterOffTeam)).status).toBe(404);
  });

  it.each([
    ['institution_admin', 200],
    ['institution_member', 200],
    ['certifier_admin', 200],
    ['rater', 200],
    ['committee_member', 200],
    ['secretariat_admin', 200],
    ['secretariat_officer', 200],
    ['other_institution_admin', 404],
    ['other_certifier_admin', 404],
    ['anonymous', 401],
  ] as [Caller, number][])('reading by %s → %s', async (caller, status) => {
    const session = world.sessionOf(caller);
    expect((await client.get(`/api/v1/cases/${caseId}/evidence`, session)).status).toBe(status);
    expect((await client.get(`/api/v1/evidence/${evidenceId}`, session)).status).toBe(status);
    expect(
      (await download(client, session as Session, `/api/v1/evidence/${evidenceId}/content`)).status,
    ).toBe(status);
    expect((await client.get(`/api/v1/cases/${caseId}/evidence-requests`, session)).status).toBe(status);
  });

  it.each([
    // A case never submitted is not the certification body's, even with a rater on its team: 404.
    ['draft', 201, 404],
    ['submitted', 201, 409],
    ['desk_review', 201, 201],
    ['onsite', 201, 201],
    ['findings_issued', 201, 201],
    ['committee_review', 409, 409],
    ['decided', 409, 409],
    ['under_appeal', 409, 409],
    ['closed', 409, 409],
    ['withdrawn', 409, 409],
  ] as [CaseStatus, number, number][])(
    'in status %s: institution user → %s, rater on the team → %s',
    async (status, institutionStatus, raterStatus) => {
      const onCase = await teamCase(status);
      const byInstitution = await upload(world.sessions.institution_member, onCase);
      expect(byInstitution.status).toBe(institutionStatus);
      if (institutionStatus === 409) expect(byInstitution.body.code).toBe('EVIDENCE_LOCKED');
      const byRater = await upload(world.sessions.rater, onCase);
      expect(byRater.status).toBe(raterStatus);
      if (raterStatus === 409) expect(byRater.body.code).toBe('EVIDENCE_LOCKED');
    },
  );
});
