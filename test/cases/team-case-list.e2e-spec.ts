import { ApiClient, type Session } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

/**
 * A team member's case list is read from shadow team rows (migration CaseTeamList) kept by triggers: it
 * must follow the team (assignments, removals) and the case (status, updates) at once, and agree with the
 * case itself and with what the certification body's admin sees.
 */
describe("a team member's case list follows the team and the case", () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;

  interface Listed {
    items: { id: string; status: string; updatedAt: string }[];
    total: number;
  }

  const list = async (as: Session, query = ''): Promise<Listed> =>
    (await client.get(`/api/v1/cases?pageSize=100${query}`, as).expect(200)).body as Listed;
  const ids = (listed: Listed) => listed.items.map((item) => item.id);

  /** Shadow rows that differ from what their team row and case say (none expected), both ways. */
  const shadowDrift = async (): Promise<unknown[]> =>
    testApp.dataSource.query(
      `(SELECT m.case_id, m.user_id, c.certifier_id, c.status, c.submitted_at IS NOT NULL AS is_submitted, c.updated_at
          FROM case_team_member m JOIN certification_case c ON c.id = m.case_id
        EXCEPT SELECT case_id, user_id, certifier_id, status, is_submitted, updated_at FROM case_team_list)
       UNION ALL
       (SELECT case_id, user_id, certifier_id, status, is_submitted, updated_at FROM case_team_list
        EXCEPT SELECT m.case_id, m.user_id, c.certifier_id, c.status, c.submitted_at IS NOT NULL, c.updated_at
          FROM case_team_member m JOIN certification_case c ON c.id = m.case_id)`,
    );

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
  });

  afterAll(() => testApp?.close());

  it('shows a case to its team once assigned, by status, and drops it for a member taken off the team', async () => {
    const { rater, committee_member: committeeMember, certifier_admin: certifierAdmin } = world.sessions;
    const before = await list(rater, '&status=desk_review');
    const submitted = await cases.submitted();
    expect(ids(await list(rater))).not.toContain(submitted.id);

    const inReview = await cases.transition(submitted.id, 'accept', certifierAdmin, {
      data: { leadRaterId: rater.userId },
    });
    await cases.assignTeam(inReview.id, {
      leadRaterId: rater.userId,
      raterIds: [],
      committeeMemberIds: [committeeMember.userId],
    });
    const inDeskReview = await list(rater, '&status=desk_review');
    expect(inDeskReview.total).toBe(before.total + 1);
    expect(ids(inDeskReview)).toContain(inReview.id);
    expect(ids(await list(committeeMember))).toContain(inReview.id);
    expect(await shadowDrift()).toEqual([]);

    // The team member sees the case as the body's admin does, at the same place of the list.
    const asAdmin = (await list(certifierAdmin, '&status=desk_review')).items;
    const asRater = inDeskReview.items;
    expect(asRater.map(({ id, updatedAt }) => ({ id, updatedAt }))).toEqual(
      asAdmin
        .filter((item) => ids(inDeskReview).includes(item.id))
        .map(({ id, updatedAt }) => ({ id, updatedAt })),
    );

    await cases.assignTeam(inReview.id, { leadRaterId: rater.userId, raterIds: [], committeeMemberIds: [] });
    expect(ids(await list(committeeMember))).not.toContain(inReview.id);
    expect(await shadowDrift()).toEqual([]);

    await cases.declare(inReview.id, rater);
    await cases.setMission(inReview.id);
    const onsite = await cases.transition(inReview.id, 'start_onsite', rater);
    const stillInDeskReview = await list(rater, '&status=desk_review');
    expect(ids(stillInDeskReview)).not.toContain(inReview.id);
    expect(stillInDeskReview.total).toBe(before.total);
    const nowOnsite = (await list(rater, '&status=onsite')).items.find((item) => item.id === inReview.id);
    const read = (await client.get(`/api/v1/cases/${inReview.id}`, rater).expect(200))
      .body as Listed['items'][0];
    expect(nowOnsite).toMatchObject({ id: onsite.id, status: 'onsite', updatedAt: read.updatedAt });
    expect(await shadowDrift()).toEqual([]);
  });

  it('filters a team member list by type and institution as the case says', async () => {
    const { rater } = world.sessions;
    const all = await list(rater);
    expect(all.total).toBeGreaterThan(0);
    expect((await list(rater, `&institutionId=${world.institutionId}`)).total).toBe(all.total);
    expect((await list(rater, `&institutionId=${world.otherInstitutionId}`)).total).toBe(0);
    expect((await list(rater, '&type=check_in')).total).toBe(0);
    expect((await list(rater, `&certifierId=${world.certifierId}&type=certification`)).total).toBe(all.total);
  });
});
