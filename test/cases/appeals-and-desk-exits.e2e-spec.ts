import type { Response } from 'supertest';
import { addDays, todayUtc } from '@app/common';
import { WindowClosingNoticesService } from '@app/notifications';
import { ApiClient, type Session } from '../support/api-client';
import { aSignedInUser } from '../support/builders';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

/**
 * Appeals as the schemes run them (issue 14, item 5) and the certification body's desk-review exits
 * (item 6), on cases of the 2022 edition.
 */
describe('appeals, escalation, re-rating and desk-review exits', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;
  let reviewer: Session;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world).withEdition('cps-2022');
    reviewer = await aSignedInUser(
      client,
      world.sessions.secretariat_admin,
      world.certifierId,
      'committee_member',
    );
  });

  afterAll(() => testApp?.close());

  const act = async (caseId: string, action: string, as: Session, extra: Record<string, unknown> = {}) => {
    const { version } = await cases.read(caseId);
    return client.post(`/api/v1/cases/${caseId}/transitions`, as).send({ action, version, ...extra });
  };
  const statusOf = (response: Response) => ({ status: response.status, code: response.body.code as unknown });

  /** A decided 2022 case, appealed, with an independent committee member added and declared. */
  const appealed = async (outcome: 'certified' | 'not_certified'): Promise<string> => {
    const decided = await cases.decided(outcome);
    await cases.transition(decided.id, 'appeal', world.sessions.institution_admin, {
      reason: 'The committee ignored the evidence on indicator 1.1.1',
    });
    await cases.assignTeam(decided.id, {
      leadRaterId: world.sessions.rater.userId,
      raterIds: [],
      committeeMemberIds: [world.sessions.committee_member.userId, reviewer.userId],
    });
    await cases.declare(decided.id, reviewer);
    return decided.id;
  };

  const notificationsOf = (caseId: string, kind: string) =>
    testApp.dataSource.query<{ user_id: string }[]>(
      'SELECT user_id FROM notification WHERE case_id = $1 AND kind = $2',
      [caseId, kind],
    );

  it('gives the body 14 days to answer an appeal, reminds it, shows the secretariat an overdue answer, and lets the institution escalate an unanswered appeal', async () => {
    const caseId = await appealed('certified');
    const read = await cases.read(caseId);
    const due = (read as unknown as { deadlines: { appealResponseDueOn: string } }).deadlines
      .appealResponseDueOn;
    expect(due).toBe(addDays(todayUtc(), 14));
    // Not overdue yet: the institution may not escalate.
    const early = await act(caseId, 'escalate_appeal', world.sessions.institution_admin, {
      reason: 'No answer',
    });
    expect(statusOf(early)).toEqual({ status: 422, code: 'APPEAL_NOT_RESOLVED' });

    const notices = testApp.app.get(WindowClosingNoticesService);
    await notices.notifyClosedWindows(addDays(due, -2));
    expect((await notificationsOf(caseId, 'case.appeal_response_due')).map((row) => row.user_id)).toEqual(
      expect.arrayContaining([world.sessions.certifier_admin.userId, reviewer.userId]),
    );
    await notices.notifyClosedWindows(addDays(due, 1));
    await notices.notifyClosedWindows(addDays(due, 1));
    const overdue = await notificationsOf(caseId, 'case.appeal_response_overdue');
    expect(overdue.map((row) => row.user_id)).toEqual(
      expect.arrayContaining([
        world.sessions.secretariat_officer.userId,
        world.sessions.secretariat_admin.userId,
      ]),
    );
    expect(new Set(overdue.map((row) => row.user_id)).size).toBe(overdue.length);

    // Past the answer date the appeal goes to the secretariat.
    await testApp.dataSource.query(
      `UPDATE certification_case SET appeal_response_due_on = $2 WHERE id = $1`,
      [caseId, addDays(todayUtc(), -1)],
    );
    const escalated = await act(caseId, 'escalate_appeal', world.sessions.institution_admin, {
      reason: 'The certification body never answered',
    });
    expect(escalated.status).toBe(200);
    expect(escalated.body.status).toBe('under_escalation');
  });

  it('escalates a contested resolution to the secretariat, which records its finding', async () => {
    const caseId = await appealed('certified');
    const resolved = await act(caseId, 'resolve_appeal', reviewer, {
      data: { result: 'upheld', rationale: 'The evidence was weighed' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.deadlines.escalationDueOn).toEqual(expect.any(String));
    const noReason = await act(caseId, 'escalate_appeal', world.sessions.institution_admin);
    expect(noReason.status).toBe(400);
    const byMember = await act(caseId, 'escalate_appeal', world.sessions.institution_member, { reason: 'x' });
    expect(byMember.status).toBe(403);
    const escalated = await act(caseId, 'escalate_appeal', world.sessions.institution_admin, {
      reason: 'The body did not look at the new client files',
    });
    expect(escalated.body.status).toBe('under_escalation');
    expect((await notificationsOf(caseId, 'case.escalate_appeal')).map((row) => row.user_id)).toContain(
      world.sessions.secretariat_admin.userId,
    );
    const byOfficer = await act(caseId, 'resolve_escalation', world.sessions.secretariat_officer, {
      data: { result: 'upheld', rationale: 'x' },
    });
    expect(byOfficer.status).toBe(403);
    const finding = await act(caseId, 'resolve_escalation', world.sessions.secretariat_admin, {
      data: { result: 'upheld', rationale: 'The decision is grounded in the ratings' },
    });
    expect(finding.status).toBe(200);
    expect(finding.body.status).toBe('decided');
    const decision = await client.get(`/api/v1/cases/${caseId}/decision`, world.sessions.institution_admin);
    expect(decision.body.appeal.escalation).toMatchObject({
      grounds: 'The body did not look at the new client files',
      result: 'upheld',
      rationale: 'The decision is grounded in the ratings',
    });
    // Escalated once: never again.
    const again = await act(caseId, 'escalate_appeal', world.sessions.institution_admin, { reason: 'Again' });
    expect(statusOf(again)).toEqual({ status: 422, code: 'APPEAL_NOT_RESOLVED' });
    // The decision stands: it can be published.
    await cases.transition(caseId, 'publish', world.sessions.secretariat_officer);
  });

  it('reopens the contested indicators on an upheld appeal: only they are re-rated, then a new referral and decision, the earlier package kept', async () => {
    const caseId = await appealed('not_certified');
    const resolved = await act(caseId, 'resolve_appeal', reviewer, {
      data: {
        result: 'overturned',
        reopenIndicators: ['1.1.1'],
        rationale: 'Indicator 1.1.1 must be re-rated',
      },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      status: 'findings_issued',
      reopenedIndicatorCodes: ['1.1.1'],
      outcome: null,
    });

    const ratings = await client.get(`/api/v1/cases/${caseId}/ratings`, world.sessions.rater);
    const versionOf = (code: string) =>
      (ratings.body.ratings as { indicatorCode: string; version: number }[]).find(
        (rating) => rating.indicatorCode === code,
      )!.version;
    const closed = await client.put(`/api/v1/cases/${caseId}/ratings`, world.sessions.rater).send({
      ratings: [{ indicatorCode: '1.1.2', rating: 'met', version: versionOf('1.1.2') }],
    });
    expect(statusOf(closed)).toEqual({ status: 409, code: 'CASE_LOCKED' });
    const reopened = await client.put(`/api/v1/cases/${caseId}/ratings`, world.sessions.rater).send({
      ratings: [
        {
          indicatorCode: '1.1.1',
          rating: 'met',
          version: versionOf('1.1.1'),
          justification: 'Re-rated on appeal',
        },
      ],
    });
    expect(reopened.status).toBe(200);

    await cases.transition(caseId, 'refer_to_committee', world.sessions.rater);
    const decided = await act(caseId, 'decide', world.sessions.committee_member, {
      data: { outcome: 'certified', rationale: 'Re-rated: every indicator met' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      status: 'decided',
      outcome: 'certified',
      reopenedIndicatorCodes: null,
    });
    const packages = await testApp.dataSource.query<{ outcome: string }[]>(
      'SELECT outcome FROM case_decision WHERE case_id = $1 ORDER BY decided_at',
      [caseId],
    );
    expect(packages.map((row) => row.outcome)).toEqual(['not_certified', 'certified']);
  });

  it('postpones after the desk review: back to submitted with a date and a reason, the institution notified', async () => {
    const inReview = await cases.inDeskReview();
    const past = await act(inReview.id, 'postpone', world.sessions.certifier_admin, {
      reason: 'Not ready',
      data: { until: addDays(todayUtc(), -1) },
    });
    expect(past.status).toBe(400);
    const byRater = await act(inReview.id, 'postpone', world.sessions.rater, {
      reason: 'Not ready',
      data: { until: addDays(todayUtc(), 60) },
    });
    expect(byRater.status).toBe(403);
    const until = addDays(todayUtc(), 60);
    const postponed = await act(inReview.id, 'postpone', world.sessions.certifier_admin, {
      reason: 'The MIS migration is not finished; come back after it',
      data: { until },
    });
    expect(postponed.status).toBe(200);
    expect(postponed.body).toMatchObject({ status: 'submitted', deadlines: { postponedUntil: until } });
    expect((await notificationsOf(inReview.id, 'case.postpone')).map((row) => row.user_id)).toContain(
      world.sessions.institution_admin.userId,
    );
    const history = await client.get(
      `/api/v1/cases/${inReview.id}/history`,
      world.sessions.institution_admin,
    );
    expect(history.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'case.postpone',
          reason: 'The MIS migration is not finished; come back after it',
          data: { until },
        }),
      ]),
    );
  });

  it('declines after the desk review with a reason, audited, the institution notified', async () => {
    const inReview = await cases.inDeskReview();
    const noReason = await act(inReview.id, 'decline', world.sessions.certifier_admin);
    expect(noReason.status).toBe(400);
    const declined = await act(inReview.id, 'decline', world.sessions.certifier_admin, {
      reason: 'The desk review shows no complaints mechanism at all',
    });
    expect(declined.body.status).toBe('declined');
    expect((await notificationsOf(inReview.id, 'case.decline')).map((row) => row.user_id)).toContain(
      world.sessions.institution_admin.userId,
    );
    const [audited] = await testApp.dataSource.query<{ reason: string }[]>(
      `SELECT reason FROM audit_event WHERE case_id = $1 AND action = 'case.decline'`,
      [inReview.id],
    );
    expect(audited.reason).toBe('The desk review shows no complaints mechanism at all');
  });

  it('continues a case as a confidential pre-assessment that never publishes a certificate', async () => {
    const inReview = await cases.inDeskReview();
    const converted = await act(inReview.id, 'convert_to_pre_assessment', world.sessions.certifier_admin, {
      reason: 'The institution is not ready: a pre-assessment shows what to fix',
    });
    expect(converted.body).toMatchObject({ status: 'desk_review', isPreAssessment: true });
    expect((await notificationsOf(inReview.id, 'case.convert_to_pre_assessment')).length).toBeGreaterThan(0);

    await cases.declare(inReview.id, world.sessions.rater);
    await cases.declare(inReview.id, world.sessions.committee_member);
    await cases.setMission(inReview.id);
    await cases.transition(inReview.id, 'start_onsite', world.sessions.rater);
    await cases.rateAll(inReview.id);
    await cases.transition(inReview.id, 'issue_findings', world.sessions.rater);
    await cases.transition(inReview.id, 'refer_to_committee', world.sessions.rater);
    await cases.transition(inReview.id, 'decide', world.sessions.committee_member, {
      data: { outcome: 'certified', rationale: 'Ready for certification' },
    });
    await cases.transition(inReview.id, 'accept_decision', world.sessions.institution_admin);
    const published = await act(inReview.id, 'publish', world.sessions.secretariat_officer);
    expect(statusOf(published)).toEqual({ status: 422, code: 'PRE_ASSESSMENT_NOT_PUBLISHABLE' });
    const closed = await act(inReview.id, 'close', world.sessions.secretariat_officer);
    expect(closed.body.status).toBe('closed');
    const certificates = await testApp.dataSource.query<unknown[]>(
      'SELECT 1 FROM certificate WHERE case_id = $1',
      [inReview.id],
    );
    expect(certificates).toEqual([]);
  });
});
