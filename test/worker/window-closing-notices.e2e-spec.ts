import { WindowClosingNoticesService } from '@app/notifications';
import { ApiClient, type Session } from '../support/api-client';
import { aSignedInUser } from '../support/builders';
import { CaseBuilder } from '../support/case-builder';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

interface InboxItem {
  id: string;
  kind: string;
  caseId: string;
  title: string;
  body: string;
}

describe('window-closing notices', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;
  let notices: WindowClosingNoticesService;
  let teamRater: Session;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
    notices = testApp.app.get(WindowClosingNoticesService);
    const root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    teamRater = await aSignedInUser(client, root, world.certifierId, 'rater');
  });

  afterAll(() => testApp?.close());

  const inbox = async (session: Session, caseId: string, kind: string): Promise<InboxItem[]> => {
    const response = await client.get('/api/v1/me/notifications?pageSize=100', session).expect(200);
    return (response.body.items as InboxItem[]).filter(
      (item) => item.caseId === caseId && item.kind === kind,
    );
  };

  const setDate = (caseId: string, column: 'response_due_on' | 'appeal_due_on', daysFromToday: number) =>
    testApp.dataSource.query(
      `UPDATE certification_case SET ${column} = current_date + $2::int WHERE id = $1`,
      [caseId, daysFromToday],
    );

  const transition = async (caseId: string, action: string, session: Session) => {
    const { version } = await cases.read(caseId);
    return client.post(`/api/v1/cases/${caseId}/transitions`, session).send({ action, version });
  };

  /** findings_issued with a lead rater, a second rater on the team and one unanswered finding. */
  const findingsIssuedWithTeam = async (): Promise<string> => {
    const { id } = await cases.inDeskReview();
    await cases.assignTeam(id, {
      leadRaterId: world.sessions.rater.userId,
      raterIds: [teamRater.userId],
      committeeMemberIds: [world.sessions.committee_member.userId],
    });
    for (const member of [world.sessions.rater, teamRater, world.sessions.committee_member])
      await cases.declare(id, member);
    await cases.setMission(id);
    await cases.transition(id, 'start_onsite', world.sessions.rater);
    await cases.rateAll(id, { '2.1.1': 'not_met' });
    await cases.addFinding(id, ['2.1.1']);
    await cases.transition(id, 'issue_findings', world.sessions.rater);
    return id;
  };

  it('tells the mission team once that the findings response window is over, and the case can then be referred', async () => {
    const caseId = await findingsIssuedWithTeam();

    await notices.notifyClosedWindows();
    expect(await inbox(world.sessions.rater, caseId, 'case.response_window_over')).toEqual([]);
    expect((await transition(caseId, 'refer_to_committee', world.sessions.rater)).body.code).toBe(
      'FINDINGS_UNANSWERED',
    );

    // The last day to answer was yesterday.
    await setDate(caseId, 'response_due_on', -1);
    const yesterday = (await cases.read(caseId)).deadlines.responseDueOn as string;
    for (let run = 0; run < 3; run += 1) await notices.notifyClosedWindows();

    const [lead] = await inbox(world.sessions.rater, caseId, 'case.response_window_over');
    expect(await inbox(world.sessions.rater, caseId, 'case.response_window_over')).toHaveLength(1);
    expect(lead.title).toMatch(/^Response window over for institution /);
    expect(lead.body).toBe(
      `The institution could answer the findings until ${yesterday}. You can now refer the case to the committee.`,
    );
    const member = await inbox(teamRater, caseId, 'case.response_window_over');
    expect(member).toHaveLength(1);
    expect(member[0].body).toContain('The lead rater can now refer the case to the committee.');
    for (const bystander of ['committee_member', 'institution_admin', 'secretariat_officer'] as const)
      expect(await inbox(world.sessions[bystander], caseId, 'case.response_window_over')).toEqual([]);

    expect((await transition(caseId, 'refer_to_committee', world.sessions.rater)).status).toBe(200);
  });

  it('tells the secretariat officers once that an unappealed certified decision is ready to publish', async () => {
    const decided = await cases.decided('certified');

    await notices.notifyClosedWindows();
    expect(await inbox(world.sessions.secretariat_officer, decided.id, 'case.appeal_window_over')).toEqual(
      [],
    );
    expect((await transition(decided.id, 'publish', world.sessions.secretariat_officer)).body.code).toBe(
      'APPEAL_WINDOW_OPEN',
    );

    await setDate(decided.id, 'appeal_due_on', -1);
    for (let run = 0; run < 3; run += 1) await notices.notifyClosedWindows();

    const ready = await inbox(world.sessions.secretariat_officer, decided.id, 'case.appeal_window_over');
    expect(ready).toHaveLength(1);
    expect(ready[0].title).toMatch(/^Certification of institution .* ready to publish$/);
    expect(ready[0].body).toMatch(/^The appeal window closed on \d{4}-\d{2}-\d{2} without an appeal\./);
    for (const bystander of ['secretariat_admin', 'institution_admin', 'rater'] as const)
      expect(await inbox(world.sessions[bystander], decided.id, 'case.appeal_window_over')).toEqual([]);

    expect((await transition(decided.id, 'publish', world.sessions.secretariat_officer)).status).toBe(200);
    await notices.notifyClosedWindows();
    expect(
      await inbox(world.sessions.secretariat_officer, decided.id, 'case.appeal_window_over'),
    ).toHaveLength(1);
  });

  it('sends no appeal-window notice for a waived, appealed or not-certified decision', async () => {
    const waived = await cases.decided('certified');
    await cases.transition(waived.id, 'accept_decision', world.sessions.institution_admin);
    const appealed = await cases.decided('certified');
    await cases.transition(appealed.id, 'appeal', world.sessions.institution_admin, {
      reason: 'The committee overlooked our corrective evidence',
    });
    const notCertified = await cases.decided('not_certified');
    for (const { id } of [waived, appealed, notCertified]) await setDate(id, 'appeal_due_on', -1);

    await notices.notifyClosedWindows();

    for (const { id } of [waived, appealed, notCertified])
      expect(await inbox(world.sessions.secretariat_officer, id, 'case.appeal_window_over')).toEqual([]);
  });
});
