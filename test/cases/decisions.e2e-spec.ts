import { createHash } from 'node:crypto';
import { ApiClient, type Session } from '../support/api-client';
import { aSignedInUser } from '../support/builders';
import { CaseBuilder, type CaseRef } from '../support/case-builder';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { indicatorsOfDocument } from '../support/edition-builder';

describe('committee decisions, sealed packages and appeals', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;
  let independentMember: Session;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
    const root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    independentMember = await aSignedInUser(client, root, world.certifierId, 'committee_member');
  });

  afterAll(() => testApp?.close());

  async function inCommitteeReview(builder: CaseBuilder, notMet: string[] = []): Promise<CaseRef> {
    const issued = await builder.findingsIssued(notMet);
    const findings = await client.get(
      `/api/v1/cases/${issued.id}/findings`,
      world.sessions.institution_admin,
    );
    for (const finding of findings.body.items) {
      await client
        .post(`/api/v1/findings/${finding.id}/responses`, world.sessions.institution_admin)
        .send({ text: 'Corrective action plan adopted by the board' })
        .expect(201);
    }
    return builder.transition(issued.id, 'refer_to_committee', world.sessions.rater);
  }

  async function decide(
    caseId: string,
    data: Record<string, unknown>,
    expectedStatus: number,
    as: Session = world.sessions.committee_member,
  ) {
    const { version } = await cases.read(caseId);
    return client
      .post(`/api/v1/cases/${caseId}/transitions`, as)
      .send({ action: 'decide', version, data })
      .expect(expectedStatus);
  }

  it('decides a passing 2016 case certified and seals a package whose hash re-computes', async () => {
    const review = await inCommitteeReview(cases);
    const decided = await decide(review.id, { outcome: 'certified', rationale: 'Every standard met' }, 200);
    expect(decided.body).toMatchObject({ status: 'decided', outcome: 'certified', level: null });
    expect(decided.body.deadlines.appealDueOn).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));

    const decision = await client
      .get(`/api/v1/cases/${review.id}/decision`, world.sessions.institution_admin)
      .expect(200);
    expect(decision.body).toMatchObject({
      outcome: 'certified',
      rationale: 'Every standard met',
      decidedBy: { id: world.sessions.committee_member.userId },
      packageSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const [stored] = await testApp.dataSource.query(
      'SELECT package_json FROM case_decision WHERE case_id = $1',
      [review.id],
    );
    expect(createHash('sha256').update(stored.package_json).digest('hex')).toBe(decision.body.packageSha256);
    const sealed = JSON.parse(stored.package_json);
    expect(sealed.edition.id).toBe(world.openEditionId);
    expect(sealed.ratings.length).toBeGreaterThan(50);
    expect(sealed.decision.outcome).toBe('certified');
    await expect(
      testApp.dataSource.query("UPDATE case_decision SET rationale = 'x' WHERE case_id = $1", [review.id]),
    ).rejects.toThrow(/sealed/);
  });

  it('refuses certified when an indicator is not met, decides not certified, and an independent member resolves the appeal', async () => {
    const review = await inCommitteeReview(cases, ['2.1.1']);
    const refused = await decide(review.id, { outcome: 'certified', rationale: 'Close enough' }, 422);
    expect(refused.body.code).toBe('DECISION_RULE_NOT_MET');
    const noRationale = await decide(review.id, { outcome: 'not_certified' }, 400);
    expect(noRationale.body.details).toEqual([{ field: 'data.rationale', message: 'is required' }]);
    await decide(
      review.id,
      { outcome: 'not_certified', rationale: 'Standard 2.1 is not met' },
      403,
      world.sessions.rater,
    );
    const decided = await decide(
      review.id,
      {
        outcome: 'not_certified',
        rationale: 'Standard 2.1 is not met',
      },
      200,
    );
    expect(decided.body.outcome).toBe('not_certified');

    const grounds = 'The sample of loan files was not representative of our rural branches';
    await cases.transition(review.id, 'appeal', world.sessions.institution_admin, { reason: grounds });
    const byDecider = await client
      .post(`/api/v1/cases/${review.id}/transitions`, world.sessions.committee_member)
      .send({
        action: 'resolve_appeal',
        version: (await cases.read(review.id)).version,
        data: { result: 'upheld', rationale: 'x' },
      })
      .expect(422);
    expect(byDecider.body.code).toBe('APPEAL_REVIEWER_NOT_INDEPENDENT');

    // The certification body adds a committee member who took no part.
    const current = await cases.read(review.id);
    await client
      .put(`/api/v1/cases/${review.id}/team`, world.sessions.certifier_admin)
      .send({
        version: current.version,
        leadRaterId: world.sessions.rater.userId,
        raterIds: [],
        committeeMemberIds: [world.sessions.committee_member.userId, independentMember.userId],
      })
      .expect(200);
    // Impartiality at the moment of judgement: the new member declares before resolving.
    await cases.declare(review.id, independentMember);
    const resolved = await cases.transition(review.id, 'resolve_appeal', independentMember, {
      data: { result: 'upheld', rationale: 'The sample followed the methodology' },
    });
    expect(resolved).toMatchObject({ status: 'decided', outcome: 'not_certified' });
    const decision = await client
      .get(`/api/v1/cases/${review.id}/decision`, world.sessions.institution_admin)
      .expect(200);
    expect(decision.body.appeal).toMatchObject({
      grounds,
      result: 'upheld',
      resolvedBy: independentMember.userId,
    });
    // The resolution ends the appeal window: the secretariat, who closes or publishes next, is told.
    const officerInbox = await client
      .get('/api/v1/me/notifications?pageSize=100', world.sessions.secretariat_officer)
      .expect(200);
    expect(
      (officerInbox.body.items as { kind: string; caseId: string }[]).filter(
        (item) => item.caseId === review.id && item.kind === 'case.resolve_appeal',
      ),
    ).toHaveLength(1);

    const again = await client
      .post(`/api/v1/cases/${review.id}/transitions`, world.sessions.institution_admin)
      .send({ action: 'appeal', version: resolved.version, reason: 'Again' })
      .expect(422);
    expect(['APPEAL_WINDOW_CLOSED', 'APPEAL_ALREADY_MADE']).toContain(again.body.code);
    // The institution may still escalate the resolution: no closing before it accepts (or the window passes).
    const early = await client
      .post(`/api/v1/cases/${review.id}/transitions`, world.sessions.secretariat_officer)
      .send({ action: 'close', version: resolved.version })
      .expect(422);
    expect(early.body.code).toBe('ESCALATION_WINDOW_OPEN');
    await cases.transition(review.id, 'accept_decision', world.sessions.institution_admin);
    const closed = await cases.transition(review.id, 'close', world.sessions.secretariat_officer);
    expect(closed.status).toBe('closed');
  });

  it('earns silver on a 2022 case and cannot be decided gold', async () => {
    const builder = cases.withEdition('cps-2022');
    const edition = await client.get('/api/v1/standards/cps-2022');
    const advanced = indicatorsOfDocument<{ code: string; tag?: string }>(edition.body)
      .filter((indicator) => indicator.tag === 'advanced')
      .map((indicator) => indicator.code);
    // One advanced indicator not met: entry and progress hold, so silver.
    const review = await inCommitteeReview(builder, advanced.slice(0, 1));
    const results = await client
      .get(`/api/v1/cases/${review.id}/results`, world.sessions.committee_member)
      .expect(200);
    expect(results.body.outcome).toEqual({ eligible: true, level: 'silver' });
    const gold = await decide(
      review.id,
      {
        outcome: 'certified',
        level: 'gold',
        rationale: 'Exemplary',
      },
      422,
    );
    expect(gold.body.code).toBe('LEVEL_NOT_EARNED');
    const silver = await decide(
      review.id,
      {
        outcome: 'certified',
        level: 'silver',
        rationale: 'Entry and progress met',
      },
      200,
    );
    expect(silver.body).toMatchObject({ outcome: 'certified', level: 'silver' });
  });

  it('refuses an appeal after the window, after acceptance, and closing while the window is open', async () => {
    const review = await inCommitteeReview(cases, ['3.1.1']);
    await decide(review.id, { outcome: 'not_certified', rationale: 'Transparency gap' }, 200);
    const { version } = await cases.read(review.id);
    const early = await client
      .post(`/api/v1/cases/${review.id}/transitions`, world.sessions.secretariat_officer)
      .send({ action: 'close', version })
      .expect(422);
    expect(early.body.code).toBe('APPEAL_WINDOW_OPEN');

    await testApp.dataSource.query(
      'UPDATE certification_case SET appeal_due_on = current_date - 1 WHERE id = $1',
      [review.id],
    );
    const late = await client
      .post(`/api/v1/cases/${review.id}/transitions`, world.sessions.institution_admin)
      .send({ action: 'appeal', version, reason: 'Late grounds' })
      .expect(422);
    expect(late.body.code).toBe('APPEAL_WINDOW_CLOSED');

    const certified = await inCommitteeReview(cases);
    await decide(certified.id, { outcome: 'certified', rationale: 'All met' }, 200);
    await cases.transition(certified.id, 'accept_decision', world.sessions.institution_admin);
    const afterAcceptance = await client
      .post(`/api/v1/cases/${certified.id}/transitions`, world.sessions.institution_admin)
      .send({
        action: 'appeal',
        version: (await cases.read(certified.id)).version,
        reason: 'Changed our mind',
      })
      .expect(422);
    expect(afterAcceptance.body.code).toBe('DECISION_ACCEPTED');
    const closeCertified = await client
      .post(`/api/v1/cases/${certified.id}/transitions`, world.sessions.secretariat_officer)
      .send({ action: 'close', version: (await cases.read(certified.id)).version })
      .expect(422);
    expect(closeCertified.body.code).toBe('CASE_CERTIFIED');
  });
});
