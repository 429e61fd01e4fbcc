import { ApiClient } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

interface Ratings {
  ratings: {
    indicatorCode: string;
    applicable: boolean;
    rating: string | null;
    justification: string | null;
  }[];
}

/**
 * A case's ratings and results are rendered once per state of what they show (RenderedAnswers, keyed by a
 * fingerprint the database computes in the reading statement): a change by this process, another process
 * or raw SQL shows at the very next read with no invalidation, a conditional GET still answers 304, and
 * who may see them is decided on every request, however warm the rendering is.
 */
describe("a case's rendered ratings and results", () => {
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

  it('answers the same bytes and ETag while nothing changes, and 304 to a matching If-None-Match', async () => {
    const onsite = await cases.onsite();
    for (const route of ['ratings', 'results']) {
      const path = `/api/v1/cases/${onsite.id}/${route}`;
      const first = await client.get(path, world.sessions.rater).expect(200);
      const again = await client.get(path, world.sessions.certifier_admin).expect(200);
      expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(again.text).toBe(first.text);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(first.headers.etag).toMatch(/^W\/"/);
      await client.get(path, world.sessions.rater).set('If-None-Match', first.headers.etag).expect(304);
    }
  });

  it('shows a save at the next read, and a change by raw SQL (another process) as well', async () => {
    const onsite = await cases.onsite();
    const path = `/api/v1/cases/${onsite.id}/ratings`;
    const before = await client.get(path, world.sessions.rater).expect(200);
    const code = (before.body as Ratings).ratings.find((rating) => rating.applicable)?.indicatorCode;
    await client
      .put(path, world.sessions.rater)
      .send({
        ratings: [{ indicatorCode: code, rating: 'partially_met', justification: 'Two branches of five' }],
      })
      .expect(200);
    const saved = await client.get(path, world.sessions.rater).expect(200);
    expect(saved.headers.etag).not.toBe(before.headers.etag);
    expect((saved.body as Ratings).ratings.find((rating) => rating.indicatorCode === code)).toMatchObject({
      rating: 'partially_met',
      justification: 'Two branches of five',
    });
    const results = await client.get(`/api/v1/cases/${onsite.id}/results`, world.sessions.rater).expect(200);

    await testApp.dataSource.query(
      `UPDATE indicator_rating SET justification = 'Three branches of five' WHERE case_id = $1 AND indicator_code = $2`,
      [onsite.id, code],
    );
    const changed = await client.get(path, world.sessions.rater).expect(200);
    expect(
      (changed.body as Ratings).ratings.find((rating) => rating.indicatorCode === code)?.justification,
    ).toBe('Three branches of five');
    await client.get(path, world.sessions.rater).set('If-None-Match', saved.headers.etag).expect(200);

    // The results show the institution's confirmed self-assessment: an answer changed elsewhere shows too.
    await testApp.dataSource.query(
      `UPDATE self_assessment_answer SET rating = 'not_met' WHERE case_id = $1 AND indicator_code = $2 AND confirmed`,
      [onsite.id, code],
    );
    const deltas = await client.get(`/api/v1/cases/${onsite.id}/results`, world.sessions.rater).expect(200);
    expect(deltas.text).not.toBe(results.text);
    expect(deltas.body.selfAssessmentDeltas).toContainEqual({
      code,
      selfRating: 'not_met',
      rating: 'partially_met',
    });
  });

  it('decides who may see them on every request, however warm the rendering', async () => {
    const onsite = await cases.onsite();
    for (const route of ['ratings', 'results']) {
      const path = `/api/v1/cases/${onsite.id}/${route}`;
      await client.get(path, world.sessions.rater).expect(200);
      // Drafts stay with the certification body until findings are issued; another institution never sees them.
      await client.get(path, world.sessions.institution_admin).expect(404);
      await client.get(path, world.sessions.other_institution_admin).expect(404);
      await client.get(path, world.sessions.other_certifier_admin).expect(404);
    }
  });
});
