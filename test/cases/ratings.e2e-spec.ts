import { AuditService } from '@app/audit';
import { ApiClient } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

describe('ratings and results', () => {
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

  async function applicableCodes(caseId: string): Promise<string[]> {
    const response = await client.get(`/api/v1/cases/${caseId}/ratings`, world.sessions.rater).expect(200);
    return (response.body.ratings as { indicatorCode: string; applicable: boolean }[])
      .filter((rating) => rating.applicable)
      .map((rating) => rating.indicatorCode);
  }

  it('saves a batch in one request and rolls it up; the decision rule holds when everything is met', async () => {
    const onsite = await cases.onsite();
    const codes = await applicableCodes(onsite.id);
    const saved = await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({ ratings: codes.map((indicatorCode) => ({ indicatorCode, rating: 'met' })) })
      .expect(200);
    expect(saved.body.ratings).toHaveLength(codes.length);
    expect(saved.body.ratings.find((rating: any) => rating.indicatorCode === codes[0]).version).toBe(1);

    const results = await client.get(`/api/v1/cases/${onsite.id}/results`, world.sessions.rater).expect(200);
    expect(results.body.outcome).toEqual({ eligible: true });
    expect(results.body.gaps).toEqual([]);
    expect(results.body.principles).toHaveLength(7);

    const history = await client.get(`/api/v1/cases/${onsite.id}/history`, world.sessions.rater);
    expect(history.body.filter((event: any) => event.action === 'ratings.saved')).toHaveLength(1);
  });

  it('answers the saved ratings as a read shows them; the audit event is chained and a stale batch leaves none', async () => {
    const onsite = await cases.onsite();
    const codes = (await applicableCodes(onsite.id)).slice(0, 3);
    const first = await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({
        ratings: [
          { indicatorCode: codes[0], rating: 'met', verifiedBy: ['observation', 'document', 'observation'] },
          { indicatorCode: codes[1], rating: 'partially_met', justification: '  In two branches of five ' },
          { indicatorCode: codes[2], rating: 'met', justification: '   ', evidenceIds: [] },
        ],
      })
      .expect(200);
    const second = await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({ ratings: [{ indicatorCode: codes[1], rating: 'met', version: 1 }] })
      .expect(200);
    await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({
        ratings: [
          { indicatorCode: codes[0], rating: 'not_met', justification: 'Missing', version: 1 },
          { indicatorCode: codes[1], rating: 'not_met', justification: 'Missing', version: 1 },
        ],
      })
      .expect(409);

    const read = await client.get(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater).expect(200);
    const stored = (code: string) => read.body.ratings.find((rating: any) => rating.indicatorCode === code);
    expect(first.body.ratings).toEqual([stored(codes[0]), expect.anything(), stored(codes[2])]);
    expect(second.body.ratings).toEqual([stored(codes[1])]);
    expect(first.body.ratings[0]).toMatchObject({ verifiedBy: ['document', 'observation'], version: 1 });
    expect(first.body.ratings[1]).toMatchObject({ justification: 'In two branches of five', version: 1 });
    expect(first.body.ratings[2]).toMatchObject({ justification: null, evidenceIds: [] });
    expect(stored(codes[0]).rating).toBe('met');

    const events: { data: unknown }[] = await testApp.dataSource.query(
      `SELECT data FROM audit_event WHERE case_id = $1 AND action = 'ratings.saved' ORDER BY sequence`,
      [onsite.id],
    );
    expect(events.map((event) => event.data)).toEqual([
      {
        ratings: [
          {
            code: codes[0],
            rating: 'met',
            verifiedBy: ['observation', 'document', 'observation'],
            version: 1,
          },
          { code: codes[1], rating: 'partially_met', version: 1 },
          { code: codes[2], rating: 'met', version: 1 },
        ],
      },
      { ratings: [{ code: codes[1], rating: 'met', version: 2 }] },
    ]);
    await expect(testApp.app.get(AuditService).verifyChain()).resolves.toMatchObject({ valid: true });
  });

  it('shows indicators the profile makes inapplicable as not applicable with the reason', async () => {
    const onsite = await cases.onsite();
    const response = await client.get(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater).expect(200);
    const inapplicable = response.body.ratings.filter((rating: any) => !rating.applicable);
    expect(inapplicable.length).toBeGreaterThan(0);
    expect(inapplicable[0]).toMatchObject({
      rating: 'not_applicable',
      justification: expect.stringContaining('Not applicable'),
    });
  });

  it('rejects the whole batch for one invalid item, naming its path, and saves nothing', async () => {
    const onsite = await cases.onsite();
    const [first, second] = await applicableCodes(onsite.id);
    const invalid = await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({
        ratings: [
          { indicatorCode: first, rating: 'met' },
          { indicatorCode: second, rating: 'not_met' },
        ],
      })
      .expect(400);
    expect(invalid.body.details).toEqual([
      { field: 'ratings[1].justification', message: 'is required for not_met' },
    ]);
    const outOfScale = await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({ ratings: [{ indicatorCode: first, rating: 'excellent' }] })
      .expect(400);
    expect(outOfScale.body.details[0].field).toBe('ratings[0].rating');
    const unknown = await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({
        ratings: [
          { indicatorCode: first, rating: 'met' },
          { indicatorCode: '9.9.9', rating: 'met' },
        ],
      })
      .expect(422);
    expect(unknown.body).toMatchObject({
      code: 'UNKNOWN_INDICATOR_CODES',
      details: [{ field: 'ratings[1].indicatorCode' }],
    });
    const foreignEvidence = await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({
        ratings: [
          { indicatorCode: first, rating: 'met', evidenceIds: ['8f14e45f-ceea-4e6b-9c8b-3f1f2a1b2c3d'] },
        ],
      })
      .expect(422);
    expect(foreignEvidence.body).toMatchObject({
      code: 'EVIDENCE_NOT_IN_CASE',
      details: [{ field: 'ratings[0].evidenceIds' }],
    });
    const [{ count }] = await testApp.dataSource.query(
      'SELECT count(*)::int AS count FROM indicator_rating WHERE case_id = $1',
      [onsite.id],
    );
    expect(count).toBe(0);
  });

  it('keeps nothing of a batch whose one statement wrote it before a check failed, and no audit event', async () => {
    // The save's one statement writes every item it can, then checks what it wrote (abort_unless): here
    // the first items of each batch are valid and written before the check finds the one that is not.
    const onsite = await cases.onsite();
    const other = await cases.onsite();
    const codes = await applicableCodes(onsite.id);
    const evidence = async (caseId: string, removed: boolean): Promise<string> => {
      const [{ id }] = await testApp.dataSource.query(
        `INSERT INTO evidence_item (id, case_id, title, created_by, deleted_at)
         SELECT gen_random_uuid(), id, 'Branch visit notes', created_by, CASE WHEN $2 THEN now() END
         FROM certification_case WHERE id = $1 RETURNING id`,
        [caseId, removed],
      );
      return id;
    };
    const own = await evidence(onsite.id, false);
    const removed = await evidence(onsite.id, true);
    const foreign = await evidence(other.id, false);
    const save = (ratings: object[]) =>
      client.put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater).send({ ratings });
    const valid = [
      { indicatorCode: codes[0], rating: 'met', evidenceIds: [own] },
      { indicatorCode: codes[1], rating: 'met' },
    ];

    const withForeign = await save([
      ...valid,
      { indicatorCode: codes[2], rating: 'met', evidenceIds: [foreign] },
    ]);
    expect(withForeign.status).toBe(422);
    expect(withForeign.body).toMatchObject({
      code: 'EVIDENCE_NOT_IN_CASE',
      details: [{ field: 'ratings[2].evidenceIds', message: `${foreign} is not evidence of this case` }],
    });
    const withRemoved = await save([
      ...valid,
      { indicatorCode: codes[2], rating: 'met', evidenceIds: [removed] },
    ]);
    expect(withRemoved.status).toBe(422);
    expect(withRemoved.body.details).toEqual([
      { field: 'ratings[2].evidenceIds', message: `${removed} is not evidence of this case` },
    ]);
    const claimsUnknown = await save([...valid, { indicatorCode: codes[2], rating: 'met', version: 3 }]);
    expect(claimsUnknown.status).toBe(409);
    expect(claimsUnknown.body.details).toEqual([
      { field: 'ratings[2].version', message: `indicator ${codes[2]} has not been rated yet: omit version` },
    ]);
    const count = async (table: string, extra = '') =>
      (
        await testApp.dataSource.query(
          `SELECT count(*)::int AS count FROM ${table} WHERE case_id = $1 ${extra}`,
          [onsite.id],
        )
      )[0].count;
    expect(await count('indicator_rating')).toBe(0);
    expect(await count('audit_event', `AND action = 'ratings.saved'`)).toBe(0);

    // The same batch without the bad item is saved whole, with its one event, and the chain still holds.
    const saved = await save(valid);
    expect(saved.status).toBe(200);
    expect(saved.body.ratings.map((rating: { version: number }) => rating.version)).toEqual([1, 1]);
    expect(saved.body.ratings[0].evidenceIds).toEqual([own]);
    expect(await count('indicator_rating')).toBe(2);
    expect(await count('audit_event', `AND action = 'ratings.saved'`)).toBe(1);
    await expect(testApp.app.get(AuditService).verifyChain()).resolves.toMatchObject({ valid: true });
  });

  it('refuses a stale item version with 409 and applies nothing of the batch', async () => {
    const onsite = await cases.onsite();
    const [first, second] = await applicableCodes(onsite.id);
    await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({ ratings: [{ indicatorCode: first, rating: 'met' }] })
      .expect(200);
    const stale = await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({
        ratings: [
          { indicatorCode: second, rating: 'met' },
          {
            indicatorCode: first,
            rating: 'partially_met',
            justification: 'Policy not applied in branches',
            version: 0,
          },
        ],
      })
      .expect(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    const ratings = await client.get(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater);
    const byCode = new Map(ratings.body.ratings.map((rating: any) => [rating.indicatorCode, rating]));
    expect(byCode.get(first)).toMatchObject({ rating: 'met', version: 1 });
    expect(byCode.get(second)).toMatchObject({ rating: null, version: 0 });
  });

  it('applies exactly one of 20 simultaneous saves of the same indicator at the same version', async () => {
    const onsite = await cases.onsite();
    const [code] = await applicableCodes(onsite.id);
    await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({ ratings: [{ indicatorCode: code, rating: 'met' }] })
      .expect(200);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, attempt) =>
        client.put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater).send({
          ratings: [
            {
              indicatorCode: code,
              rating: 'partially_met',
              justification: `attempt ${attempt}`,
              version: 1,
            },
          ],
        }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    const winner = responses.find((response) => response.status === 200)!;
    const ratings = await client.get(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater);
    const stored = ratings.body.ratings.find((rating: any) => rating.indicatorCode === code);
    expect(stored.version).toBe(2);
    expect(stored.justification).toBe(
      winner.body.ratings.find((rating: any) => rating.indicatorCode === code).justification,
    );
    const history = await client.get(`/api/v1/cases/${onsite.id}/history`, world.sessions.rater);
    expect(history.body.filter((event: any) => event.action === 'ratings.saved')).toHaveLength(2);
  });

  it('lets only raters on the team rate, only while onsite; hides ratings from the institution until findings', async () => {
    const inReview = await cases.inDeskReview();
    await client
      .put(`/api/v1/cases/${inReview.id}/ratings`, world.sessions.rater)
      .send({ ratings: [{ indicatorCode: '1.1.1', rating: 'met' }] })
      .expect(409);
    const onsite = await cases.onsite();
    await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.committee_member)
      .send({ ratings: [{ indicatorCode: '1.1.1', rating: 'met' }] })
      .expect(403);
    await client.get(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.institution_admin).expect(404);
    await client.get(`/api/v1/cases/${onsite.id}/results`, world.sessions.institution_admin).expect(404);
    await client.get(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.other_certifier_admin).expect(404);
  });
});
