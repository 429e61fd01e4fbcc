import { ApiClient } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

function workingDaysAfter(from: Date, count: number): string {
  const date = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  let remaining = count;
  while (remaining > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6) remaining -= 1;
  }
  return date.toISOString().slice(0, 10);
}

describe('findings, issuing them and referring to the committee', () => {
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

  it('records findings while onsite, hidden from the institution until they are issued', async () => {
    const onsite = await cases.onsite();
    const finding = await cases.addFinding(onsite.id, ['2.1.1']);
    const listed = await client
      .get(`/api/v1/cases/${onsite.id}/findings`, world.sessions.certifier_admin)
      .expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: finding.id, indicatorCodes: ['2.1.1'], status: 'open' }),
    ]);
    await client.get(`/api/v1/cases/${onsite.id}/findings`, world.sessions.institution_admin).expect(404);
    const unknown = await client
      .post(`/api/v1/cases/${onsite.id}/findings`, world.sessions.rater)
      .send({ indicatorCodes: ['9.9.9'], severity: 'minor', description: 'x', recommendation: 'y' })
      .expect(422);
    expect(unknown.body.code).toBe('UNKNOWN_INDICATOR_CODES');
    const updated = await client
      .patch(`/api/v1/findings/${finding.id}`, world.sessions.rater)
      .send({ version: finding.version, severity: 'minor' })
      .expect(200);
    expect(updated.body).toMatchObject({ severity: 'minor', version: finding.version + 1 });
    await client
      .patch(`/api/v1/findings/${finding.id}`, world.sessions.rater)
      .send({ version: finding.version, severity: 'observation' })
      .expect(409);
    await client
      .post(`/api/v1/cases/${onsite.id}/findings`, world.sessions.committee_member)
      .send({ indicatorCodes: ['2.1.1'], severity: 'minor', description: 'x', recommendation: 'y' })
      .expect(403);
  });

  it('refuses to issue findings with unrated indicators', async () => {
    const onsite = await cases.onsite();
    const { version } = await cases.read(onsite.id);
    const refused = await client
      .post(`/api/v1/cases/${onsite.id}/transitions`, world.sessions.rater)
      .send({ action: 'issue_findings', version })
      .expect(422);
    expect(refused.body.code).toBe('UNRATED_INDICATORS');
    expect((await cases.read(onsite.id)).status).toBe('onsite');
  });

  it('refuses to issue findings while a non-compliant indicator has no finding', async () => {
    const onsite = await cases.onsite();
    await cases.rateAll(onsite.id, { '2.1.1': 'not_met' });
    const { version } = await cases.read(onsite.id);
    const refused = await client
      .post(`/api/v1/cases/${onsite.id}/transitions`, world.sessions.rater)
      .send({ action: 'issue_findings', version })
      .expect(422);
    expect(refused.body).toMatchObject({
      code: 'NON_COMPLIANT_WITHOUT_FINDING',
      details: [{ indicatorCode: '2.1.1' }],
    });
    await cases.addFinding(onsite.id, ['2.1.1']);
    const issued = await cases.transition(onsite.id, 'issue_findings', world.sessions.rater);
    expect(issued.status).toBe('findings_issued');
    expect((issued as any).deadlines.responseDueOn).toBe(workingDaysAfter(new Date(), 20));
  });

  it('takes a response date chosen by the lead rater and refuses one in the past', async () => {
    const onsite = await cases.onsite();
    await cases.rateAll(onsite.id);
    const { version } = await cases.read(onsite.id);
    const past = await client
      .post(`/api/v1/cases/${onsite.id}/transitions`, world.sessions.rater)
      .send({ action: 'issue_findings', version, data: { responseDueOn: '2020-01-01' } })
      .expect(400);
    expect(past.body.details).toEqual([
      { field: 'data.responseDueOn', message: 'must be a date after today' },
    ]);
    const issued = await client
      .post(`/api/v1/cases/${onsite.id}/transitions`, world.sessions.rater)
      .send({ action: 'issue_findings', version, data: { responseDueOn: '2030-06-28' } })
      .expect(200);
    expect(issued.body.deadlines.responseDueOn).toBe('2030-06-28');
  });

  it('lets the institution answer, the rater resolve, and refers the case once every finding is answered', async () => {
    const issued = await cases.findingsIssued(['2.1.1', '3.1.1']);
    const findings = await client
      .get(`/api/v1/cases/${issued.id}/findings`, world.sessions.institution_admin)
      .expect(200);
    expect(findings.body.items).toHaveLength(1);
    const [finding] = findings.body.items;
    await client.get(`/api/v1/cases/${issued.id}/results`, world.sessions.institution_member).expect(200);

    const { version } = await cases.read(issued.id);
    const early = await client
      .post(`/api/v1/cases/${issued.id}/transitions`, world.sessions.rater)
      .send({ action: 'refer_to_committee', version })
      .expect(422);
    expect(early.body.code).toBe('FINDINGS_UNANSWERED');

    const foreign = await client
      .post(`/api/v1/findings/${finding.id}/responses`, world.sessions.institution_member)
      .send({ text: 'See the new policy', evidenceIds: ['8f14e45f-ceea-4e6b-9c8b-3f1f2a1b2c3d'] })
      .expect(422);
    expect(foreign.body.code).toBe('EVIDENCE_NOT_IN_CASE');
    const answered = await client
      .post(`/api/v1/findings/${finding.id}/responses`, world.sessions.institution_member)
      .send({ text: 'The capacity analysis now applies to every cycle; see the circular of 2 March.' })
      .expect(201);
    expect(answered.body.responses).toHaveLength(1);
    await client
      .post(`/api/v1/findings/${finding.id}/responses`, world.sessions.other_institution_admin)
      .send({ text: 'Not mine' })
      .expect(404);
    const resolved = await client
      .post(`/api/v1/findings/${finding.id}/resolution`, world.sessions.rater)
      .send({ status: 'resolved', note: 'Circular reviewed and applied in the sampled files' })
      .expect(201);
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolutionNote: 'Circular reviewed and applied in the sampled files',
    });

    const referred = await cases.transition(issued.id, 'refer_to_committee', world.sessions.rater);
    expect(referred.status).toBe('committee_review');
    // Ratings and findings freeze in committee review.
    await client
      .put(`/api/v1/cases/${issued.id}/ratings`, world.sessions.rater)
      .send({ ratings: [{ indicatorCode: '1.1.1', rating: 'met', version: 1 }] })
      .expect(409);
    await client
      .patch(`/api/v1/findings/${finding.id}`, world.sessions.rater)
      .send({ version: resolved.body.version, severity: 'minor' })
      .expect(409);

    const noReason = await client
      .post(`/api/v1/cases/${issued.id}/transitions`, world.sessions.committee_member)
      .send({ action: 'return_to_team', version: referred.version })
      .expect(400);
    expect(noReason.body.details).toEqual([{ field: 'reason', message: 'is required' }]);
    await client
      .post(`/api/v1/cases/${issued.id}/transitions`, world.sessions.rater)
      .send({ action: 'return_to_team', version: referred.version, reason: 'Self' })
      .expect(403);
    const returned = await cases.transition(issued.id, 'return_to_team', world.sessions.committee_member, {
      reason: 'Indicator 2.1.1 needs a second file sample',
    });
    expect(returned.status).toBe('findings_issued');

    const history = await client.get(`/api/v1/cases/${issued.id}/history`, world.sessions.secretariat_admin);
    const actions = history.body.map((event: any) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'finding.created',
        'case.issue_findings',
        'finding.responded',
        'finding.resolution_recorded',
        'case.refer_to_committee',
        'case.return_to_team',
      ]),
    );
    const verification = await client.get('/api/v1/audit/verify', world.sessions.secretariat_admin);
    expect(verification.body.valid).toBe(true);
  });
});
