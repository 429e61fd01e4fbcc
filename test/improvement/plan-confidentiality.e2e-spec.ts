import { OverdueActionNoticesService } from '@app/notifications';
import { ApiClient, type Session } from '../support/api-client';
import { aSignedInUser } from '../support/builders';
import { CaseBuilder } from '../support/case-builder';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

interface Action {
  id: string;
  status: string;
  ownerName: string | null;
  verification: { caseId: string; result: string; note: string } | null;
  version: number;
}

const SECRET_NOTE = 'Raters could not find the capacity analysis in the sampled files';

describe('improvement plan: who sees it, what the institution sees of verifications, and after a renewal', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;
  let root: Session;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
    root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(() => testApp?.close());

  const actionsOf = async (caseId: string, as: Session): Promise<Action[]> => {
    const response = await client.get(`/api/v1/cases/${caseId}/actions`, as).expect(200);
    return response.body.items as Action[];
  };

  const planOf = async (certificateNumber: string, as: Session): Promise<Action[]> => {
    const response = await client
      .get(`/api/v1/certificates/${certificateNumber}/improvement-plan`, as)
      .expect(200);
    return response.body.actions as Action[];
  };

  /** A published certificate whose plan holds one open action (an observation on 2.1.1), reported in progress. */
  async function certificateWithOpenAction(): Promise<{ certificateNumber: string; actionId: string }> {
    // Every indicator met, with an observation: certified, its action open at the decision.
    const issued = await cases.onsite();
    await cases.rateAll(issued.id);
    await client
      .post(`/api/v1/cases/${issued.id}/findings`, world.sessions.rater)
      .send({
        indicatorCodes: ['2.1.1'],
        severity: 'observation',
        description: 'Repeat loans are granted without a documented capacity analysis',
        recommendation: 'Document the repayment capacity analysis for every repeat loan',
        correctiveActionDueOn: '2027-06-30',
      })
      .expect(201);
    await cases.transition(issued.id, 'issue_findings', world.sessions.rater);
    const [action] = await actionsOf(issued.id, world.sessions.institution_admin);
    await client
      .patch(`/api/v1/actions/${action.id}`, world.sessions.institution_admin)
      .send({ version: action.version, status: 'in_progress' })
      .expect(200);
    const findings = await client.get(`/api/v1/cases/${issued.id}/findings`, world.sessions.rater);
    await client
      .post(`/api/v1/findings/${findings.body.items[0].id}/responses`, world.sessions.institution_admin)
      .send({ text: 'Action plan adopted by the board' })
      .expect(201);
    await cases.transition(issued.id, 'refer_to_committee', world.sessions.rater);
    await cases.transition(issued.id, 'decide', world.sessions.committee_member, {
      data: { outcome: 'certified', rationale: 'Certified; the plan is followed up' },
    });
    await cases.transition(issued.id, 'accept_decision', world.sessions.institution_admin);
    await cases.transition(issued.id, 'publish', world.sessions.secretariat_officer);
    const history = await client.get(`/api/v1/cases/${issued.id}/history`, world.sessions.secretariat_admin);
    const certificateNumber = (
      history.body as { action: string; data: { certificateNumber?: string } }[]
    ).find((event) => event.action === 'case.publish')?.data.certificateNumber as string;
    expect((await planOf(certificateNumber, world.sessions.institution_admin)).map((a) => a.id)).toEqual([
      action.id,
    ]);
    return { certificateNumber, actionId: action.id };
  }

  it('hides a verification from the institution, with the status it set, until the findings of its case are issued', async () => {
    const { certificateNumber, actionId } = await certificateWithOpenAction();
    const checkIn = await cases.onsite({ type: 'check_in', certificateNumber });
    const [carried] = await actionsOf(checkIn.id, world.sessions.institution_admin);
    const done = await client
      .patch(`/api/v1/actions/${actionId}`, world.sessions.institution_admin)
      .send({ version: carried.version, status: 'done' })
      .expect(200);
    await client
      .post(`/api/v1/actions/${actionId}/verification`, world.sessions.rater)
      .send({ result: 'not_verified', note: SECRET_NOTE })
      .expect(201);

    // The certification body and the secretariat see the verification at once.
    for (const session of [
      world.sessions.rater,
      world.sessions.certifier_admin,
      world.sessions.secretariat_officer,
    ]) {
      expect((await actionsOf(checkIn.id, session))[0]).toMatchObject({
        status: 'not_verified',
        verification: { caseId: checkIn.id, result: 'not_verified', note: SECRET_NOTE },
      });
      expect((await planOf(certificateNumber, session))[0]).toMatchObject({
        status: 'not_verified',
        verification: { result: 'not_verified', note: SECRET_NOTE },
      });
    }

    // The institution sees the action as it left it, on the case, on the plan and in its own update's answer.
    for (const session of [world.sessions.institution_admin, world.sessions.institution_member]) {
      expect((await actionsOf(checkIn.id, session))[0]).toMatchObject({ status: 'done', verification: null });
      expect((await planOf(certificateNumber, session))[0]).toMatchObject({
        status: 'done',
        verification: null,
      });
    }
    const current = (await actionsOf(checkIn.id, world.sessions.institution_admin))[0];
    expect(current.version).toBeGreaterThan(done.body.version as number);
    const renamed = await client
      .patch(`/api/v1/actions/${actionId}`, world.sessions.institution_admin)
      .send({ version: current.version, ownerName: 'Head of credit' })
      .expect(200);
    expect(renamed.body).toMatchObject({ status: 'done', ownerName: 'Head of credit', verification: null });
    expect(JSON.stringify(renamed.body)).not.toContain(SECRET_NOTE);

    // Overdue: the lead rater is told; the institution not (the notice names the status), until the
    // check-in's findings are issued.
    await testApp.dataSource.query('UPDATE corrective_action SET due_on = current_date - 1 WHERE id = $1', [
      actionId,
    ]);
    const notices = testApp.app.get(OverdueActionNoticesService);
    const overdueNotices = async (session: Session) =>
      (
        (await client.get('/api/v1/me/notifications?pageSize=100', session).expect(200)).body.items as {
          kind: string;
          caseId: string;
          body: string;
        }[]
      ).filter((item) => item.kind === 'action.overdue' && item.caseId === checkIn.id);
    await notices.notifyOverdue();
    expect(await overdueNotices(world.sessions.rater)).toHaveLength(1);
    expect(await overdueNotices(world.sessions.institution_admin)).toHaveLength(0);

    // Once the check-in's findings are issued, the institution sees the verification like everyone else.
    await cases.rateAll(checkIn.id);
    await cases.transition(checkIn.id, 'issue_findings', world.sessions.rater);
    await notices.notifyOverdue();
    const told = await overdueNotices(world.sessions.institution_admin);
    expect(told).toHaveLength(1);
    expect(told[0].body).toContain('not verified');
    expect((await actionsOf(checkIn.id, world.sessions.institution_admin))[0]).toMatchObject({
      status: 'not_verified',
      ownerName: 'Head of credit',
      verification: { caseId: checkIn.id, result: 'not_verified', note: SECRET_NOTE },
    });
    expect((await planOf(certificateNumber, world.sessions.institution_admin))[0]).toMatchObject({
      status: 'not_verified',
      verification: { result: 'not_verified', note: SECRET_NOTE },
    });
  });

  it("is for the certification body's admin and the teams of the certificate's cases, not for its other raters and committee members", async () => {
    const { certificateNumber } = await certificateWithOpenAction();
    const path = `/api/v1/certificates/${certificateNumber}/improvement-plan`;
    const otherRater = await aSignedInUser(client, root, world.certifierId, 'rater');
    const otherMember = await aSignedInUser(client, root, world.certifierId, 'committee_member');
    const checkInRater = await aSignedInUser(client, root, world.certifierId, 'rater');

    // The team of the case that issued the certificate, and the body's admin.
    for (const session of [
      world.sessions.rater,
      world.sessions.committee_member,
      world.sessions.certifier_admin,
    ]) {
      await client.get(path, session).expect(200);
    }
    // Raters and committee members of the body never on its cases: as for a certificate they may not see.
    for (const session of [otherRater, otherMember, checkInRater, world.sessions.other_certifier_admin]) {
      const response = await client.get(path, session).expect(404);
      expect(response.body.code).toBe('NOT_FOUND');
    }

    // A rater on the team of a check-in of the certificate works on its plan.
    const checkIn = await cases.inDeskReview({ type: 'check_in', certificateNumber });
    await cases.assignTeam(checkIn.id, {
      leadRaterId: world.sessions.rater.userId,
      raterIds: [checkInRater.userId],
      committeeMemberIds: [world.sessions.committee_member.userId],
    });
    await client.get(path, checkInRater).expect(200);
    await client.get(path, otherRater).expect(404);
  });

  it('keeps the open actions on the plan of the certificate still in force when a renewal is not certified', async () => {
    const { certificateNumber, actionId } = await certificateWithOpenAction();
    const renewal = await cases.onsite({ type: 'renewal', certificateNumber });
    expect((await actionsOf(renewal.id, world.sessions.rater)).map((action) => action.id)).toEqual([
      actionId,
    ]);
    await cases.rateAll(renewal.id);
    await cases.transition(renewal.id, 'issue_findings', world.sessions.rater);
    await cases.transition(renewal.id, 'refer_to_committee', world.sessions.rater);
    await cases.transition(renewal.id, 'decide', world.sessions.committee_member, {
      data: { outcome: 'not_certified', rationale: 'The committee is not convinced' },
    });
    await cases.transition(renewal.id, 'accept_decision', world.sessions.institution_admin);
    await cases.transition(renewal.id, 'close', world.sessions.secretariat_officer);

    const certificate = await client
      .get(`/api/v1/certificates/${certificateNumber}`, world.sessions.secretariat_officer)
      .expect(200);
    expect(certificate.body.status).toBe('active');
    for (const session of [world.sessions.institution_admin, world.sessions.certifier_admin]) {
      expect((await planOf(certificateNumber, session)).map((action) => action.id)).toEqual([actionId]);
    }

    // The next check-in of the certificate still takes the action over.
    const checkIn = await cases.onsite({ type: 'check_in', certificateNumber });
    expect(
      (await actionsOf(checkIn.id, world.sessions.institution_admin)).map((action) => action.id),
    ).toEqual([actionId]);
  });

  it('hands the open actions to the certificate a certified renewal issues', async () => {
    const { certificateNumber, actionId } = await certificateWithOpenAction();
    const renewal = await cases.onsite({ type: 'renewal', certificateNumber });
    await cases.rateAll(renewal.id);
    await cases.transition(renewal.id, 'issue_findings', world.sessions.rater);
    await cases.transition(renewal.id, 'refer_to_committee', world.sessions.rater);
    await cases.transition(renewal.id, 'decide', world.sessions.committee_member, {
      data: { outcome: 'certified', rationale: 'Renewed; the plan is followed up' },
    });
    await cases.transition(renewal.id, 'accept_decision', world.sessions.institution_admin);
    await cases.transition(renewal.id, 'publish', world.sessions.secretariat_officer);
    const history = await client.get(`/api/v1/cases/${renewal.id}/history`, world.sessions.secretariat_admin);
    const renewed = (history.body as { action: string; data: { certificateNumber?: string } }[]).find(
      (event) => event.action === 'case.publish',
    )?.data.certificateNumber as string;
    expect(renewed).not.toBe(certificateNumber);
    expect((await planOf(renewed, world.sessions.institution_admin)).map((action) => action.id)).toEqual([
      actionId,
    ]);
    expect(await planOf(certificateNumber, world.sessions.institution_admin)).toEqual([]);
  });
});
