import type { Response } from 'supertest';
import { addDays, todayUtc } from '@app/common';
import { WindowClosingNoticesService } from '@app/notifications';
import { ApiClient, type Session } from '../support/api-client';
import { aSignedInUser } from '../support/builders';
import { CaseBuilder } from '../support/case-builder';
import { casesUnder, SHIPPED_EDITIONS } from '../support/editions-under-test';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

/**
 * Appeals as the schemes run them (issue 14, item 5) and the certification body's desk-review exits
 * (item 6), on both shipped editions: cps-2022 cases are initial certifications; cps-2016, closed to new
 * initial certifications, takes its cases as renewals of a certificate the institution holds.
 */
describe('appeals, escalation, re-rating and desk-review exits', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let reviewer: Session;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    reviewer = await aSignedInUser(
      client,
      world.sessions.secretariat_admin,
      world.certifierId,
      'committee_member',
    );
  });

  afterAll(() => testApp?.close());

  const act = async (caseId: string, action: string, as: Session, extra: Record<string, unknown> = {}) => {
    const read = await client.get(`/api/v1/cases/${caseId}`, world.sessions.secretariat_admin);
    return client
      .post(`/api/v1/cases/${caseId}/transitions`, as)
      .send({ action, version: read.body.version as number, ...extra });
  };
  const statusOf = (response: Response) => ({ status: response.status, code: response.body.code as unknown });

  const notificationsOf = (caseId: string, kind: string) =>
    testApp.dataSource.query<{ user_id: string }[]>(
      'SELECT user_id FROM notification WHERE case_id = $1 AND kind = $2',
      [caseId, kind],
    );

  const auditedActions = async (caseId: string, actions: string[]): Promise<string[]> =>
    (
      await testApp.dataSource.query<{ action: string }[]>(
        'SELECT action FROM audit_event WHERE case_id = $1 AND action = ANY($2) ORDER BY sequence',
        [caseId, actions],
      )
    ).map((row) => row.action);

  const certificatesOf = (caseId: string) =>
    testApp.dataSource.query<{ number: string }[]>('SELECT number FROM certificate WHERE case_id = $1', [
      caseId,
    ]);

  describe.each(SHIPPED_EDITIONS)('on $editionId', ({ editionId }) => {
    let cases: CaseBuilder;

    beforeAll(async () => {
      cases = await casesUnder(client, world, editionId);
    });

    /** A decided case of this edition, appealed, with an independent committee member added and declared. */
    const appealed = async (
      outcome: 'certified' | 'not_certified',
      builder: CaseBuilder = cases,
    ): Promise<string> => {
      const decided = await builder.decided(outcome);
      await builder.transition(decided.id, 'appeal', world.sessions.institution_admin, {
        reason: 'The committee ignored the evidence on indicator 1.1.1',
      });
      await builder.assignTeam(decided.id, {
        leadRaterId: world.sessions.rater.userId,
        raterIds: [],
        committeeMemberIds: [world.sessions.committee_member.userId, reviewer.userId],
      });
      await builder.declare(decided.id, reviewer);
      return decided.id;
    };

    /** A certified case whose appeal the body upheld: the institution may escalate the resolution. */
    const resolvedAppeal = async (builder: CaseBuilder): Promise<string> => {
      const caseId = await appealed('certified', builder);
      const resolved = await act(caseId, 'resolve_appeal', reviewer, {
        data: { result: 'upheld', rationale: 'The evidence was weighed' },
      });
      expect(resolved.body).toMatchObject({
        status: 'decided',
        outcome: 'certified',
        edition: { id: editionId },
        deadlines: { escalationDueOn: expect.any(String) },
      });
      return caseId;
    };

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

    it('escalates a contested resolution to the secretariat, which records its finding; no certificate before it', async () => {
      // This case is published: under cps-2016 its renewal supersedes the certificate it renews.
      const builder = await casesUnder(client, world, editionId);
      const caseId = await resolvedAppeal(builder);
      // The institution may still escalate the resolution: nothing is published meanwhile.
      const whileEscalable = await act(caseId, 'publish', world.sessions.secretariat_officer);
      expect(statusOf(whileEscalable)).toEqual({ status: 422, code: 'ESCALATION_WINDOW_OPEN' });
      expect(whileEscalable.body.details).toEqual([
        expect.objectContaining({ escalationDueOn: expect.any(String) }),
      ]);
      const noReason = await act(caseId, 'escalate_appeal', world.sessions.institution_admin);
      expect(noReason.status).toBe(400);
      const byMember = await act(caseId, 'escalate_appeal', world.sessions.institution_member, {
        reason: 'x',
      });
      expect(byMember.status).toBe(403);
      const escalated = await act(caseId, 'escalate_appeal', world.sessions.institution_admin, {
        reason: 'The body did not look at the new client files',
      });
      expect(escalated.body.status).toBe('under_escalation');
      expect((await notificationsOf(caseId, 'case.escalate_appeal')).map((row) => row.user_id)).toContain(
        world.sessions.secretariat_admin.userId,
      );
      // Under escalation the case can be neither published nor closed.
      const whileEscalated = await act(caseId, 'publish', world.sessions.secretariat_officer);
      expect(statusOf(whileEscalated)).toEqual({ status: 409, code: 'INVALID_TRANSITION' });
      expect(await certificatesOf(caseId)).toEqual([]);
      expect(await auditedActions(caseId, ['case.publish'])).toEqual([]);

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
      const again = await act(caseId, 'escalate_appeal', world.sessions.institution_admin, {
        reason: 'Again',
      });
      expect(statusOf(again)).toEqual({ status: 422, code: 'APPEAL_NOT_RESOLVED' });
      // The decision stands: it can be published.
      const published = await act(caseId, 'publish', world.sessions.secretariat_officer);
      expect(published.body.status).toBe('closed');
      expect(await certificatesOf(caseId)).toHaveLength(1);
      expect(await auditedActions(caseId, ['case.escalate_appeal', 'case.publish'])).toEqual([
        'case.escalate_appeal',
        'case.publish',
      ]);
    });

    it('publishes after the resolution once the institution accepts the decision, which waives the escalation', async () => {
      const builder = await casesUnder(client, world, editionId);
      const caseId = await resolvedAppeal(builder);
      await builder.transition(caseId, 'accept_decision', world.sessions.institution_admin);
      const escalated = await act(caseId, 'escalate_appeal', world.sessions.institution_admin, {
        reason: 'Changed our mind',
      });
      expect(statusOf(escalated)).toEqual({ status: 422, code: 'DECISION_ACCEPTED' });
      const published = await act(caseId, 'publish', world.sessions.secretariat_officer);
      expect(published.body.status).toBe('closed');
      expect(await certificatesOf(caseId)).toHaveLength(1);
    });

    /** `publish` and `escalate_appeal` sent at the same moment on the same version of the case. */
    const publishAndEscalateAtOnce = async (caseId: string): Promise<[Response, Response]> => {
      const read = await client.get(`/api/v1/cases/${caseId}`, world.sessions.secretariat_admin);
      const send = (action: string, as: Session, reason?: string) =>
        client
          .post(`/api/v1/cases/${caseId}/transitions`, as)
          .send({ action, version: read.body.version as number, ...(reason ? { reason } : {}) })
          .then((response) => response);
      return Promise.all([
        send('publish', world.sessions.secretariat_officer),
        send('escalate_appeal', world.sessions.institution_admin, 'The body ignored our new evidence'),
      ]);
    };

    it('never lets a publication and an escalation sent together both succeed', async () => {
      // Within the escalation window: the escalation stands, no certificate.
      const inWindow = await resolvedAppeal(cases);
      const [published, escalated] = await publishAndEscalateAtOnce(inWindow);
      expect(escalated.status).toBe(200);
      expect([
        { status: 422, code: 'ESCALATION_WINDOW_OPEN' },
        { status: 409, code: 'STALE_VERSION' },
      ]).toContainEqual(statusOf(published));
      expect((await cases.read(inWindow)).status).toBe('under_escalation');
      expect(await certificatesOf(inWindow)).toEqual([]);
      expect(await auditedActions(inWindow, ['case.publish', 'case.escalate_appeal'])).toEqual([
        'case.escalate_appeal',
      ]);

      // Once the window has passed: the publication stands, the escalation is refused.
      const builder = await casesUnder(client, world, editionId);
      const lapsed = await resolvedAppeal(builder);
      await testApp.dataSource.query(`UPDATE certification_case SET escalation_due_on = $2 WHERE id = $1`, [
        lapsed,
        addDays(todayUtc(), -1),
      ]);
      const [publishedLate, escalatedLate] = await publishAndEscalateAtOnce(lapsed);
      expect(publishedLate.status).toBe(200);
      expect([
        { status: 422, code: 'ESCALATION_WINDOW_CLOSED' },
        { status: 409, code: 'STALE_VERSION' },
      ]).toContainEqual(statusOf(escalatedLate));
      expect((await cases.read(lapsed)).status).toBe('closed');
      expect(await certificatesOf(lapsed)).toHaveLength(1);
      expect(await auditedActions(lapsed, ['case.publish', 'case.escalate_appeal'])).toEqual([
        'case.publish',
      ]);
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
      // Decided once, the case ends by a decision: the institution cannot walk away from it by withdrawing
      // (a failed check-in would otherwise never suspend its certificate).
      const withdrawn = await act(caseId, 'withdraw', world.sessions.institution_admin, {
        reason: 'We would rather start again',
      });
      expect(statusOf(withdrawn)).toEqual({ status: 409, code: 'INVALID_TRANSITION' });
      // Nor is the annulled decision reported beside ratings being re-rated.
      const report = await client.get(`/api/v1/cases/${caseId}/report.pdf`, world.sessions.institution_admin);
      expect(statusOf(report).code).toBe('REPORT_NOT_READY');

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
      let initial = cases;
      if (editionId === 'cps-2016') {
        // Only an initial certification becomes a pre-assessment, and cps-2016 takes none any more: its
        // renewal is refused, and the 2016 document runs as the world's open copy of it.
        const renewal = await cases.inDeskReview();
        const refused = await act(renewal.id, 'convert_to_pre_assessment', world.sessions.certifier_admin, {
          reason: 'Not ready',
        });
        expect(statusOf(refused)).toEqual({ status: 409, code: 'INVALID_TRANSITION' });
        initial = new CaseBuilder(client, world);
      }
      const inReview = await initial.inDeskReview();
      const converted = await act(inReview.id, 'convert_to_pre_assessment', world.sessions.certifier_admin, {
        reason: 'The institution is not ready: a pre-assessment shows what to fix',
      });
      expect(converted.body).toMatchObject({ status: 'desk_review', isPreAssessment: true });
      expect((await notificationsOf(inReview.id, 'case.convert_to_pre_assessment')).length).toBeGreaterThan(
        0,
      );

      await initial.declare(inReview.id, world.sessions.rater);
      await initial.declare(inReview.id, world.sessions.committee_member);
      await initial.setMission(inReview.id);
      await initial.transition(inReview.id, 'start_onsite', world.sessions.rater);
      await initial.rateAll(inReview.id);
      await initial.transition(inReview.id, 'issue_findings', world.sessions.rater);
      await initial.transition(inReview.id, 'refer_to_committee', world.sessions.rater);
      await initial.transition(inReview.id, 'decide', world.sessions.committee_member, {
        data: { outcome: 'certified', rationale: 'Ready for certification' },
      });
      await initial.transition(inReview.id, 'accept_decision', world.sessions.institution_admin);
      const published = await act(inReview.id, 'publish', world.sessions.secretariat_officer);
      expect(statusOf(published)).toEqual({ status: 422, code: 'PRE_ASSESSMENT_NOT_PUBLISHABLE' });
      const closed = await act(inReview.id, 'close', world.sessions.secretariat_officer);
      expect(closed.body.status).toBe('closed');
      expect(await certificatesOf(inReview.id)).toEqual([]);
    });
  });
});
