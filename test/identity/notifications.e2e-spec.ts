import { ApiClient } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

describe('notifications at every hand-off', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
  });

  afterAll(() => testApp?.close());

  const inbox = async (caller: keyof World['sessions'], caseId: string) => {
    const response = await client
      .get('/api/v1/me/notifications?pageSize=100', world.sessions[caller])
      .expect(200);
    return (
      response.body.items as { kind: string; caseId: string; id: string; readAt: string | null }[]
    ).filter((item) => item.caseId === caseId);
  };

  it('tells the party who must act next, and lets them mark it read', async () => {
    const { caseId } = await cases.published();
    expect((await inbox('certifier_admin', caseId)).map((item) => item.kind)).toContain('case.submit');
    expect((await inbox('rater', caseId)).map((item) => item.kind)).toContain('case.accept');
    expect((await inbox('institution_member', caseId)).map((item) => item.kind)).toEqual(
      expect.arrayContaining(['case.issue_findings', 'case.decide', 'case.publish']),
    );
    expect((await inbox('committee_member', caseId)).map((item) => item.kind)).toContain(
      'case.refer_to_committee',
    );
    expect((await inbox('secretariat_officer', caseId)).map((item) => item.kind)).toEqual(
      expect.arrayContaining(['case.decide', 'case.accept_decision']),
    );
    expect(await inbox('other_institution_admin', caseId)).toEqual([]);

    const [first] = await inbox('certifier_admin', caseId);
    const before = await client.get(
      '/api/v1/me/notifications?unreadOnly=true',
      world.sessions.certifier_admin,
    );
    await client
      .post(`/api/v1/me/notifications/${first.id}/read`, world.sessions.certifier_admin)
      .expect(204);
    const after = await client.get(
      '/api/v1/me/notifications?unreadOnly=true',
      world.sessions.certifier_admin,
    );
    expect(after.body.unread).toBe(before.body.unread - 1);
    await client.post(`/api/v1/me/notifications/${first.id}/read`, world.sessions.rater).expect(404);
    await client.get('/api/v1/me/notifications?unreadOnly=maybe', world.sessions.rater).expect(400);
  });
});
