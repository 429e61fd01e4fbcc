import { QaSamplingService } from '@app/field';
import { ApiClient } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

interface QaReview {
  id: string;
  caseId: string;
  status: string;
  reasons: string[];
  findings: { severity: string; indicatorCode: string | null; description: string }[];
  version: number;
  response: string | null;
}

describe('quality assurance: sampling decided cases, QA reviews and the quality view', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;
  /** Decided certified, every indicator met, no evidence cited: flagged. */
  let unsupportedCaseId: string;
  /** Decided not certified although every indicator is met: against the results rule (and unsupported). */
  let refusedCaseId: string;
  /** Decided certified with a rating citing evidence: not flagged, and the random share is 0. */
  let supportedCaseId: string;
  let review: QaReview;

  beforeAll(async () => {
    // No random share: only the flagged patterns select a case, so the selection is known in advance.
    testApp = await startTestApp({ QA_SAMPLE_SHARE: '0' });
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
    unsupportedCaseId = (await cases.decided('certified')).id;
    refusedCaseId = (await cases.decided('not_certified')).id;
    supportedCaseId = await decidedWithEvidence();
  }, 300_000);

  afterAll(() => testApp?.close());

  async function decidedWithEvidence(): Promise<string> {
    const onsite = await cases.onsite();
    await cases.rateAll(onsite.id);
    const uploaded = await client
      .post(`/api/v1/cases/${onsite.id}/evidence`, world.sessions.rater)
      .field('title', 'Loan files reviewed')
      .field('indicatorCodes', '1.1.1')
      .attach('file', PDF, 'loan-files.pdf');
    expect(uploaded.status).toBe(201);
    const ratings = await client.get(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater);
    const rated = (
      ratings.body.ratings as { indicatorCode: string; applicable: boolean; version: number }[]
    ).find((rating) => rating.applicable)!;
    const cited = await client.put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater).send({
      ratings: [
        {
          indicatorCode: rated.indicatorCode,
          rating: 'met',
          evidenceIds: [uploaded.body.id as string],
          version: rated.version,
        },
      ],
    });
    expect(cited.status).toBe(200);
    const issued = await cases.transition(onsite.id, 'issue_findings', world.sessions.rater);
    await cases.transition(issued.id, 'refer_to_committee', world.sessions.rater);
    await cases.transition(issued.id, 'decide', world.sessions.committee_member, {
      data: { outcome: 'certified', rationale: 'Every applicable standard is met' },
    });
    return onsite.id;
  }

  it('checks each decision once, selecting the flagged ones with their reasons, and audits each selection', async () => {
    const sampling = testApp.app.get(QaSamplingService);
    expect(await sampling.run()).toEqual({ checked: 3, selected: 2 });
    expect(await sampling.run()).toEqual({ checked: 0, selected: 0 });

    const checks = await testApp.dataSource.query<
      {
        case_id: string;
        reasons: string[];
        is_selected: boolean;
        sample_share: string;
        details: Record<string, unknown>;
      }[]
    >('SELECT case_id, reasons, is_selected, sample_share, details FROM qa_case_check');
    const checkOf = (caseId: string) => checks.find((check) => check.case_id === caseId);
    expect(checkOf(unsupportedCaseId)).toMatchObject({
      reasons: ['all_met_without_evidence'],
      is_selected: true,
      sample_share: '0.000000000',
    });
    expect(checkOf(refusedCaseId)).toMatchObject({
      reasons: ['all_met_without_evidence', 'decision_against_results'],
      is_selected: true,
      details: expect.objectContaining({
        decided: { outcome: 'not_certified', level: null },
        computed: expect.objectContaining({ outcome: 'certified' }),
      }),
    });
    expect(checkOf(supportedCaseId)).toMatchObject({ reasons: [], is_selected: false });

    const audited = await testApp.dataSource.query<{ entity_id: string; case_id: string | null }[]>(
      `SELECT entity_id, case_id FROM audit_event WHERE action = 'qa.case_selected' ORDER BY entity_id`,
    );
    expect(audited.map((event) => event.entity_id).sort()).toEqual([unsupportedCaseId, refusedCaseId].sort());
    // Not in the case history: QA is between the secretariat and the certification body.
    expect(audited.every((event) => event.case_id === null)).toBe(true);

    const sample = await client.get('/api/v1/qa-reviews/sample', world.sessions.secretariat_officer);
    expect(sample.status).toBe(200);
    expect(sample.body.total).toBe(2);
    expect(sample.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          caseId: refusedCaseId,
          certifierId: world.certifierId,
          reasons: ['all_met_without_evidence', 'decision_against_results'],
          sampleShare: 0,
          reviewId: null,
        }),
      ]),
    );
    expect((await client.get('/api/v1/qa-reviews/sample', world.sessions.certifier_admin)).status).toBe(403);
  });

  it('reviews a selected case with findings to its certification body, one open review per case, decided cases only', async () => {
    const created = await client.post('/api/v1/qa-reviews', world.sessions.secretariat_officer).send({
      caseId: unsupportedCaseId,
      summary: 'Ratings were not supported by evidence',
      findings: [
        {
          severity: 'major',
          indicatorCode: '1.1.1',
          description: 'Rated met with no document or interview cited',
        },
        { severity: 'observation', description: 'The mission report does not list the branches visited' },
      ],
    });
    expect(created.status).toBe(201);
    review = created.body as QaReview;
    expect(review).toMatchObject({
      caseId: unsupportedCaseId,
      status: 'issued',
      reasons: ['all_met_without_evidence'],
      version: 1,
      findings: [
        { severity: 'major', indicatorCode: '1.1.1' },
        { severity: 'observation', indicatorCode: null },
      ],
    });

    const again = await client
      .post('/api/v1/qa-reviews', world.sessions.secretariat_admin)
      .send({ caseId: unsupportedCaseId, summary: 'Second look', findings: [] });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_EXISTS');

    const undecided = await cases.submitted();
    const early = await client
      .post('/api/v1/qa-reviews', world.sessions.secretariat_admin)
      .send({ caseId: undecided.id, summary: 'Too early', findings: [] });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('CASE_NOT_DECIDED');
    const unknown = await client
      .post('/api/v1/qa-reviews', world.sessions.secretariat_admin)
      .send({ caseId: '00000000-0000-4000-8000-000000000000', summary: 'Nothing', findings: [] });
    expect(unknown.status).toBe(404);
    const bad = await client
      .post('/api/v1/qa-reviews', world.sessions.secretariat_admin)
      .send({ caseId: supportedCaseId, summary: 'x', findings: [{ severity: 'fatal', description: 'x' }] });
    expect(bad.status).toBe(400);

    // A case the job did not select may still be reviewed: its reason is `manual`.
    const manual = await client
      .post('/api/v1/qa-reviews', world.sessions.secretariat_admin)
      .send({ caseId: supportedCaseId, summary: 'Spot check', findings: [] });
    expect(manual.status).toBe(201);
    expect(manual.body.reasons).toEqual(['manual']);

    const sample = await client.get('/api/v1/qa-reviews/sample', world.sessions.secretariat_admin);
    expect(sample.body.items.map((item: { caseId: string }) => item.caseId)).toEqual([refusedCaseId]);
  });

  it('shows the reviews to the certification body of the case only, never to institutions', async () => {
    const own = await client.get('/api/v1/qa-reviews', world.sessions.certifier_admin);
    expect(own.status).toBe(200);
    expect(own.body.total).toBe(2);
    expect((await client.get(`/api/v1/qa-reviews/${review.id}`, world.sessions.certifier_admin)).status).toBe(
      200,
    );

    const other = await client.get('/api/v1/qa-reviews', world.sessions.other_certifier_admin);
    expect(other.body).toMatchObject({ items: [], total: 0 });
    const otherFiltered = await client.get(
      `/api/v1/qa-reviews?certifierId=${world.certifierId}`,
      world.sessions.other_certifier_admin,
    );
    expect(otherFiltered.body.total).toBe(0);
    expect(
      (await client.get(`/api/v1/qa-reviews/${review.id}`, world.sessions.other_certifier_admin)).status,
    ).toBe(404);
    for (const session of [
      world.sessions.institution_admin,
      world.sessions.rater,
      world.sessions.committee_member,
    ]) {
      expect((await client.get('/api/v1/qa-reviews', session)).status).toBe(403);
      expect((await client.get(`/api/v1/qa-reviews/${review.id}`, session)).status).toBe(403);
    }
    const history = await client.get(
      `/api/v1/cases/${unsupportedCaseId}/history`,
      world.sessions.institution_admin,
    );
    expect(JSON.stringify(history.body)).not.toMatch(/qa[._]/);

    const filtered = await client.get(
      `/api/v1/qa-reviews?status=issued&caseId=${unsupportedCaseId}`,
      world.sessions.secretariat_admin,
    );
    expect(filtered.body.items.map((item: QaReview) => item.id)).toEqual([review.id]);
  });

  it('takes the certification body response once, then the secretariat closes the review, each change audited', async () => {
    const stranger = await client
      .post(`/api/v1/qa-reviews/${review.id}/response`, world.sessions.other_certifier_admin)
      .send({ version: 1, response: 'Not ours' });
    expect(stranger.status).toBe(404);
    const stale = await client
      .post(`/api/v1/qa-reviews/${review.id}/response`, world.sessions.certifier_admin)
      .send({ version: 7, response: 'We will retrain' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    const answered = await client
      .post(`/api/v1/qa-reviews/${review.id}/response`, world.sessions.certifier_admin)
      .send({ version: 1, response: 'Raters will cite the documents for every indicator from now on' });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({
      status: 'responded',
      version: 2,
      respondedByName: expect.any(String),
    });
    const twice = await client
      .post(`/api/v1/qa-reviews/${review.id}/response`, world.sessions.certifier_admin)
      .send({ version: 2, response: 'Again' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('INVALID_TRANSITION');
    expect(
      (
        await client
          .post(`/api/v1/qa-reviews/${review.id}/close`, world.sessions.certifier_admin)
          .send({ version: 2, note: 'Closing our own' })
      ).status,
    ).toBe(403);

    const closed = await client
      .post(`/api/v1/qa-reviews/${review.id}/close`, world.sessions.secretariat_admin)
      .send({ version: 2, note: 'Answer accepted; follow up at the next sample' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', version: 3, closingNote: expect.any(String) });

    const events = await testApp.dataSource.query<
      { action: string; from_status: string | null; to_status: string }[]
    >(
      `SELECT action, from_status, to_status FROM audit_event WHERE entity_type = 'qa_review' AND entity_id = $1
        ORDER BY sequence`,
      [review.id],
    );
    expect(events).toEqual([
      { action: 'qa_review.issued', from_status: null, to_status: 'issued' },
      { action: 'qa_review.responded', from_status: 'issued', to_status: 'responded' },
      { action: 'qa_review.closed', from_status: 'responded', to_status: 'closed' },
    ]);

    // Each step told the other party: the body's admins of the issue and the close, the reviewer of
    // the answer; no one else.
    const kindsOf = async (session: (typeof world.sessions)[keyof typeof world.sessions]) =>
      (await client.get('/api/v1/me/notifications?pageSize=100', session)).body.items
        .filter((item: { kind: string }) => item.kind.startsWith('qa_review.'))
        .map((item: { kind: string; caseId: string }) => [item.kind, item.caseId]);
    expect(await kindsOf(world.sessions.certifier_admin)).toEqual(
      expect.arrayContaining([
        ['qa_review.issued', unsupportedCaseId],
        ['qa_review.closed', unsupportedCaseId],
      ]),
    );
    expect(await kindsOf(world.sessions.secretariat_officer)).toEqual([
      ['qa_review.responded', unsupportedCaseId],
    ]);
    expect(await kindsOf(world.sessions.other_certifier_admin)).toEqual([]);
    expect(await kindsOf(world.sessions.institution_admin)).toEqual([]);
    expect(await kindsOf(world.sessions.rater)).toEqual([]);

    // Closed: a new review of the same case may follow.
    const followUp = await client.post('/api/v1/qa-reviews', world.sessions.secretariat_admin).send({
      caseId: unsupportedCaseId,
      summary: 'Follow-up',
      findings: [{ severity: 'minor', description: 'x' }],
    });
    expect(followUp.status).toBe(201);
  });

  it('feeds the quality view per certification body: decisions checked, flagged patterns, reviews, findings by severity', async () => {
    const quality = await client.get('/api/v1/qa-reviews/quality', world.sessions.secretariat_admin);
    expect(quality.status).toBe(200);
    const line = (quality.body.certifiers as { certifierId: string }[]).find(
      (certifier) => certifier.certifierId === world.certifierId,
    );
    expect(line).toEqual({
      certifierId: world.certifierId,
      certifierName: expect.any(String),
      decidedCases: 3,
      checkedCases: 3,
      selectedCases: 2,
      reasons: {
        sampled: 0,
        all_met_without_evidence: 2,
        decision_against_results: 1,
        committee_dissent: 0,
      },
      reviews: 3,
      reviewsByStatus: { issued: 2, responded: 0, closed: 1 },
      findingsBySeverity: { major: 1, minor: 1, observation: 1 },
    });
    const otherLine = (quality.body.certifiers as { certifierId: string }[]).find(
      (certifier) => certifier.certifierId === world.otherCertifierId,
    );
    expect(otherLine).toMatchObject({ decidedCases: 0, reviews: 0 });

    const own = await client.get('/api/v1/qa-reviews/quality', world.sessions.certifier_admin);
    expect(own.body.certifiers).toEqual([
      expect.objectContaining({ certifierId: world.certifierId, reviews: 3 }),
    ]);
    expect((await client.get('/api/v1/qa-reviews/quality', world.sessions.institution_admin)).status).toBe(
      403,
    );
  });
});
