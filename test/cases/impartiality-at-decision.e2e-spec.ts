import type { Response } from 'supertest';
import { ApiClient, type Session } from '../support/api-client';
import { aSignedInUser } from '../support/builders';
import { CaseBuilder } from '../support/case-builder';
import { anEdition } from '../support/edition-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { userIdsOf } from './case-fixtures';

/**
 * Impartiality at the moment of judgement (issue 9, item 4): whoever receives, decides, returns or
 * resolves a case has declared on it, and declared no conflict.
 */
describe('impartiality when the committee acts', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    const edition = anEdition().withShape(1, 2, 2).build();
    await client.post('/api/v1/standards', world.sessions.secretariat_admin).send(edition).expect(201);
    await client
      .post(`/api/v1/standards/${edition.id as string}/publish`, world.sessions.secretariat_admin)
      .expect(200);
    cases = new CaseBuilder(client, world).withEdition(edition.id as string);
  });

  afterAll(() => testApp?.close());

  const aCommitteeMember = (): Promise<Session> =>
    aSignedInUser(client, world.sessions.secretariat_admin, world.certifierId, 'committee_member');

  const act = async (
    caseId: string,
    action: string,
    as: Session,
    extra: Record<string, unknown> = {},
  ): Promise<Response> => {
    const { version } = await cases.read(caseId);
    return client.post(`/api/v1/cases/${caseId}/transitions`, as).send({ action, version, ...extra });
  };

  const decide = (caseId: string, as: Session): Promise<Response> =>
    act(caseId, 'decide', as, {
      data: { outcome: 'certified', rationale: 'Every applicable standard is met' },
    });

  const addToCommittee = async (caseId: string, ...members: Session[]): Promise<void> => {
    await cases.assignTeam(caseId, {
      leadRaterId: world.sessions.rater.userId,
      raterIds: [],
      committeeMemberIds: [world.sessions.committee_member.userId, ...members.map((member) => member.userId)],
    });
  };

  const refusal = (response: Response) => ({
    status: response.status,
    code: response.body.code as unknown,
    userIds: userIdsOf(response),
  });

  it('refuses decide and return_to_team to a committee member who declared a conflict during the review', async () => {
    const issued = await cases.findingsIssued();
    await cases.transition(issued.id, 'refer_to_committee', world.sessions.rater);
    // The member now declares a conflict (a relative was hired by the institution last month).
    await cases.declare(issued.id, world.sessions.committee_member, true);
    const before = await cases.read(issued.id);

    const decided = await decide(issued.id, world.sessions.committee_member);
    const returned = await act(issued.id, 'return_to_team', world.sessions.committee_member, {
      reason: 'Back to the team',
    });

    const conflicted = {
      status: 422,
      code: 'CONFLICT_OF_INTEREST',
      userIds: [world.sessions.committee_member.userId],
    };
    expect(refusal(decided)).toEqual(conflicted);
    expect(refusal(returned)).toEqual(conflicted);
    const after = await cases.read(issued.id);
    expect(after).toMatchObject({ status: 'committee_review', version: before.version });
    const sealed = await testApp.dataSource.query('SELECT 1 FROM case_decision WHERE case_id = $1', [
      issued.id,
    ]);
    expect(sealed).toHaveLength(0);

    // A later declaration without conflict (the conflict was resolved) lets the member decide.
    await cases.declare(issued.id, world.sessions.committee_member, false);
    expect((await decide(issued.id, world.sessions.committee_member)).status).toBe(200);
  });

  it('refuses decide to a committee member added during the review who never declared', async () => {
    const issued = await cases.findingsIssued();
    await cases.transition(issued.id, 'refer_to_committee', world.sessions.rater);
    const lateMember = await aCommitteeMember();
    await addToCommittee(issued.id, lateMember);

    const decided = await decide(issued.id, lateMember);
    const returned = await act(issued.id, 'return_to_team', lateMember, { reason: 'Back to the team' });

    const undeclared = { status: 422, code: 'TEAM_CONFLICT_UNDECLARED', userIds: [lateMember.userId] };
    expect(refusal(decided)).toEqual(undeclared);
    expect(refusal(returned)).toEqual(undeclared);
    expect((await cases.read(issued.id)).status).toBe('committee_review');

    await cases.declare(issued.id, lateMember);
    expect((await decide(issued.id, lateMember)).status).toBe(200);
  });

  it('refuses refer_to_committee while a committee member added after start_onsite has not declared, or declared a conflict', async () => {
    const issued = await cases.findingsIssued();
    const addedLate = await aCommitteeMember();
    await addToCommittee(issued.id, addedLate);

    const undeclared = await act(issued.id, 'refer_to_committee', world.sessions.rater);
    expect(refusal(undeclared)).toEqual({
      status: 422,
      code: 'TEAM_CONFLICT_UNDECLARED',
      userIds: [addedLate.userId],
    });

    await cases.declare(issued.id, addedLate, true);
    const conflicted = await act(issued.id, 'refer_to_committee', world.sessions.rater);
    expect(refusal(conflicted)).toEqual({
      status: 422,
      code: 'CONFLICT_OF_INTEREST',
      userIds: [addedLate.userId],
    });
    expect((await cases.read(issued.id)).status).toBe('findings_issued');

    await cases.declare(issued.id, addedLate, false);
    expect((await act(issued.id, 'refer_to_committee', world.sessions.rater)).status).toBe(200);
  });

  it('refuses issue_findings and refer_to_committee while a rater who joined after the visit began has not declared, or declared a conflict', async () => {
    const onsite = await cases.onsite();
    const lateRater = await aSignedInUser(
      client,
      world.sessions.secretariat_admin,
      world.certifierId,
      'rater',
    );
    await cases.assignTeam(onsite.id, {
      leadRaterId: world.sessions.rater.userId,
      raterIds: [lateRater.userId],
      committeeMemberIds: [world.sessions.committee_member.userId],
    });
    await cases.rateAll(onsite.id);

    const undeclared = await act(onsite.id, 'issue_findings', world.sessions.rater);
    expect(refusal(undeclared)).toEqual({
      status: 422,
      code: 'TEAM_CONFLICT_UNDECLARED',
      userIds: [lateRater.userId],
    });
    await cases.declare(onsite.id, lateRater, true);
    expect(refusal(await act(onsite.id, 'issue_findings', world.sessions.rater))).toEqual({
      status: 422,
      code: 'CONFLICT_OF_INTEREST',
      userIds: [lateRater.userId],
    });
    expect((await cases.read(onsite.id)).status).toBe('onsite');

    await cases.declare(onsite.id, lateRater, false);
    expect((await act(onsite.id, 'issue_findings', world.sessions.rater)).status).toBe(200);
    // Declaring a conflict afterwards holds the case back from the committee.
    await cases.declare(onsite.id, lateRater, true);
    expect(refusal(await act(onsite.id, 'refer_to_committee', world.sessions.rater))).toEqual({
      status: 422,
      code: 'CONFLICT_OF_INTEREST',
      userIds: [lateRater.userId],
    });
  });

  it('changes only the committee of a case in committee review without checking the fixed mission team again (a rater who left since stays on record)', async () => {
    const onsite = await cases.onsite();
    const leaving = await aSignedInUser(client, world.sessions.secretariat_admin, world.certifierId, 'rater');
    const team = {
      leadRaterId: world.sessions.rater.userId,
      raterIds: [leaving.userId],
      committeeMemberIds: [world.sessions.committee_member.userId],
    };
    await cases.assignTeam(onsite.id, team);
    await cases.declare(onsite.id, leaving);
    await cases.rateAll(onsite.id);
    await cases.transition(onsite.id, 'issue_findings', world.sessions.rater);
    await cases.transition(onsite.id, 'refer_to_committee', world.sessions.rater);
    await client
      .patch(
        `/api/v1/organizations/${world.certifierId}/users/${leaving.userId}`,
        world.sessions.certifier_admin,
      )
      .send({ isActive: false })
      .expect(200);

    const newMember = await aCommitteeMember();
    await cases.assignTeam(onsite.id, {
      ...team,
      committeeMemberIds: [...team.committeeMemberIds, newMember.userId],
    });
    const kept = (await client.get(`/api/v1/cases/${onsite.id}`, world.sessions.certifier_admin).expect(200))
      .body.team as { raters: { id: string }[]; committeeMembers: { id: string }[] };
    expect(kept.raters.map((rater) => rater.id)).toEqual([leaving.userId]);
    expect(kept.committeeMembers.map((member) => member.id)).toContain(newMember.userId);
  });

  it('refuses resolve_appeal to a reviewer who has not declared, or declared a conflict', async () => {
    const decidedCase = await cases.decided('not_certified');
    await cases.transition(decidedCase.id, 'appeal', world.sessions.institution_admin, {
      reason: 'The interviews were not representative',
    });
    const reviewer = await aCommitteeMember();
    await addToCommittee(decidedCase.id, reviewer);
    const resolve = () =>
      act(decidedCase.id, 'resolve_appeal', reviewer, {
        data: { result: 'upheld', rationale: 'The sample followed the methodology' },
      });

    expect(refusal(await resolve())).toEqual({
      status: 422,
      code: 'TEAM_CONFLICT_UNDECLARED',
      userIds: [reviewer.userId],
    });
    await cases.declare(decidedCase.id, reviewer, true);
    expect(refusal(await resolve())).toEqual({
      status: 422,
      code: 'CONFLICT_OF_INTEREST',
      userIds: [reviewer.userId],
    });
    expect((await cases.read(decidedCase.id)).status).toBe('under_appeal');

    await cases.declare(decidedCase.id, reviewer, false);
    expect((await resolve()).status).toBe(200);
  });
});
