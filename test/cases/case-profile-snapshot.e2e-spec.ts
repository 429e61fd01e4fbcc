import { PDFParse } from 'pdf-parse';
import { ApiClient, type Session } from '../support/api-client';
import { aSignedInUser, institutionProfile } from '../support/builders';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import type { HistoryEvent } from './case-fixtures';

interface RatingRow {
  indicatorCode: string;
  applicable: boolean;
}

/**
 * The attack: once its case is submitted, the institution edits its organization profile (it no longer
 * "offers credit", it suddenly "offers savings"), and the indicators that apply to the running case follow
 * the edit, so the certification body rates against a profile that was never submitted. The profile that
 * decides applicability is the one submitted; only the lead rater may amend it, with a reason, audited.
 */
describe('the institution profile that decides applicability is the one submitted', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;
  let otherRater: Session;
  let caseId: string;
  const submittedProfile = institutionProfile({
    offersCredit: true,
    offersSavings: false,
    usesAgents: false,
  });
  const editedProfile = institutionProfile({ offersCredit: false, offersSavings: true, usesAgents: true });

  const applicableCodes = async (as: Session = world.sessions.rater): Promise<string[]> => {
    const response = await client.get(`/api/v1/cases/${caseId}/ratings`, as).expect(200);
    return (response.body.ratings as RatingRow[])
      .filter((row) => row.applicable)
      .map((row) => row.indicatorCode)
      .sort();
  };

  const editOrganizationProfile = async (profile: Record<string, unknown>): Promise<void> => {
    const current = await client
      .get(`/api/v1/organizations/${world.institutionId}`, world.sessions.institution_admin)
      .expect(200);
    await client
      .patch(`/api/v1/organizations/${world.institutionId}`, world.sessions.institution_admin)
      .send({ version: current.body.version, profile })
      .expect(200);
  };

  const amend = async (as: Session, body: Record<string, unknown>) => {
    const { version } = await cases.read(caseId);
    return client.put(`/api/v1/cases/${caseId}/profile`, as).send({ version, ...body });
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
    otherRater = await aSignedInUser(client, world.sessions.certifier_admin, world.certifierId, 'rater');
    await editOrganizationProfile(submittedProfile);
  });

  afterAll(() => testApp?.close());

  it('a draft shows the live profile; submit snapshots it on the case', async () => {
    const draft = await cases.open();
    caseId = draft.id;
    expect((await cases.read(caseId)).profile).toEqual(submittedProfile);
    await cases.completeSelfAssessment(caseId);
    await cases.transition(caseId, 'submit', world.sessions.institution_admin);
    expect((await cases.read(caseId)).profile).toEqual(submittedProfile);
    const history = await client
      .get(`/api/v1/cases/${caseId}/history`, world.sessions.institution_admin)
      .expect(200);
    const submit = (history.body as HistoryEvent[]).find((event) => event.action === 'case.submit');
    expect(submit?.data.profile).toEqual(submittedProfile);
  });

  it('a later edit of the organization profile does not change the running case', async () => {
    await cases.transition(caseId, 'accept', world.sessions.certifier_admin, {
      data: { leadRaterId: world.sessions.rater.userId },
    });
    await cases.assignTeam(caseId, {
      leadRaterId: world.sessions.rater.userId,
      raterIds: [otherRater.userId],
      committeeMemberIds: [world.sessions.committee_member.userId],
    });
    const before = await applicableCodes();
    const selfAssessmentBefore = await client
      .get(`/api/v1/cases/${caseId}/self-assessment`, world.sessions.institution_admin)
      .expect(200);
    const resultsBefore = await client
      .get(`/api/v1/cases/${caseId}/results`, world.sessions.rater)
      .expect(200);

    await editOrganizationProfile(editedProfile);

    expect((await cases.read(caseId)).profile).toEqual(submittedProfile);
    expect(await applicableCodes()).toEqual(before);
    const selfAssessmentAfter = await client
      .get(`/api/v1/cases/${caseId}/self-assessment`, world.sessions.institution_admin)
      .expect(200);
    expect(selfAssessmentAfter.body).toEqual(selfAssessmentBefore.body);
    // The results count the submitted applicable indicators.
    const resultsAfter = await client
      .get(`/api/v1/cases/${caseId}/results`, world.sessions.rater)
      .expect(200);
    expect(resultsAfter.body).toEqual(resultsBefore.body);
    // A new draft follows the live profile.
    const newDraft = await cases.open();
    expect((await cases.read(newDraft.id)).profile).toEqual(editedProfile);
  });

  it('only the lead rater amends it, with a reason and the version read, while the team works', async () => {
    const body = { profile: editedProfile, reason: 'The institution started taking deposits in June' };
    expect((await amend(world.sessions.institution_admin, body)).status).toBe(403);
    expect((await amend(otherRater, body)).status).toBe(403);
    expect((await amend(world.sessions.certifier_admin, body)).status).toBe(403);
    expect((await amend(world.sessions.other_certifier_admin, body)).status).toBe(403);
    const noReason = await amend(world.sessions.rater, { profile: editedProfile, reason: '   ' });
    expect(noReason.status).toBe(400);
    const badProfile = await amend(world.sessions.rater, {
      profile: { ...editedProfile, offersSavings: 'yes' },
      reason: 'x',
    });
    expect(badProfile.status).toBe(400);
    const stale = await client
      .put(`/api/v1/cases/${caseId}/profile`, world.sessions.rater)
      .send({ version: 1, ...body });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    expect((await cases.read(caseId)).profile).toEqual(submittedProfile);
  });

  it('an amendment by the lead rater recomputes applicability and is audited before/after', async () => {
    const before = await applicableCodes();
    const amended = await amend(world.sessions.rater, {
      profile: { ...submittedProfile, offersSavings: true },
      reason: 'The institution started taking deposits in June',
    });
    expect(amended.status).toBe(200);
    expect(amended.body.profile).toEqual({ ...submittedProfile, offersSavings: true });
    const after = await applicableCodes();
    expect(after.length).toBeGreaterThan(before.length);
    expect(after).toEqual(expect.arrayContaining(before));

    const history = await client
      .get(`/api/v1/cases/${caseId}/history`, world.sessions.secretariat_admin)
      .expect(200);
    const event = (history.body as HistoryEvent[]).find((entry) => entry.action === 'case.profile_amended');
    expect(event).toMatchObject({
      actor: { id: world.sessions.rater.userId },
      reason: 'The institution started taking deposits in June',
      data: { before: submittedProfile, after: { ...submittedProfile, offersSavings: true } },
    });
  });

  it('is refused once the case went to the committee (409 CASE_LOCKED); the package and the report keep the submitted profile', async () => {
    const decided = await cases.decided();
    const { version } = await cases.read(decided.id);
    const response = await client
      .put(`/api/v1/cases/${decided.id}/profile`, world.sessions.rater)
      .send({ version, profile: editedProfile, reason: 'Too late' });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('CASE_LOCKED');
    // The sealed decision package names the profile that decided applicability: the submitted one.
    const [sealed] = await testApp.dataSource.query<{ package_json: string }[]>(
      'SELECT package_json FROM case_decision WHERE case_id = $1',
      [decided.id],
    );
    expect(JSON.parse(sealed.package_json).profile).toEqual((await cases.read(decided.id)).profile);
    expect(JSON.parse(sealed.package_json).profile).toEqual(editedProfile);

    // The report shows the profile the case was decided on, not the organization's later edit.
    await editOrganizationProfile({ ...editedProfile, legalForm: 'Renamed commercial bank' });
    const report = await client
      .get(`/api/v1/cases/${decided.id}/report.pdf?lang=en`, world.sessions.institution_admin)
      .responseType('blob')
      .expect(200);
    const parser = new PDFParse({ data: new Uint8Array(report.body as Buffer) });
    try {
      const text = (await parser.getText()).text.replace(/\s+/g, ' ');
      expect(text).toContain(String(editedProfile.legalForm));
      expect(text).not.toContain('Renamed commercial bank');
    } finally {
      await parser.destroy();
    }
  });
});
