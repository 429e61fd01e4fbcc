import { randomBytes } from 'node:crypto';
import type { Response } from 'supertest';
import { ApiClient, type Session } from '../support/api-client';
import { anOrganization, aSignedInUser } from '../support/builders';
import type { CaseRef } from '../support/case-builder';
import { anEdition } from '../support/edition-builder';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import {
  addCalendarDays,
  addMonths,
  CaseFixtures,
  type CaseState,
  countRows,
  errorOf,
  once,
  todayUtc,
  userIdsOf,
} from './case-fixtures';

const unique = (): string => randomBytes(3).toString('hex');

describe('the guards of the case engine', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let root: Session;
  let cases: CaseFixtures;

  const newUser = (organizationId: string, role: Parameters<typeof aSignedInUser>[3]) =>
    aSignedInUser(client, root, organizationId, role);

  const transition = (
    caseId: string,
    as: Session,
    body: { action: string; version: number; reason?: string; data?: Record<string, unknown> },
  ) => client.post(`/api/v1/cases/${caseId}/transitions`, as).send(body);

  /** The transition with the version the case has now. */
  const act = async (
    caseId: string,
    as: Session,
    action: string,
    extra: { reason?: string; data?: Record<string, unknown> } = {},
  ): Promise<Response> =>
    transition(caseId, as, { action, version: (await cases.read(caseId)).version, ...extra });

  const putTeam = async (
    caseId: string,
    team: { leadRaterId: string; raterIds: string[]; committeeMemberIds: string[] },
  ): Promise<Response> =>
    client
      .put(`/api/v1/cases/${caseId}/team`, world.sessions.certifier_admin)
      .send({ version: (await cases.read(caseId)).version, ...team });

  const recordPriorService = (body: Record<string, unknown>) =>
    client
      .post(`/api/v1/organizations/${world.certifierId}/prior-services`, world.sessions.certifier_admin)
      .send(body);

  const expectUnchanged = async (caseId: string, before: CaseState): Promise<void> => {
    expect(await cases.state(caseId)).toEqual(before);
  };

  /** Runs a request that must store nothing: no case and no audit event. */
  const storingNothing = async (run: () => Promise<Response>): Promise<Response> => {
    const before = [await countRows(testApp, 'certification_case'), await countRows(testApp, 'audit_event')];
    const response = await run();
    expect([await countRows(testApp, 'certification_case'), await countRows(testApp, 'audit_event')]).toEqual(
      before,
    );
    return response;
  };

  /** A new institution with its profile and a signed-in admin. */
  const anotherInstitution = async (): Promise<{ id: string; admin: Session }> => {
    const { id } = await anOrganization('institution').create(client, root);
    return { id, admin: await newUser(id, 'institution_admin') };
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    cases = new CaseFixtures(client, world);
  });

  afterAll(() => testApp?.close());

  describe('opening a case', () => {
    const open = (body: Record<string, unknown>) =>
      client.post('/api/v1/cases', world.sessions.institution_admin).send({
        editionId: world.openEditionId,
        certifierId: world.certifierId,
        type: 'certification',
        ...body,
      });

    it('refuses a certification body that holds no license', async () => {
      const { id } = await anOrganization('certifier').withoutLicense().create(client, root);

      const response = await storingNothing(() => open({ certifierId: id }));

      expect(errorOf(response)).toEqual({
        status: 422,
        code: 'CERTIFIER_NOT_LICENSED',
        fields: ['certifierId'],
      });
    });

    it('refuses a certification body whose license has expired', async () => {
      const { id } = await anOrganization('certifier').create(client, root);
      await client
        .put(`/api/v1/organizations/${id}/license`, root)
        .send({ validFrom: addCalendarDays(todayUtc(), -730), validUntil: addCalendarDays(todayUtc(), -1) })
        .expect(200);

      const response = await storingNothing(() => open({ certifierId: id }));

      expect(errorOf(response)).toEqual({
        status: 422,
        code: 'CERTIFIER_NOT_LICENSED',
        fields: ['certifierId'],
      });
    });

    it('refuses an organization that is not a certification body', async () => {
      const response = await storingNothing(() => open({ certifierId: world.otherInstitutionId }));

      expect(errorOf(response)).toEqual({
        status: 422,
        code: 'ORGANIZATION_NOT_CERTIFIER',
        fields: ['certifierId'],
      });
    });

    it('refuses an edition that is still a draft, or unknown', async () => {
      const draft = await client.post('/api/v1/standards', root).send(anEdition().build()).expect(201);
      expect(draft.body.status).toBe('draft');

      const drafted = await storingNothing(() => open({ editionId: draft.body.id }));
      const unknown = await storingNothing(() => open({ editionId: 'cps-1999' }));

      expect(errorOf(drafted)).toEqual({ status: 422, code: 'EDITION_NOT_PUBLISHED', fields: ['editionId'] });
      expect(errorOf(unknown)).toEqual({ status: 422, code: 'EDITION_NOT_PUBLISHED', fields: ['editionId'] });
    });

    it('refuses a check-in that names no certificate', async () => {
      const response = await storingNothing(() => open({ type: 'check_in' }));

      expect(errorOf(response)).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: ['certificateNumber'],
      });
    });

    it('refuses to submit to a certification body whose license expired after the case was opened', async () => {
      const certifier = await anOrganization('certifier').create(client, root);
      const opened = await cases.open({ certifierId: certifier.id });
      await cases.completeSelfAssessment(opened.id);
      await client
        .put(`/api/v1/organizations/${certifier.id}/license`, root)
        .send({ validFrom: addCalendarDays(todayUtc(), -400), validUntil: addCalendarDays(todayUtc(), -2) })
        .expect(200);
      const before = await cases.state(opened.id);

      const response = await act(opened.id, world.sessions.institution_admin, 'submit');

      expect(errorOf(response)).toMatchObject({ status: 422, code: 'CERTIFIER_NOT_LICENSED' });
      await expectUnchanged(opened.id, before);
    });

    it('refuses to accept for a certification body whose license expired after the submission', async () => {
      const certifier = await anOrganization('certifier').create(client, root);
      const certifierAdmin = await newUser(certifier.id, 'certifier_admin');
      const rater = await newUser(certifier.id, 'rater');
      const submitted = await cases.submittedBy(world.sessions.institution_admin, certifier.id);
      await client
        .put(`/api/v1/organizations/${certifier.id}/license`, root)
        .send({ validFrom: addCalendarDays(todayUtc(), -400), validUntil: addCalendarDays(todayUtc(), -2) })
        .expect(200);
      const before = await cases.state(submitted.id);

      const response = await act(submitted.id, certifierAdmin, 'accept', {
        data: { leadRaterId: rater.userId },
      });

      expect(errorOf(response)).toMatchObject({ status: 422, code: 'CERTIFIER_NOT_LICENSED' });
      await expectUnchanged(submitted.id, before);
    });
  });

  describe('submitting', () => {
    it('refuses while the self-assessment leaves applicable indicators unanswered', async () => {
      const opened = await cases.open();
      await client
        .put(`/api/v1/cases/${opened.id}/self-assessment`, world.sessions.institution_admin)
        .send({ answers: [{ indicatorCode: '1.1.1', rating: 'met', comment: 'Board minutes' }] })
        .expect(200);
      const before = await cases.state(opened.id);

      const response = await act(opened.id, world.sessions.institution_admin, 'submit');

      expect(errorOf(response)).toMatchObject({ status: 422, code: 'SELF_ASSESSMENT_INCOMPLETE' });
      const unanswered = (response.body.details as { indicatorCode: string }[]).map((d) => d.indicatorCode);
      expect(unanswered).toContain('1.1.2');
      expect(unanswered).not.toContain('1.1.1');
      expect(unanswered).not.toContain('1.1.3'); // not applicable without savings
      await expectUnchanged(opened.id, before);
    });

    it('refuses for an institution that has not filled its profile', async () => {
      const institution = await client
        .post('/api/v1/organizations', root)
        .send({ kind: 'institution', name: `No profile ${unique()}`, country: 'BO' })
        .expect(201);
      expect(institution.body.profile ?? null).toBeNull();
      const admin = await newUser(institution.body.id, 'institution_admin');
      const opened = await cases.open({ as: admin });
      const before = await cases.state(opened.id);

      const response = await act(opened.id, admin, 'submit');

      expect(errorOf(response)).toMatchObject({ status: 422, code: 'INSTITUTION_PROFILE_MISSING' });
      await expectUnchanged(opened.id, before);
    });
  });

  describe('accepting', () => {
    let submitted: CaseRef;
    let otherCertifierRater: Session;

    beforeAll(async () => {
      otherCertifierRater = await newUser(world.otherCertifierId, 'rater');
      submitted = await cases.submitted();
    });

    it.each([
      ['a committee member', () => world.sessions.committee_member.userId],
      ['a rater of another certification body', () => otherCertifierRater.userId],
      ['the certification body admin', () => world.sessions.certifier_admin.userId],
      ['an institution user', () => world.sessions.institution_admin.userId],
    ])('refuses %s as lead rater', async (_who, leadRaterIdOf) => {
      const before = await cases.state(submitted.id);

      const response = await act(submitted.id, world.sessions.certifier_admin, 'accept', {
        data: { leadRaterId: leadRaterIdOf() },
      });

      expect(errorOf(response)).toEqual({
        status: 422,
        code: 'TEAM_MEMBER_INVALID',
        fields: ['data.leadRaterId'],
      });
      await expectUnchanged(submitted.id, before);
    });

    it.each([
      ['no data', undefined],
      ['no lead rater', {}],
      ['a lead rater id that is not a UUID', { leadRaterId: 'rater-1' }],
    ])('refuses %s as a validation error', async (_what, data) => {
      const before = await cases.state(submitted.id);

      const response = await act(
        submitted.id,
        world.sessions.certifier_admin,
        'accept',
        data ? { data } : {},
      );

      expect(errorOf(response)).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: ['data.leadRaterId'],
      });
      await expectUnchanged(submitted.id, before);
    });
  });

  describe('conflicts of interest', () => {
    describe('a rater who declared a conflict', () => {
      let inReview: CaseRef;
      let conflicted: Session;

      beforeAll(async () => {
        conflicted = await newUser(world.certifierId, 'rater');
        inReview = await cases.inDeskReview();
        await cases.assignTeam(inReview.id, {
          leadRaterId: world.sessions.rater.userId,
          raterIds: [conflicted.userId],
          committeeMemberIds: [world.sessions.committee_member.userId],
        });
        await cases.declare(inReview.id, world.sessions.rater);
        await cases.declare(inReview.id, world.sessions.committee_member);
        await cases.declare(inReview.id, conflicted, true);
        await cases.setMission(inReview.id);
      });

      it('keeps the onsite visit from starting', async () => {
        const before = await cases.state(inReview.id);

        const response = await act(inReview.id, world.sessions.rater, 'start_onsite');

        expect(errorOf(response)).toMatchObject({ status: 422, code: 'CONFLICT_OF_INTEREST' });
        expect(userIdsOf(response)).toEqual([conflicted.userId]);
        await expectUnchanged(inReview.id, before);
      });

      it('cannot be assigned to the team again', async () => {
        const before = await cases.state(inReview.id);

        const response = await putTeam(inReview.id, {
          leadRaterId: world.sessions.rater.userId,
          raterIds: [conflicted.userId],
          committeeMemberIds: [world.sessions.committee_member.userId],
        });

        expect(errorOf(response)).toMatchObject({ status: 422, code: 'CONFLICT_OF_INTEREST' });
        expect(userIdsOf(response)).toEqual([conflicted.userId]);
        await expectUnchanged(inReview.id, before);
      });

      it('cannot be the lead rater either', async () => {
        const before = await cases.state(inReview.id);

        const response = await putTeam(inReview.id, {
          leadRaterId: conflicted.userId,
          raterIds: [world.sessions.rater.userId],
          committeeMemberIds: [world.sessions.committee_member.userId],
        });

        expect(errorOf(response)).toMatchObject({ status: 422, code: 'CONFLICT_OF_INTEREST' });
        await expectUnchanged(inReview.id, before);
      });
    });

    describe('prior services to the institution', () => {
      let inReview: CaseRef;
      let consultant: Session;
      let formerConsultant: Session;
      let endedOn: string;

      beforeAll(async () => {
        consultant = await newUser(world.certifierId, 'rater');
        formerConsultant = await newUser(world.certifierId, 'rater');
        inReview = await cases.inDeskReview();
        endedOn = addMonths(todayUtc(), -20);
      });

      it('records a consulting service that ended 20 months ago, blocking for 24 months from its end', async () => {
        const response = await recordPriorService({
          institutionId: world.institutionId,
          userId: consultant.userId,
          kind: 'consulting',
          endedOn,
        }).expect(201);

        expect(response.body).toMatchObject({
          certifierId: world.certifierId,
          institutionId: world.institutionId,
          userId: consultant.userId,
          kind: 'consulting',
          endedOn,
          blocksUntil: addMonths(endedOn, 24),
        });
        expect(response.body.blocksUntil > todayUtc()).toBe(true);
      });

      it('keeps the person who served from the team', async () => {
        const before = await cases.state(inReview.id);

        const response = await putTeam(inReview.id, {
          leadRaterId: world.sessions.rater.userId,
          raterIds: [consultant.userId],
          committeeMemberIds: [world.sessions.committee_member.userId],
        });

        expect(errorOf(response)).toMatchObject({ status: 422, code: 'CONFLICT_OF_INTEREST' });
        expect(userIdsOf(response)).toEqual([consultant.userId]);
        await expectUnchanged(inReview.id, before);
      });

      it('no longer blocks once it ended more than 24 months ago', async () => {
        const oldService = await recordPriorService({
          institutionId: world.institutionId,
          userId: formerConsultant.userId,
          kind: 'consulting',
          endedOn: addMonths(todayUtc(), -25),
        }).expect(201);
        expect(oldService.body.blocksUntil < todayUtc()).toBe(true);

        const response = await putTeam(inReview.id, {
          leadRaterId: world.sessions.rater.userId,
          raterIds: [formerConsultant.userId],
          committeeMemberIds: [world.sessions.committee_member.userId],
        });

        expect(response.status).toBe(200);
        expect((response.body.team.raters as { id: string }[]).map((rater) => rater.id)).toEqual([
          formerConsultant.userId,
        ]);
      });

      it('keeps the onsite visit from starting when recorded after the assignment', async () => {
        await cases.declare(inReview.id, world.sessions.rater);
        await cases.declare(inReview.id, world.sessions.committee_member);
        await cases.declare(inReview.id, formerConsultant);
        await cases.setMission(inReview.id);
        await recordPriorService({
          institutionId: world.institutionId,
          userId: formerConsultant.userId,
          kind: 'pre_certification',
          endedOn: addMonths(todayUtc(), -3),
        }).expect(201);
        const before = await cases.state(inReview.id);

        const response = await act(inReview.id, world.sessions.rater, 'start_onsite');

        expect(errorOf(response)).toMatchObject({ status: 422, code: 'CONFLICT_OF_INTEREST' });
        expect(userIdsOf(response)).toEqual([formerConsultant.userId]);
        await expectUnchanged(inReview.id, before);
      });

      it('keeps a certification body that served the institution itself from accepting', async () => {
        const institution = await anotherInstitution();
        const submitted = await cases.submittedBy(institution.admin, world.certifierId);
        const service = await recordPriorService({
          institutionId: institution.id,
          kind: 'pre_certification',
          endedOn: addMonths(todayUtc(), -6),
        }).expect(201);
        expect(service.body.userId).toBeNull();
        const before = await cases.state(submitted.id);

        const response = await act(submitted.id, world.sessions.certifier_admin, 'accept', {
          data: { leadRaterId: world.sessions.rater.userId },
        });

        expect(errorOf(response)).toEqual({
          status: 422,
          code: 'CONFLICT_OF_INTEREST',
          fields: ['certifierId'],
        });
        await expectUnchanged(submitted.id, before);
      });
    });
  });

  describe('the committee', () => {
    let inReview: CaseRef;

    beforeAll(async () => {
      inReview = await cases.inDeskReview();
    });

    it('may not sit on the mission team of the case it decides', async () => {
      const before = await cases.state(inReview.id);

      const response = await putTeam(inReview.id, {
        leadRaterId: world.sessions.rater.userId,
        raterIds: [world.sessions.committee_member.userId],
        committeeMemberIds: [world.sessions.committee_member.userId],
      });

      expect(errorOf(response)).toEqual({
        status: 422,
        code: 'COMMITTEE_NOT_INDEPENDENT',
        fields: ['committeeMemberIds'],
      });
      expect(userIdsOf(response)).toEqual([world.sessions.committee_member.userId]);
      await expectUnchanged(inReview.id, before);
    });

    it('takes only committee members', async () => {
      const rater = await newUser(world.certifierId, 'rater');
      const before = await cases.state(inReview.id);

      const response = await putTeam(inReview.id, {
        leadRaterId: world.sessions.rater.userId,
        raterIds: [],
        committeeMemberIds: [rater.userId],
      });

      expect(errorOf(response)).toEqual({
        status: 422,
        code: 'TEAM_MEMBER_INVALID',
        fields: ['committeeMemberIds'],
      });
      expect(userIdsOf(response)).toEqual([rater.userId]);
      await expectUnchanged(inReview.id, before);
    });
  });

  describe('starting the onsite visit', () => {
    let inReview: CaseRef;

    beforeAll(async () => {
      inReview = await cases.inDeskReview();
      await cases.declare(inReview.id, world.sessions.rater);
    });

    it('needs the mission planned', async () => {
      const before = await cases.state(inReview.id);

      const response = await act(inReview.id, world.sessions.rater, 'start_onsite');

      expect(errorOf(response)).toMatchObject({ status: 422, code: 'MISSION_NOT_SET' });
      await expectUnchanged(inReview.id, before);
    });

    it('needs every team member to have declared, naming who has not', async () => {
      await cases.setMission(inReview.id);
      const before = await cases.state(inReview.id);

      const response = await act(inReview.id, world.sessions.rater, 'start_onsite');

      expect(errorOf(response)).toMatchObject({ status: 422, code: 'TEAM_CONFLICT_UNDECLARED' });
      expect(userIdsOf(response)).toEqual([world.sessions.committee_member.userId]);
      await expectUnchanged(inReview.id, before);
    });

    it('starts once the last member has declared', async () => {
      await cases.declare(inReview.id, world.sessions.committee_member);

      const response = await act(inReview.id, world.sessions.rater, 'start_onsite');

      expect(response.status).toBe(200);
      expect(response.body.status).toBe('onsite');
    });
  });

  describe('the state machine', () => {
    // Made on first use, so that a fixture that cannot be made fails only the tests that need it.
    const draft = once(() => cases.open());
    const submitted = once(() => cases.submitted());
    const inReview = once(() => cases.inDeskReview());

    it('refuses an action the status does not allow', async () => {
      const { id } = await submitted();
      const before = await cases.state(id);

      const response = await act(id, world.sessions.certifier_admin, 'start_onsite');

      expect(errorOf(response)).toMatchObject({ status: 409, code: 'INVALID_TRANSITION' });
      await expectUnchanged(id, before);
    });

    it('refuses a request made on a version that is no longer current', async () => {
      const { id } = await submitted();
      const before = await cases.state(id);

      const response = await transition(id, world.sessions.certifier_admin, {
        action: 'accept',
        version: before.version - 1,
        data: { leadRaterId: world.sessions.rater.userId },
      });

      expect(errorOf(response)).toMatchObject({ status: 409, code: 'STALE_VERSION' });
      await expectUnchanged(id, before);
    });

    it('refuses an action the state machine does not know', async () => {
      const { id } = await submitted();
      const before = await cases.state(id);

      const response = await act(id, world.sessions.certifier_admin, 'approve');

      expect(errorOf(response)).toEqual({ status: 400, code: 'VALIDATION_FAILED', fields: ['action'] });
      await expectUnchanged(id, before);
    });

    it.each([
      ['decline without a reason', submitted, () => world.sessions.certifier_admin, 'decline', undefined],
      ['decline with a blank reason', submitted, () => world.sessions.certifier_admin, 'decline', '   '],
      ['withdraw without a reason', draft, () => world.sessions.institution_admin, 'withdraw', undefined],
      ['withdraw with a blank reason', inReview, () => world.sessions.institution_admin, 'withdraw', ''],
    ])('refuses to %s', async (_what, caseOf, sessionOf, action, reason) => {
      const { id } = await caseOf();
      const before = await cases.state(id);

      const response = await act(id, sessionOf(), action, reason === undefined ? {} : { reason });

      expect(errorOf(response)).toEqual({ status: 400, code: 'VALIDATION_FAILED', fields: ['reason'] });
      await expectUnchanged(id, before);
    });

    it.each([
      ['the institution member submitting', draft, () => world.sessions.institution_member, 'submit', 403],
      ['the institution admin accepting', submitted, () => world.sessions.institution_admin, 'accept', 403],
      ['the lead rater withdrawing', inReview, () => world.sessions.rater, 'withdraw', 403],
      [
        'the committee member starting the onsite visit',
        inReview,
        () => world.sessions.committee_member,
        'start_onsite',
        403,
      ],
      [
        'the certifier admin starting the onsite visit',
        inReview,
        () => world.sessions.certifier_admin,
        'start_onsite',
        403,
      ],
      [
        'the admin of another institution submitting',
        draft,
        () => world.sessions.other_institution_admin,
        'submit',
        404,
      ],
      [
        'the admin of another certification body accepting',
        submitted,
        () => world.sessions.other_certifier_admin,
        'accept',
        404,
      ],
      // A rater sees only the cases whose team they are on, and nobody is on a submitted case's team.
      ['a rater accepting a case it cannot see', submitted, () => world.sessions.rater, 'accept', 404],
    ])('refuses %s', async (_who, caseOf, sessionOf, action, status) => {
      const { id } = await caseOf();
      const before = await cases.state(id);

      const response = await act(id, sessionOf(), action, {
        reason: 'Not ours to take',
        data: { leadRaterId: world.sessions.rater.userId },
      });

      expect(response.status).toBe(status);
      await expectUnchanged(id, before);
    });

    it('lets the institution withdraw during desk review, keeping its reason', async () => {
      const { id } = await inReview();
      const response = await act(id, world.sessions.institution_admin, 'withdraw', {
        reason: 'The board postponed the certification to next year',
      });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'withdrawn', availableActions: [] });
      expect((await cases.history(id)).at(-1)).toMatchObject({
        action: 'case.withdraw',
        actor: { id: world.sessions.institution_admin.userId },
        fromStatus: 'desk_review',
        toStatus: 'withdrawn',
        reason: 'The board postponed the certification to next year',
      });
    });

    it('lets the certification body decline a submission, keeping its reason', async () => {
      const { id } = await submitted();
      const response = await act(id, world.sessions.certifier_admin, 'decline', {
        reason: 'No rater available in the region this quarter',
      });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'declined', availableActions: [] });
      expect((await cases.history(id)).at(-1)).toMatchObject({
        action: 'case.decline',
        actor: { id: world.sessions.certifier_admin.userId },
        fromStatus: 'submitted',
        toStatus: 'declined',
        reason: 'No rater available in the region this quarter',
      });
    });
  });

  describe('conflict-of-interest declarations', () => {
    let inReview: CaseRef;
    let outsideRater: Session;

    beforeAll(async () => {
      outsideRater = await newUser(world.certifierId, 'rater');
      inReview = await cases.inDeskReview();
    });

    const declare = (session: Session) =>
      client
        .post(`/api/v1/cases/${inReview.id}/coi-declarations`, session)
        .send({ hasConflict: false, statement: 'No relationship with the institution' });

    it('are refused to the certification body admin, who is never on a team', async () => {
      const before = await cases.state(inReview.id);

      const response = await declare(world.sessions.certifier_admin);

      // The role lacks the permission, so the route refuses it (FORBIDDEN) before the team check.
      expect(errorOf(response)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      await expectUnchanged(inReview.id, before);
    });

    it('are refused to a rater who is not on the team, who does not see the case', async () => {
      const before = await cases.state(inReview.id);

      const response = await declare(outsideRater);

      expect(errorOf(response)).toMatchObject({ status: 404, code: 'NOT_FOUND' });
      await expectUnchanged(inReview.id, before);
    });
  });

  describe('the mission', () => {
    it('is planned by the lead rater only', async () => {
      const secondRater = await newUser(world.certifierId, 'rater');
      const inReview = await cases.inDeskReview();
      await cases.assignTeam(inReview.id, {
        leadRaterId: world.sessions.rater.userId,
        raterIds: [secondRater.userId],
        committeeMemberIds: [world.sessions.committee_member.userId],
      });
      const before = await cases.state(inReview.id);

      const response = await client.put(`/api/v1/cases/${inReview.id}/mission`, secondRater).send({
        version: before.version,
        startsOn: addCalendarDays(todayUtc(), 10),
        endsOn: addCalendarDays(todayUtc(), 12),
        branchesVisited: ['Head office'],
        interviews: { clients: 10, staff: 5, management: 2 },
      });

      expect(errorOf(response)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      await expectUnchanged(inReview.id, before);
      expect((await cases.read(inReview.id)).mission).toBeNull();
    });
  });

  describe('the self-assessment', () => {
    let draft: CaseRef;

    const save = (answers: Record<string, unknown>[], caseId = draft.id) =>
      client
        .put(`/api/v1/cases/${caseId}/self-assessment`, world.sessions.institution_admin)
        .send({ answers });
    const answeredCount = async (caseId = draft.id): Promise<number> =>
      (
        await client
          .get(`/api/v1/cases/${caseId}/self-assessment`, world.sessions.institution_admin)
          .expect(200)
      ).body.answeredCount as number;

    beforeAll(async () => {
      draft = await cases.open();
      await save([{ indicatorCode: '1.2.1', rating: 'met' }]).expect(200);
    });

    it('is locked once the case is submitted', async () => {
      const submitted = await cases.submitted();
      const before = await cases.state(submitted.id);

      const response = await save([{ indicatorCode: '1.1.1', rating: 'not_met' }], submitted.id);

      expect(errorOf(response)).toMatchObject({ status: 409, code: 'CASE_LOCKED' });
      await expectUnchanged(submitted.id, before);
      const saved = await client
        .get(`/api/v1/cases/${submitted.id}/self-assessment`, world.sessions.institution_admin)
        .expect(200);
      const answers = saved.body.answers as { indicatorCode: string; rating: string | null }[];
      expect(answers.find((entry) => entry.indicatorCode === '1.1.1')?.rating).toBe('met');
    });

    it.each([
      [
        'an indicator code the edition does not have',
        [{ indicatorCode: '9.9.9', rating: 'met' }],
        { status: 422, code: 'UNKNOWN_INDICATOR_CODES', fields: ['answers[0].indicatorCode'] },
      ],
      [
        'a rating outside the scale',
        [{ indicatorCode: '1.1.1', rating: 'excellent' }],
        { status: 400, code: 'VALIDATION_FAILED', fields: ['answers[0].rating'] },
      ],
      [
        'not applicable without a justification',
        [{ indicatorCode: '1.1.1', rating: 'not_applicable' }],
        { status: 400, code: 'VALIDATION_FAILED', fields: ['answers[0].comment'] },
      ],
      [
        'an answer to an indicator the profile makes inapplicable',
        [{ indicatorCode: '1.1.3', rating: 'met', comment: 'We collect deposits' }],
        { status: 422, code: 'INDICATOR_NOT_APPLICABLE', fields: ['answers[0].indicatorCode'] },
      ],
      [
        'a valid answer together with an unknown code',
        [
          { indicatorCode: '1.1.1', rating: 'met' },
          { indicatorCode: '8.1.1', rating: 'met' },
        ],
        { status: 422, code: 'UNKNOWN_INDICATOR_CODES', fields: ['answers[1].indicatorCode'] },
      ],
    ])('refuses %s and saves nothing', async (_what, answers, expected) => {
      const before = await cases.state(draft.id);
      const answeredBefore = await answeredCount();

      const response = await save(answers);

      expect(errorOf(response)).toEqual(expected);
      expect(await answeredCount()).toBe(answeredBefore);
      await expectUnchanged(draft.id, before);
    });

    it('does not count answers given under one edition as answers to another edition', async () => {
      // The same code means another indicator in another edition: 1.1.3 is about savings in cps-2016
      // and about insurance in cps-2022.
      const opened = await cases.open({ editionId: world.openEditionId });
      await cases.completeSelfAssessment(opened.id);
      await client
        .patch(`/api/v1/cases/${opened.id}`, world.sessions.institution_admin)
        .send({ version: (await cases.read(opened.id)).version, editionId: 'cps-2022' })
        .expect(200);

      const response = await client
        .get(`/api/v1/cases/${opened.id}/self-assessment`, world.sessions.institution_admin)
        .expect(200);

      expect(response.body).toMatchObject({ editionId: 'cps-2022', answeredCount: 0, isComplete: false });
      const carriedOver = (
        response.body.answers as { indicatorCode: string; applicable: boolean; rating: string }[]
      )
        .filter((answer) => answer.applicable && answer.rating !== null)
        .map((answer) => answer.indicatorCode);
      expect(carriedOver).toEqual([]);
    });
  });
});
