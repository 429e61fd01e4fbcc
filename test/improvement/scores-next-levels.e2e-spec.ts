import { ApiClient } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { casesUnder } from '../support/editions-under-test';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

/**
 * Scores per item and tag and the path to the next level, on cases rated by hand, on both shipped
 * editions: cps-2022 (tiered) and cps-2016 (pass/fail; closed to new initial certifications, so its case
 * is a renewal of a certificate the institution holds). The world's institution offers credit with group
 * lending and a credit bureau; nothing else.
 */
describe('scores and the path to the next level', () => {
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

  const scoreOf = (body: { scores: { code: string }[] }, code: string) =>
    body.scores.find((score) => score.code === code);

  it('2022 (tiered): scores per standard, practice and tag; bronze reached, silver and gold blocked by name', async () => {
    const tiered = cases.withEdition('cps-2022');
    const onsite = await tiered.onsite();
    // Everything met except a progress indicator partially, an advanced one not met, an untagged one partially.
    await tiered.rateAll(onsite.id, {
      '1.1.2': 'partially_met',
      '1.2.3': 'not_met',
      '2.1.4': 'partially_met',
    });

    const results = await client.get(`/api/v1/cases/${onsite.id}/results`, world.sessions.rater).expect(200);
    expect(results.body.outcome).toEqual({ eligible: true, level: 'bronze' });
    // 1.1.1 met, 1.1.2 half, 1.2.1 and 1.2.2 met, 1.2.3 not met: 3.5 over 5.
    expect(scoreOf(results.body, '1')).toEqual({ code: '1', score: 0.7, applicable: 5, met: 3 });
    expect(scoreOf(results.body, '1.1')).toEqual({ code: '1.1', score: 0.75, applicable: 2, met: 1 });
    expect(scoreOf(results.body, '1.2')).toEqual({ code: '1.2', score: 0.6667, applicable: 3, met: 2 });
    // Neither digital channels nor agents: nothing of 1.3 applies.
    expect(scoreOf(results.body, '1.3')).toEqual({ code: '1.3', score: null, applicable: 0, met: 0 });
    expect(scoreOf(results.body, '2')).toEqual({ code: '2', score: 0.95, applicable: 10, met: 9 });
    expect(scoreOf(results.body, '2.1')).toEqual({ code: '2.1', score: 0.875, applicable: 4, met: 3 });
    expect(scoreOf(results.body, 'tag:entry')).toEqual({
      code: 'tag:entry',
      score: 1,
      applicable: 22,
      met: 22,
    });
    expect(scoreOf(results.body, 'tag:progress')).toEqual({
      code: 'tag:progress',
      score: 0.9706,
      applicable: 17,
      met: 16,
    });
    expect(scoreOf(results.body, 'tag:advanced')).toEqual({
      code: 'tag:advanced',
      score: 0.9091,
      applicable: 11,
      met: 10,
    });
    // Every standard, every practice and the three tags.
    expect(results.body.scores).toHaveLength(8 + 21 + 3);
    expect(results.body.nextLevels).toEqual([
      { level: 'silver', blockers: ['1.1.2'], missing: [] },
      { level: 'gold', blockers: ['1.1.2', '1.2.3'], missing: [] },
    ]);

    // The institution sees none of it before the findings are issued, then all of it.
    await client.get(`/api/v1/cases/${onsite.id}/results`, world.sessions.institution_admin).expect(404);
    await tiered.addFinding(onsite.id, ['1.1.2', '1.2.3', '2.1.4']);
    await tiered.transition(onsite.id, 'issue_findings', world.sessions.rater);
    const shown = await client
      .get(`/api/v1/cases/${onsite.id}/results`, world.sessions.institution_admin)
      .expect(200);
    expect(shown.body.nextLevels).toEqual(results.body.nextLevels);
    expect(shown.body.scores).toEqual(results.body.scores);
    await client
      .get(`/api/v1/cases/${onsite.id}/results`, world.sessions.other_institution_admin)
      .expect(404);
  });

  it('2022: an entry indicator not met blocks every level, and unrated ones count as not met', async () => {
    const tiered = cases.withEdition('cps-2022');
    const onsite = await tiered.onsite();
    await tiered.rateAll(onsite.id, { '3.1.1': 'not_met' });
    const results = await client.get(`/api/v1/cases/${onsite.id}/results`, world.sessions.rater).expect(200);
    expect(results.body.outcome).toEqual({ eligible: false });
    expect(results.body.nextLevels).toEqual([
      { level: 'bronze', blockers: ['3.1.1'], missing: [] },
      { level: 'silver', blockers: ['3.1.1'], missing: [] },
      { level: 'gold', blockers: ['3.1.1'], missing: [] },
    ]);
    expect(scoreOf(results.body, 'tag:entry')).toEqual({
      code: 'tag:entry',
      score: 0.9545,
      applicable: 22,
      met: 21,
    });

    const unrated = await tiered.onsite();
    await client
      .put(`/api/v1/cases/${unrated.id}/ratings`, world.sessions.rater)
      .send({ ratings: [{ indicatorCode: '1.1.1', rating: 'met' }] })
      .expect(200);
    const partial = await client.get(`/api/v1/cases/${unrated.id}/results`, world.sessions.rater).expect(200);
    expect(scoreOf(partial.body, '1.1')).toEqual({ code: '1.1', score: 0.5, applicable: 2, met: 1 });
    expect(partial.body.nextLevels[0].level).toBe('bronze');
    expect(partial.body.nextLevels[0].blockers).toHaveLength(21);
    expect(partial.body.nextLevels[0].blockers).not.toContain('1.1.1');
  });

  it('2016 (pass/fail): scores per principle and standard, no tags and no next level', async () => {
    const renewals = await casesUnder(client, world, 'cps-2016');
    const onsite = await renewals.onsite();
    expect(await renewals.read(onsite.id)).toMatchObject({ edition: { id: 'cps-2016' }, type: 'renewal' });
    await renewals.rateAll(onsite.id, {
      '1.1.1': 'partially_met',
      '1.2.1': 'not_met',
      '1.3.1': 'not_applicable',
    });
    const results = await client.get(`/api/v1/cases/${onsite.id}/results`, world.sessions.rater).expect(200);
    // 1.1: 1.1.1 half and 1.1.2 (credit) met; 1.2: 1.2.1 not met, 1.2.2 and 1.2.3 met; 1.3: 1.3.1 rated not applicable.
    expect(scoreOf(results.body, '1.1')).toEqual({ code: '1.1', score: 0.75, applicable: 2, met: 1 });
    expect(scoreOf(results.body, '1.2')).toEqual({ code: '1.2', score: 0.6667, applicable: 3, met: 2 });
    expect(scoreOf(results.body, '1.3')).toEqual({ code: '1.3', score: 1, applicable: 3, met: 3 });
    expect(scoreOf(results.body, '1')).toEqual({ code: '1', score: 0.8125, applicable: 8, met: 6 });
    expect(scoreOf(results.body, '2')).toEqual({ code: '2', score: 1, applicable: 17, met: 17 });
    expect(results.body.scores).toHaveLength(7 + 25);
    expect(results.body.scores.some((score: { code: string }) => score.code.startsWith('tag:'))).toBe(false);
    // Pass/fail: no level to reach, so no path to one; what blocks the certificate is the standards not met.
    expect(results.body.outcome).toEqual({ eligible: false });
    expect(results.body.nextLevels).toEqual([]);

    // The institution sees the scores once the findings are issued.
    await client.get(`/api/v1/cases/${onsite.id}/results`, world.sessions.institution_admin).expect(404);
    await renewals.addFinding(onsite.id, ['1.1.1', '1.2.1']);
    await renewals.transition(onsite.id, 'issue_findings', world.sessions.rater);
    const shown = await client
      .get(`/api/v1/cases/${onsite.id}/results`, world.sessions.institution_admin)
      .expect(200);
    expect(shown.body.scores).toEqual(results.body.scores);
    expect(shown.body.nextLevels).toEqual([]);
  });
});
