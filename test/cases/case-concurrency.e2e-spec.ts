import { ApiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { addCalendarDays, CaseFixtures, todayUtc } from './case-fixtures';

const count = (values: unknown[], value: unknown): number => values.filter((entry) => entry === value).length;

describe('simultaneous requests on one case', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseFixtures;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseFixtures(client, world);
  });

  afterAll(() => testApp?.close());

  it('applies exactly one of 20 accepts made on the same version', async () => {
    const submitted = await cases.submitted();
    const before = await cases.read(submitted.id);

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        client.post(`/api/v1/cases/${submitted.id}/transitions`, world.sessions.certifier_admin).send({
          action: 'accept',
          version: before.version,
          data: { leadRaterId: world.sessions.rater.userId },
        }),
      ),
    );

    const statuses = responses.map((response) => response.status);
    expect(count(statuses, 200)).toBe(1);
    expect(count(statuses, 409)).toBe(19);
    const refusals = responses.filter((response) => response.status === 409);
    for (const refusal of refusals)
      expect(['STALE_VERSION', 'INVALID_TRANSITION']).toContain(refusal.body.code);

    const after = await cases.read(submitted.id);
    expect(after).toMatchObject({ status: 'desk_review', version: before.version + 1 });
    expect(after.team.leadRater.id).toBe(world.sessions.rater.userId);
    const accepts = (await cases.history(submitted.id)).filter((event) => event.action === 'case.accept');
    expect(accepts).toHaveLength(1);
    const verify = await client.get('/api/v1/audit/verify', world.sessions.secretariat_admin).expect(200);
    expect(verify.body.valid).toBe(true);
  });

  it('applies exactly one of 10 mission plans made on the same version', async () => {
    const inReview = await cases.inDeskReview();
    const before = await cases.read(inReview.id);

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        client.put(`/api/v1/cases/${inReview.id}/mission`, world.sessions.rater).send({
          version: before.version,
          startsOn: addCalendarDays(todayUtc(), 20 + index),
          endsOn: addCalendarDays(todayUtc(), 24 + index),
          branchesVisited: [`Branch ${index}`],
          interviews: { clients: 10 + index, staff: 5, management: 2 },
        }),
      ),
    );

    const statuses = responses.map((response) => response.status);
    expect(count(statuses, 200)).toBe(1);
    expect(count(statuses, 409)).toBe(9);
    expect(
      responses.filter((response) => response.status === 409).map((response) => response.body.code as string),
    ).toEqual(Array.from({ length: 9 }, () => 'STALE_VERSION'));

    const winner = responses.find((response) => response.status === 200)!;
    const after = await cases.read(inReview.id);
    expect(after.version).toBe(before.version + 1);
    expect(after.mission).toEqual(winner.body.mission);
    const missions = (await cases.history(inReview.id)).filter(
      (event) => event.action === 'case.mission_set',
    );
    expect(missions).toHaveLength(1);
    expect(missions[0].data).toEqual(winner.body.mission);
  });
});
