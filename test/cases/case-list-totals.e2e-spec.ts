import { ApiClient, type Session } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

/**
 * A case list's total is counted once and kept (CaseListTotals) until a case or team changes: through
 * this process's own writes it is dropped at their commit, through any other process or raw SQL by the
 * `case_list_changed` notification. Every total answered must be the count the database holds.
 */
describe('case list totals follow every change that moves a case in or out of a list', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;

  const total = async (as: Session, query: string): Promise<number> =>
    ((await client.get(`/api/v1/cases?pageSize=1${query}`, as).expect(200)).body as { total: number }).total;
  const counted = async (status: string): Promise<number> =>
    Number(
      (
        await testApp.dataSource.query<{ n: string }[]>(
          'SELECT count(*) AS n FROM certification_case WHERE status = $1',
          [status],
        )
      )[0].n,
    );
  /** Asks until the total is `expected` or a second has passed; answers the last total seen. */
  const totalWithin = async (as: Session, query: string, expected: number): Promise<number> => {
    const deadline = Date.now() + 1000;
    let seen = await total(as, query);
    while (seen !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = await total(as, query);
    }
    return seen;
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
  });

  afterAll(() => testApp?.close());

  it("drops a kept total at the commit of this process's own transition, before it answers", async () => {
    const { secretariat_officer: secretariat, certifier_admin: certifierAdmin, rater } = world.sessions;
    const submitted = await cases.submitted();
    // Counted, then kept: the same answer again.
    const before = await total(secretariat, '&status=desk_review');
    expect(await total(secretariat, '&status=desk_review')).toBe(before);
    expect(await total(certifierAdmin, '&status=submitted')).toBe(await counted('submitted'));

    await cases.transition(submitted.id, 'accept', certifierAdmin, { data: { leadRaterId: rater.userId } });
    expect(await total(secretariat, '&status=desk_review')).toBe(before + 1);
    expect(await total(certifierAdmin, '&status=submitted')).toBe(await counted('submitted'));
    expect(await total(secretariat, '&status=desk_review')).toBe(await counted('desk_review'));
  });

  it('drops kept totals when another process or raw SQL moves a case (the notification)', async () => {
    const { secretariat_officer: secretariat, certifier_admin: certifierAdmin } = world.sessions;
    const submitted = await cases.submitted();
    const before = await total(secretariat, '&status=submitted');
    expect(await total(certifierAdmin, '&status=submitted')).toBe(before);
    expect(before).toBe(await counted('submitted'));

    // Raw SQL, as another process would write: no TypeORM event in this process.
    await testApp.dataSource.query(
      "UPDATE certification_case SET status = 'withdrawn', status_changed_at = now() WHERE id = $1",
      [submitted.id],
    );
    expect(await totalWithin(secretariat, '&status=submitted', before - 1)).toBe(before - 1);
    expect(await totalWithin(certifierAdmin, '&status=submitted', before - 1)).toBe(before - 1);
    expect(await total(secretariat, '&status=withdrawn')).toBe(await counted('withdrawn'));
  });

  it("drops a team member's kept total when they join or leave a team", async () => {
    const { rater, certifier_admin: certifierAdmin, committee_member: committeeMember } = world.sessions;
    const submitted = await cases.submitted();
    const inReview = await cases.transition(submitted.id, 'accept', certifierAdmin, {
      data: { leadRaterId: rater.userId },
    });
    const before = await total(committeeMember, '');
    await cases.assignTeam(inReview.id, {
      leadRaterId: rater.userId,
      raterIds: [],
      committeeMemberIds: [committeeMember.userId],
    });
    expect(await total(committeeMember, '')).toBe(before + 1);
    // Raw SQL again: the team row removed elsewhere.
    await testApp.dataSource.query('DELETE FROM case_team_member WHERE case_id = $1 AND user_id = $2', [
      inReview.id,
      committeeMember.userId,
    ]);
    expect(await totalWithin(committeeMember, '', before)).toBe(before);
    expect(await total(certifierAdmin, '&status=desk_review')).toBe(await counted('desk_review'));
  });
});
