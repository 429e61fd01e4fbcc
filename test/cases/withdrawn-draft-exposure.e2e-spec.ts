import { ApiClient, type Session } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { uploadEvidence } from '../evidence/support/evidence-requests';
import { aPdf } from '../evidence/support/sample-files';

/**
 * The attack: an institution drafts a case naming a certification body, fills its self-assessment and
 * uploads evidence, then withdraws the draft without ever submitting it. The certification body it named
 * must never read any of it: a certifier sees a case only once it was submitted to it.
 */
describe('a draft withdrawn before submission stays with its institution', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;
  let withdrawnDraftId: string;
  let evidenceId: string;
  let submittedThenWithdrawnId: string;

  const caseScopedPaths = (caseId: string): string[] => [
    `/api/v1/cases/${caseId}`,
    `/api/v1/cases/${caseId}/self-assessment`,
    `/api/v1/cases/${caseId}/evidence`,
    `/api/v1/cases/${caseId}/evidence-requests`,
    `/api/v1/cases/${caseId}/history`,
    `/api/v1/cases/${caseId}/ratings`,
    `/api/v1/cases/${caseId}/results`,
    `/api/v1/cases/${caseId}/findings`,
  ];

  const certifierSide = (): [string, Session][] => [
    ['certifier_admin', world.sessions.certifier_admin],
    ['rater', world.sessions.rater],
    ['committee_member', world.sessions.committee_member],
  ];

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);

    const draft = await cases.open();
    withdrawnDraftId = draft.id;
    await cases.completeSelfAssessment(draft.id);
    const uploaded = await uploadEvidence(client, world.sessions.institution_admin, draft.id, {
      file: aPdf(800, 'confidential board minutes'),
      fileName: 'board-minutes.pdf',
      title: 'Board minutes on pricing',
      indicatorCodes: ['1.1.1'],
    }).expect(201);
    evidenceId = uploaded.body.id as string;
    await cases.transition(draft.id, 'withdraw', world.sessions.institution_admin, {
      reason: 'We are not ready yet',
    });

    const submitted = await cases.submitted();
    submittedThenWithdrawnId = submitted.id;
    await cases.transition(submitted.id, 'withdraw', world.sessions.institution_admin, {
      reason: 'Changed our mind',
    });
  });

  afterAll(() => testApp?.close());

  it('is withdrawn and still the institution’s to read', async () => {
    const own = await client.get(`/api/v1/cases/${withdrawnDraftId}`, world.sessions.institution_admin);
    expect(own.status).toBe(200);
    expect(own.body.status).toBe('withdrawn');
  });

  it('answers 404 to everyone of the certification body it named, on every case-scoped route', async () => {
    const seen: string[] = [];
    for (const [caller, session] of certifierSide()) {
      for (const path of caseScopedPaths(withdrawnDraftId)) {
        const response = await client.get(path, session);
        if (response.status !== 404) seen.push(`${caller} GET ${path} → ${response.status}`);
      }
      for (const path of [`/api/v1/evidence/${evidenceId}`, `/api/v1/evidence/${evidenceId}/content`]) {
        const response = await client.get(path, session);
        if (response.status !== 404) seen.push(`${caller} GET ${path} → ${response.status}`);
      }
    }
    expect(seen).toEqual([]);
  });

  it('is not in the certification body’s case list, whatever the filter', async () => {
    for (const query of ['', '?status=withdrawn', `?institutionId=${world.institutionId}`]) {
      const response = await client.get(`/api/v1/cases${query}`, world.sessions.certifier_admin).expect(200);
      const ids = (response.body.items as { id: string }[]).map((item) => item.id);
      expect(ids).not.toContain(withdrawnDraftId);
    }
  });

  it('cannot be acted on by the certification body (assigning a team, declaring, transitions)', async () => {
    const version = (await cases.read(withdrawnDraftId)).version;
    const team = await client
      .put(`/api/v1/cases/${withdrawnDraftId}/team`, world.sessions.certifier_admin)
      .send({ version, leadRaterId: world.sessions.rater.userId, raterIds: [], committeeMemberIds: [] });
    expect(team.status).toBe(404);
    const transition = await client
      .post(`/api/v1/cases/${withdrawnDraftId}/transitions`, world.sessions.certifier_admin)
      .send({ action: 'accept', version, data: { leadRaterId: world.sessions.rater.userId } });
    expect(transition.status).toBe(404);
  });

  it('a case that was submitted and then withdrawn stays visible to its certification body', async () => {
    const response = await client
      .get(`/api/v1/cases/${submittedThenWithdrawnId}`, world.sessions.certifier_admin)
      .expect(200);
    expect(response.body.status).toBe('withdrawn');
    const list = await client
      .get('/api/v1/cases?status=withdrawn', world.sessions.certifier_admin)
      .expect(200);
    expect((list.body.items as { id: string }[]).map((item) => item.id)).toContain(submittedThenWithdrawnId);
  });
});
