import type { Response } from 'supertest';
import { ApiClient, type Session } from '../support/api-client';
import { aSignedInUser } from '../support/builders';
import type { CaseBuilder } from '../support/case-builder';
import { casesUnder, SHIPPED_EDITIONS } from '../support/editions-under-test';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, setCommitteeQuorum, type World } from '../support/world';

interface SealedCommittee {
  quorum: number;
  round: number;
  decidedByCastingVote: boolean;
  votes: { voterId: string; outcome: string; level: string | null; version: number }[];
  dissent: { voterId: string; outcome: string; level: string | null }[];
}

/** What the members vote, per edition: levels under the tiered 2022 edition, none under pass/fail 2016. */
const LEVELS = {
  'cps-2022': { earned: 'gold', lower: 'silver', lowest: 'bronze' },
  'cps-2016': { earned: undefined, lower: undefined, lowest: undefined },
} as const;

/**
 * A real committee (issue 14, item 4), on both shipped editions (cps-2022, tiered: bronze, silver, gold;
 * cps-2016, pass/fail, its cases renewals of a certificate the institution holds): the certifier's
 * quorum, one versioned vote per member, the majority sealed with its dissent, a tie broken by the chair or
 * refused, and the institution kept away from the votes.
 */
describe('committee votes and quorum', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  const builders = new Map<string, CaseBuilder>();
  let second: Session;
  let third: Session;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    // The certificate cps-2016 renewals concern is issued while the world's body still decides alone.
    for (const { editionId } of SHIPPED_EDITIONS)
      builders.set(editionId, await casesUnder(client, world, editionId));
    // The body's admin sets the default quorum back (the world's body decides alone).
    await setCommitteeQuorum(client, world.sessions.certifier_admin, world.certifierId, 2);
    const member = () =>
      aSignedInUser(client, world.sessions.secretariat_admin, world.certifierId, 'committee_member');
    second = await member();
    third = await member();
  });

  afterAll(() => testApp?.close());

  const vote = (caseId: string, as: Session, outcome: string, level?: string): Promise<Response> =>
    client.post(`/api/v1/cases/${caseId}/votes`, as).send({
      outcome,
      ...(level ? { level } : {}),
      rationale: `${as.userId} finds it ${outcome} ${level ?? ''}`,
    });

  const sealedCommittee = async (caseId: string): Promise<SealedCommittee> => {
    const [sealed] = await testApp.dataSource.query<{ package_json: string }[]>(
      'SELECT package_json FROM case_decision WHERE case_id = $1 ORDER BY decided_at DESC LIMIT 1',
      [caseId],
    );
    return (JSON.parse(sealed.package_json) as { committee: SealedCommittee }).committee;
  };

  it('lets the certifier admin or the secretariat admin set the quorum, audited; nobody else', async () => {
    const read = await client.get(
      `/api/v1/organizations/${world.certifierId}`,
      world.sessions.certifier_admin,
    );
    expect(read.body.committeeQuorum).toBe(2);
    const byRater = await client
      .patch(`/api/v1/organizations/${world.certifierId}`, world.sessions.rater)
      .send({ version: read.body.version as number, committeeQuorum: 1 });
    expect(byRater.status).toBe(403);
    const zero = await client
      .patch(`/api/v1/organizations/${world.certifierId}`, world.sessions.certifier_admin)
      .send({ version: read.body.version as number, committeeQuorum: 0 });
    expect(zero.status).toBe(400);
    const onInstitution = await client
      .patch(`/api/v1/organizations/${world.institutionId}`, world.sessions.secretariat_admin)
      .send({ version: 1, committeeQuorum: 2 });
    expect(onInstitution.status).toBe(422);
    const [audited] = await testApp.dataSource.query<{ data: { changes: { committeeQuorum?: number } } }[]>(
      `SELECT data FROM audit_event WHERE entity_id = $1 AND action = 'organization.updated'
        ORDER BY sequence DESC LIMIT 1`,
      [world.certifierId],
    );
    expect(audited.data.changes.committeeQuorum).toBe(2);
  });

  describe.each(SHIPPED_EDITIONS)('on $editionId', ({ editionId }) => {
    const levels = LEVELS[editionId];
    const cases = (): CaseBuilder => builders.get(editionId)!;

    /** A case of this edition, everything met, in committee review with these members (all declared). */
    const inCommitteeReview = async (members: Session[], chair: Session | null = null): Promise<string> => {
      const issued = await cases().findingsIssued();
      await cases().assignTeam(issued.id, {
        leadRaterId: world.sessions.rater.userId,
        raterIds: [],
        committeeMemberIds: members.map((member) => member.userId),
        committeeChairId: chair?.userId ?? null,
      });
      for (const member of members) await cases().declare(issued.id, member);
      await cases().transition(issued.id, 'refer_to_committee', world.sessions.rater);
      return issued.id;
    };

    const decide = async (caseId: string, as: Session, data?: Record<string, unknown>): Promise<Response> => {
      const { version } = await cases().read(caseId);
      return client
        .post(`/api/v1/cases/${caseId}/transitions`, as)
        .send({ action: 'decide', version, ...(data ? { data } : {}) });
    };

    it('seals the majority once the quorum has voted, at the lowest level it supports, with the dissent in the package', async () => {
      const caseId = await inCommitteeReview([world.sessions.committee_member, second, third]);
      // One vote is below the quorum of 2.
      expect((await vote(caseId, world.sessions.committee_member, 'certified', levels.lower)).status).toBe(
        200,
      );
      const early = await decide(caseId, world.sessions.committee_member);
      expect({ status: early.status, code: early.body.code }).toEqual({
        status: 422,
        code: 'QUORUM_NOT_REACHED',
      });

      // The second member changes their vote before the seal: a new version, the latest counts.
      expect((await vote(caseId, second, 'certified', levels.earned)).status).toBe(200);
      expect((await vote(caseId, second, 'not_certified')).status).toBe(200);
      // The third member votes while deciding: certified (at gold, what the ratings earn, under 2022).
      const decided = await decide(caseId, third, {
        outcome: 'certified',
        ...(levels.earned ? { level: levels.earned } : {}),
        rationale: 'All met',
      });
      expect(decided.status).toBe(200);
      // Under 2022 the majority certifies at the lowest level its votes support; 2016 has no levels.
      expect({ outcome: decided.body.outcome, level: decided.body.level }).toEqual({
        outcome: 'certified',
        level: levels.lower ?? null,
      });

      const committee = await sealedCommittee(caseId);
      expect(committee.quorum).toBe(2);
      expect(committee.votes).toHaveLength(3);
      expect(committee.votes.find((entry) => entry.voterId === second.userId)?.version).toBe(2);
      // The dissent: the vote against, and under 2022 the vote for a higher level than sealed.
      const dissent = [
        [second.userId, 'not_certified', null],
        ...(levels.earned ? [[third.userId, 'certified', levels.earned]] : []),
      ];
      expect(committee.dissent.map((entry) => [entry.voterId, entry.outcome, entry.level]).sort()).toEqual(
        dissent.sort(),
      );
      // The committee sees every version of every vote.
      const seen = await client.get(`/api/v1/cases/${caseId}/votes`, third).expect(200);
      expect(seen.body.votes).toHaveLength(4);
      expect(seen.body.summary).toMatchObject({
        outcome: 'certified',
        level: levels.lower ?? null,
        dissentCount: dissent.length,
      });
    });

    it('never shows the institution the votes: nothing before the decision, only outcome and dissent count after', async () => {
      const caseId = await inCommitteeReview([world.sessions.committee_member, second]);
      await vote(caseId, second, 'not_certified');
      const institution = world.sessions.institution_admin;

      const before = await client.get(`/api/v1/cases/${caseId}/votes`, institution).expect(200);
      expect(before.body).toMatchObject({ votes: [], summary: null });
      const historyBefore = await client.get(`/api/v1/cases/${caseId}/history`, institution).expect(200);
      expect(JSON.stringify(historyBefore.body)).not.toContain('vote');
      // A rater of the case sees the case but not the committee's votes.
      await client.get(`/api/v1/cases/${caseId}/votes`, world.sessions.rater).expect(403);

      await vote(caseId, world.sessions.committee_member, 'not_certified');
      expect((await decide(caseId, world.sessions.committee_member)).status).toBe(200);
      const after = await client.get(`/api/v1/cases/${caseId}/votes`, institution).expect(200);
      expect(after.body.votes).toEqual([]);
      expect(after.body.summary).toMatchObject({ outcome: 'not_certified', dissentCount: 0 });
      const history = await client.get(`/api/v1/cases/${caseId}/history`, institution).expect(200);
      const text = JSON.stringify(history.body);
      expect(text).not.toContain('committee.vote_cast');
      expect(text).not.toContain('voterId');
      const decideEvent = (history.body as { action: string; data: Record<string, unknown> }[]).find(
        (event) => event.action === 'case.decide',
      );
      expect(decideEvent?.data).toMatchObject({ outcome: 'not_certified', dissentCount: 0, votes: 2 });
      // Counts only: who voted how stays with the committee.
      expect(Object.keys(decideEvent?.data ?? {}).sort()).toEqual(
        ['appealDueOn', 'dissentCount', 'level', 'outcome', 'packageSha256', 'rationale', 'votes'].sort(),
      );
    });

    it("breaks a tie with the chair's casting vote", async () => {
      const caseId = await inCommitteeReview([world.sessions.committee_member, second], second);
      await vote(caseId, world.sessions.committee_member, 'not_certified');
      await vote(caseId, second, 'certified', levels.lowest);
      const decided = await decide(caseId, world.sessions.committee_member);
      expect(decided.status).toBe(200);
      expect({ outcome: decided.body.outcome, level: decided.body.level }).toEqual({
        outcome: 'certified',
        level: levels.lowest ?? null,
      });
      const committee = await sealedCommittee(caseId);
      expect(committee.decidedByCastingVote).toBe(true);
      expect(committee.dissent.map((entry) => entry.voterId)).toEqual([
        world.sessions.committee_member.userId,
      ]);
    });

    it('refuses a tie without a chair; the committee returns the case and votes afresh on the next referral', async () => {
      const caseId = await inCommitteeReview([world.sessions.committee_member, second]);
      await vote(caseId, world.sessions.committee_member, 'not_certified');
      await vote(caseId, second, 'certified');
      const tied = await decide(caseId, second);
      expect({ status: tied.status, code: tied.body.code }).toEqual({ status: 422, code: 'COMMITTEE_TIED' });
      expect((await cases().read(caseId)).status).toBe('committee_review');

      await cases().transition(caseId, 'return_to_team', second, {
        reason: 'We are split: look again at 2.1',
      });
      await cases().transition(caseId, 'refer_to_committee', world.sessions.rater);
      // The earlier round's votes do not count: one new vote is below the quorum.
      await vote(caseId, second, 'certified');
      const early = await decide(caseId, second);
      expect(early.body.code).toBe('QUORUM_NOT_REACHED');
      const votes = await client.get(`/api/v1/cases/${caseId}/votes`, second).expect(200);
      expect(votes.body.round).toBe(2);
    });

    it('keeps on the committee, until the review ends, a member who has voted in it', async () => {
      const caseId = await inCommitteeReview([world.sessions.committee_member, second, third]);
      expect((await vote(caseId, second, 'not_certified')).status).toBe(200);
      const assign = async (committeeMemberIds: string[]) =>
        client.put(`/api/v1/cases/${caseId}/team`, world.sessions.certifier_admin).send({
          version: (await cases().read(caseId)).version,
          leadRaterId: world.sessions.rater.userId,
          raterIds: [],
          committeeMemberIds,
        });
      const dropped = await assign([world.sessions.committee_member.userId, third.userId]);
      expect({ status: dropped.status, code: dropped.body.code }).toEqual({
        status: 409,
        code: 'CASE_LOCKED',
      });
      expect(dropped.body.details).toEqual([expect.objectContaining({ userId: second.userId })]);
      // A member who has not voted may still leave.
      expect((await assign([world.sessions.committee_member.userId, second.userId])).status).toBe(200);
    });

    it('refuses resolve_appeal to every member who voted on the decision, not only the one who sealed it', async () => {
      const caseId = await inCommitteeReview([world.sessions.committee_member, second]);
      expect((await vote(caseId, second, 'not_certified')).status).toBe(200);
      const decided = await decide(caseId, world.sessions.committee_member, {
        outcome: 'not_certified',
        rationale: 'Complaints are not followed up',
      });
      expect(decided.status).toBe(200);
      await cases().transition(caseId, 'appeal', world.sessions.institution_admin, {
        reason: 'Our complaints log was not read',
      });
      const resolve = async (as: Session): Promise<Response> =>
        client.post(`/api/v1/cases/${caseId}/transitions`, as).send({
          action: 'resolve_appeal',
          version: (await cases().read(caseId)).version,
          data: { result: 'upheld', rationale: 'The decision stands' },
        });
      for (const member of [second, world.sessions.committee_member]) {
        const refused = await resolve(member);
        expect({ status: refused.status, code: refused.body.code }).toEqual({
          status: 422,
          code: 'APPEAL_REVIEWER_NOT_INDEPENDENT',
        });
      }
      // A member who took no part resolves it.
      await cases().assignTeam(caseId, {
        leadRaterId: world.sessions.rater.userId,
        raterIds: [],
        committeeMemberIds: [world.sessions.committee_member.userId, second.userId, third.userId],
      });
      await cases().declare(caseId, third);
      expect((await resolve(third)).status).toBe(200);
    });

    it('refuses a vote from a member who has not declared, and votes outside committee review', async () => {
      const caseId = await inCommitteeReview([world.sessions.committee_member]);
      await cases().assignTeam(caseId, {
        leadRaterId: world.sessions.rater.userId,
        raterIds: [],
        committeeMemberIds: [world.sessions.committee_member.userId, second.userId],
      });
      const undeclared = await vote(caseId, second, 'certified');
      expect({ status: undeclared.status, code: undeclared.body.code }).toEqual({
        status: 422,
        code: 'TEAM_CONFLICT_UNDECLARED',
      });
      const onsite = await cases().onsite();
      const outside = await vote(onsite.id, world.sessions.committee_member, 'certified');
      expect({ status: outside.status, code: outside.body.code }).toEqual({
        status: 409,
        code: 'CASE_LOCKED',
      });
    });
  });
});
