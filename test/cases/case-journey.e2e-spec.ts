import { createHash, randomBytes } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { ApiClient, type Session } from '../support/api-client';
import { aSignedInUser, institutionProfile } from '../support/builders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { addCalendarDays, fieldsOf, type HistoryEvent, todayUtc, workingDaysAfter } from './case-fixtures';
import { indicatorsOfDocument } from '../support/edition-builder';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface IndicatorNode {
  code: string;
  appliesWhen?: { anyOf?: string[]; allOf?: string[] };
}

interface SelfAssessmentAnswer {
  indicatorCode: string;
  applicable: boolean;
  rating: string | null;
  comment: string | null;
  inapplicableReason: string | null;
}

/** Every indicator of an edition document, in document order. */
function indicatorsOf(edition: Record<string, any>): IndicatorNode[] {
  return indicatorsOfDocument<IndicatorNode>(edition);
}

/** Whether the profile makes the indicator apply, from the edition's own conditions. */
function appliesTo(indicator: IndicatorNode, profile: Record<string, unknown>): boolean {
  const condition = indicator.appliesWhen;
  if (!condition) return true;
  const isSet = (flag: string): boolean => profile[flag] === true;
  return (
    (!condition.anyOf || condition.anyOf.some(isSet)) && (!condition.allOf || condition.allOf.every(isSet))
  );
}

describe('a certification case from draft to the onsite visit', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let secondRater: Session;
  let outsideRater: Session;
  const names = new Map<string, string>();
  const profile = institutionProfile({ offersSavings: false, offersCredit: true, groupLending: true });

  // Built up step by step by the journey below.
  let caseId: string;
  let version: number;

  const path = (suffix = ''): string => `/api/v1/cases/${caseId}${suffix}`;
  const readAs = (session: Session) => client.get(path(), session);

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    const root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    secondRater = await aSignedInUser(client, root, world.certifierId, 'rater');
    outsideRater = await aSignedInUser(client, root, world.certifierId, 'rater');

    // The institution offers no savings: the savings indicators do not apply to it.
    const institution = await client
      .get(`/api/v1/organizations/${world.institutionId}`, world.sessions.institution_admin)
      .expect(200);
    await client
      .patch(`/api/v1/organizations/${world.institutionId}`, world.sessions.institution_admin)
      .send({ version: institution.body.version, profile })
      .expect(200);

    for (const session of [...Object.values(world.sessions), secondRater]) {
      const me = await client.get('/api/v1/me', session).expect(200);
      names.set(me.body.id as string, me.body.name as string);
    }
  });

  afterAll(() => testApp?.close());

  describe('the journey', () => {
    it('opens a draft case for the institution admin', async () => {
      const response = await client
        .post('/api/v1/cases', world.sessions.institution_admin)
        .send({ editionId: world.openEditionId, certifierId: world.certifierId, type: 'certification' })
        .expect(201);

      expect(response.body).toMatchObject({
        version: 1,
        type: 'certification',
        status: 'draft',
        institution: { id: world.institutionId },
        certifier: { id: world.certifierId },
        edition: { id: world.openEditionId },
        team: { leadRater: null, raters: [], committeeMembers: [] },
        mission: null,
        deadlines: { acceptanceDueOn: null, responseDueOn: null, appealDueOn: null },
        certificateNumber: null,
        availableActions: ['submit', 'withdraw'],
      });
      expect(response.body.id).toMatch(UUID);
      caseId = response.body.id;
      version = response.body.version;
    });

    it('offers the institution member no action on the draft', async () => {
      const response = await readAs(world.sessions.institution_member).expect(200);

      expect(response.body.status).toBe('draft');
      expect(response.body.availableActions).toEqual([]);
    });

    it('changes the edition while a draft, one version at a time', async () => {
      const toNew = await client
        .patch(path(), world.sessions.institution_admin)
        .send({ version, editionId: 'cps-2022' })
        .expect(200);
      expect(toNew.body).toMatchObject({
        version: version + 1,
        status: 'draft',
        edition: { id: 'cps-2022' },
      });

      const back = await client
        .patch(path(), world.sessions.institution_admin)
        .send({ version: version + 1, editionId: world.openEditionId })
        .expect(200);
      expect(back.body).toMatchObject({
        version: version + 2,
        status: 'draft',
        edition: { id: world.openEditionId },
      });
      version = back.body.version;
    });

    it('refuses an edit carrying a version read before the last change', async () => {
      const response = await client
        .patch(path(), world.sessions.institution_admin)
        .send({ version: version - 1, editionId: 'cps-2022' })
        .expect(409);

      expect(response.body.code).toBe('STALE_VERSION');
      const current = await readAs(world.sessions.institution_admin).expect(200);
      expect(current.body).toMatchObject({ version, edition: { id: world.openEditionId } });
    });

    it('shows every indicator of the edition with what applies to this institution', async () => {
      const edition = await client.get(`/api/v1/standards/${world.openEditionId}`).expect(200);
      const indicators = indicatorsOf(edition.body);
      const applicable = indicators.filter((indicator) => appliesTo(indicator, profile));

      const response = await client
        .get(path('/self-assessment'), world.sessions.institution_admin)
        .expect(200);
      const answers = response.body.answers as SelfAssessmentAnswer[];

      expect(response.body).toMatchObject({
        caseId,
        editionId: world.openEditionId,
        applicableCount: applicable.length,
        answeredCount: 0,
        isComplete: false,
      });
      expect(answers.map((answer) => answer.indicatorCode)).toEqual(
        indicators.map((indicator) => indicator.code),
      );
      expect(answers.filter((answer) => answer.applicable).map((answer) => answer.indicatorCode)).toEqual(
        applicable.map((indicator) => indicator.code),
      );
      expect(applicable.length).toBeLessThan(indicators.length);

      const savings = answers.find((answer) => answer.indicatorCode === '1.1.3');
      expect(savings).toMatchObject({ applicable: false, rating: 'not_applicable' });
      expect(savings?.inapplicableReason).toEqual(expect.stringContaining('offersSavings'));
      expect(savings?.comment).toBe(savings?.inapplicableReason);
      expect(answers.find((answer) => answer.indicatorCode === '1.1.1')).toMatchObject({
        applicable: true,
        rating: null,
        inapplicableReason: null,
      });
    });

    it('completes the self-assessment', async () => {
      const current = await client
        .get(path('/self-assessment'), world.sessions.institution_admin)
        .expect(200);
      const applicable = (current.body.answers as SelfAssessmentAnswer[]).filter(
        (answer) => answer.applicable,
      );

      const response = await client
        .put(path('/self-assessment'), world.sessions.institution_admin)
        .send({
          answers: applicable.map((answer, index) => ({
            indicatorCode: answer.indicatorCode,
            rating: index === 0 ? 'partially_met' : 'met',
            comment: 'Operations manual, chapter 3',
          })),
        })
        .expect(200);

      expect(response.body).toMatchObject({
        applicableCount: applicable.length,
        answeredCount: applicable.length,
        isComplete: true,
      });
      expect((response.body.answers as SelfAssessmentAnswer[])[0]).toMatchObject({
        indicatorCode: applicable[0].indicatorCode,
        rating: 'partially_met',
        comment: 'Operations manual, chapter 3',
      });
    });

    it('submits the case, due for an answer in 10 working days', async () => {
      const response = await client
        .post(path('/transitions'), world.sessions.institution_admin)
        .send({ action: 'submit', version })
        .expect(200);

      expect(response.body).toMatchObject({
        status: 'submitted',
        version: version + 1,
        availableActions: ['withdraw'],
        deadlines: { acceptanceDueOn: workingDaysAfter(todayUtc(), 10) },
      });
      version = response.body.version;
    });

    it('lists the submission for the certification body, which may accept or decline it', async () => {
      const list = await client
        .get('/api/v1/cases', world.sessions.certifier_admin)
        .query({ status: 'submitted' })
        .expect(200);
      const listed = (list.body.items as { id: string; availableActions: string[] }[]).find(
        (item) => item.id === caseId,
      );
      expect(listed?.availableActions).toEqual(['accept', 'decline']);

      const response = await readAs(world.sessions.certifier_admin).expect(200);
      expect(response.body).toMatchObject({ status: 'submitted', availableActions: ['accept', 'decline'] });
    });

    it('is accepted with a lead rater and goes to desk review', async () => {
      const response = await client
        .post(path('/transitions'), world.sessions.certifier_admin)
        .send({ action: 'accept', version, data: { leadRaterId: world.sessions.rater.userId } })
        .expect(200);

      expect(response.body).toMatchObject({
        status: 'desk_review',
        version: version + 1,
        deadlines: { acceptanceDueOn: null },
        team: {
          leadRater: {
            id: world.sessions.rater.userId,
            name: names.get(world.sessions.rater.userId),
            declaration: null,
          },
          raters: [],
          committeeMembers: [],
        },
      });
      version = response.body.version;
    });

    it('gets its mission team and committee from the certification body', async () => {
      const response = await client
        .put(path('/team'), world.sessions.certifier_admin)
        .send({
          version,
          leadRaterId: world.sessions.rater.userId,
          raterIds: [secondRater.userId],
          committeeMemberIds: [world.sessions.committee_member.userId],
        })
        .expect(200);

      expect(response.body).toMatchObject({
        status: 'desk_review',
        version: version + 1,
        team: {
          leadRater: { id: world.sessions.rater.userId },
          raters: [{ id: secondRater.userId, name: names.get(secondRater.userId), declaration: null }],
          committeeMembers: [{ id: world.sessions.committee_member.userId, declaration: null }],
        },
      });
      version = response.body.version;
    });

    it('records that each member of the team declares no conflict of interest', async () => {
      for (const member of [world.sessions.rater, secondRater, world.sessions.committee_member]) {
        const response = await client
          .post(path('/coi-declarations'), member)
          .send({ hasConflict: false, statement: 'No relationship with the institution in the last 3 years' })
          .expect(201);
        expect(response.body).toMatchObject({ caseId, userId: member.userId, hasConflict: false });
        expect(response.body.id).toMatch(UUID);
      }

      const current = await readAs(world.sessions.certifier_admin).expect(200);
      expect(current.body.team.leadRater.declaration).toMatchObject({ hasConflict: false });
      expect(current.body.team.raters[0].declaration).toMatchObject({ hasConflict: false });
      expect(current.body.team.committeeMembers[0].declaration).toMatchObject({ hasConflict: false });
      expect(current.body.version).toBe(version);
    });

    it('takes evidence for several indicators, keeps versions and returns the bytes unchanged', async () => {
      const pdf = Buffer.concat([
        Buffer.from('%PDF-1.7\n% credit policy\n'),
        randomBytes(4096),
        Buffer.from('\n%%EOF\n'),
      ]);
      const png = Buffer.concat([
        Buffer.from([
          0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
        ]),
        randomBytes(2048),
      ]);
      const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
      const download = async (url: string): Promise<Buffer> => {
        const response = await client
          .get(url, world.sessions.certifier_admin)
          .buffer(true)
          .parse((res, callback) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => callback(null, Buffer.concat(chunks)));
          })
          .expect(200);
        expect(response.headers['content-disposition']).toContain('attachment');
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        return response.body as Buffer;
      };

      const policy = await client
        .post(path('/evidence'), world.sessions.institution_admin)
        .field('title', 'Credit policy')
        .field('indicatorCodes', '2.1.1,2.1.2')
        .attach('file', pdf, 'credit-policy.pdf')
        .expect(201);
      expect(policy.body).toMatchObject({ version: 1, contentType: 'application/pdf', sha256: sha256(pdf) });
      const photo = await client
        .post(path('/evidence'), world.sessions.institution_member)
        .field('title', 'Complaints box at the branch')
        .field('indicatorCodes', '7.1.1')
        .field('indicatorCodes', '7.2.1')
        .attach('file', png, 'complaints-box.png')
        .expect(201);
      expect(photo.body).toMatchObject({ contentType: 'image/png', indicatorCodes: ['7.1.1', '7.2.1'] });

      const revised = Buffer.concat([pdf, Buffer.from('% revised by the board\n')]);
      const second = await client
        .post(`/api/v1/evidence/${policy.body.id}/versions`, world.sessions.institution_admin)
        .attach('file', revised, 'credit-policy-2026.pdf')
        .expect(201);
      expect(second.body.version).toBe(2);

      expect(sha256(await download(`/api/v1/evidence/${policy.body.id}/content?version=1`))).toBe(
        sha256(pdf),
      );
      expect(sha256(await download(`/api/v1/evidence/${policy.body.id}/content`))).toBe(sha256(revised));
      expect(sha256(await download(`/api/v1/evidence/${photo.body.id}/content`))).toBe(sha256(png));
      const forIndicator = await client
        .get(path('/evidence?indicatorCode=2.1.2'), world.sessions.rater)
        .expect(200);
      expect(forIndicator.body.items.map((item: any) => item.id)).toEqual([policy.body.id]);
    });

    it('refuses a mission that ends before it starts', async () => {
      const response = await client
        .put(path('/mission'), world.sessions.rater)
        .send({
          version,
          startsOn: addCalendarDays(todayUtc(), 18),
          endsOn: addCalendarDays(todayUtc(), 14),
          branchesVisited: ['Head office'],
          interviews: { clients: 20, staff: 8, management: 3 },
        })
        .expect(400);

      expect(fieldsOf(response)).toEqual(['endsOn']);
      expect((await readAs(world.sessions.rater).expect(200)).body).toMatchObject({ version, mission: null });
    });

    it('lets the lead rater plan the mission', async () => {
      const mission = {
        startsOn: addCalendarDays(todayUtc(), 14),
        endsOn: addCalendarDays(todayUtc(), 18),
        branchesVisited: ['Head office', 'Branch Norte'],
        interviews: { clients: 24, staff: 11, management: 4 },
      };
      const response = await client
        .put(path('/mission'), world.sessions.rater)
        .send({ version, ...mission })
        .expect(200);

      expect(response.body).toMatchObject({ version: version + 1, status: 'desk_review', mission });
      expect(response.body.availableActions).toEqual(['start_onsite']);
      version = response.body.version;
    });

    it('starts the onsite visit', async () => {
      const response = await client
        .post(path('/transitions'), world.sessions.rater)
        .send({ action: 'start_onsite', version })
        .expect(200);

      expect(response.body).toMatchObject({ status: 'onsite', version: version + 1 });
      version = response.body.version;
    });

    it('keeps every step in the history, oldest first, with its actor', async () => {
      const response = await client.get(path('/history'), world.sessions.institution_admin).expect(200);
      const history = response.body as HistoryEvent[];

      const admin = world.sessions.institution_admin.userId;
      const certifierAdmin = world.sessions.certifier_admin.userId;
      const lead = world.sessions.rater.userId;
      const step = (action: string, actorId: string, fromStatus: string | null, toStatus: string | null) => ({
        action,
        actor: { id: actorId, name: names.get(actorId) },
        fromStatus,
        toStatus,
      });
      expect(
        history.map(({ action, actor, fromStatus, toStatus }) => ({ action, actor, fromStatus, toStatus })),
      ).toEqual([
        step('case.created', admin, null, 'draft'),
        step('case.updated', admin, null, null),
        step('case.updated', admin, null, null),
        step('self_assessment.saved', admin, null, null),
        step('case.submit', admin, 'draft', 'submitted'),
        step('case.accept', certifierAdmin, 'submitted', 'desk_review'),
        step('case.team_assigned', certifierAdmin, null, null),
        step('case.conflict_declared', lead, null, null),
        step('case.conflict_declared', secondRater.userId, null, null),
        step('case.conflict_declared', world.sessions.committee_member.userId, null, null),
        step('evidence.uploaded', admin, null, null),
        step('evidence.uploaded', world.sessions.institution_member.userId, null, null),
        step('evidence.version_added', admin, null, null),
        step('case.mission_set', lead, null, null),
        step('case.start_onsite', lead, 'desk_review', 'onsite'),
      ]);
      expect(history.find((event) => event.action === 'case.accept')?.data).toEqual({ leadRaterId: lead });
      const instants = history.map((event) => Date.parse(event.at));
      expect(instants).toEqual([...instants].sort((a, b) => a - b));
      expect(new Set(history.map((event) => event.id)).size).toBe(history.length);
    });

    it('leaves an intact audit chain', async () => {
      const response = await client.get('/api/v1/audit/verify', world.sessions.secretariat_admin).expect(200);

      expect(response.body).toMatchObject({ valid: true });
      expect(response.body.firstBrokenEventId).toBeUndefined();
    });
  });

  describe('who sees the case', () => {
    const listedIds = async (session: Session): Promise<string[]> => {
      const response = await client.get('/api/v1/cases', session).query({ pageSize: 100 }).expect(200);
      return (response.body.items as { id: string }[]).map((item) => item.id);
    };

    it.each([
      ['the admin of another institution', () => world.sessions.other_institution_admin],
      ['a rater of the certification body who is not on the team', () => outsideRater],
      ['the admin of another certification body', () => world.sessions.other_certifier_admin],
    ])('hides it from %s, as if it did not exist', async (_who, sessionOf) => {
      const session = sessionOf();

      const read = await client.get(path(), session).expect(404);
      const history = await client.get(path('/history'), session).expect(404);
      const selfAssessment = await client.get(path('/self-assessment'), session).expect(404);
      const unknown = await client.get(`/api/v1/cases/${randomUUID()}`, session).expect(404);

      expect(read.body.code).toBe('NOT_FOUND');
      expect(history.body.code).toBe('NOT_FOUND');
      expect(selfAssessment.body.code).toBe('NOT_FOUND');
      expect({ ...read.body, requestId: undefined }).toEqual({ ...unknown.body, requestId: undefined });
      expect(await listedIds(session)).not.toContain(caseId);
    });

    it.each([
      ['the secretariat officer', () => world.sessions.secretariat_officer],
      ['the institution member', () => world.sessions.institution_member],
      ['a rater on the team', () => secondRater],
      ['the committee member', () => world.sessions.committee_member],
    ])('shows it to %s', async (_who, sessionOf) => {
      const session = sessionOf();

      expect((await client.get(path(), session).expect(200)).body).toMatchObject({
        id: caseId,
        status: 'onsite',
      });
      expect((await client.get(path('/history'), session).expect(200)).body).toHaveLength(15);
      expect(await listedIds(session)).toContain(caseId);
    });
  });

  describe('the audit chain behind the history', () => {
    it('names the accept event once its stored reason was changed behind the product', async () => {
      const history = (await client.get(path('/history'), world.sessions.secretariat_officer).expect(200))
        .body as HistoryEvent[];
      const accepted = history.find((event) => event.action === 'case.accept');
      expect(accepted).toBeDefined();

      await testApp.dataSource.transaction(async (manager) => {
        await manager.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only');
        await manager.query("UPDATE audit_event SET reason = 'forged' WHERE id = $1", [accepted!.id]);
        await manager.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only');
      });

      const response = await client.get('/api/v1/audit/verify', world.sessions.secretariat_admin).expect(200);
      expect(response.body).toMatchObject({ valid: false, firstBrokenEventId: accepted!.id });
    });
  });
});
