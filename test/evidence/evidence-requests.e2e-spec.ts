import type { EvidenceRequestPageDto } from '@app/evidence';
import { ApiClient, type Session } from '../support/api-client';
import { aSignedInUser } from '../support/builders';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { aCase, setCaseStatus } from './support/case-fixture';
import { uploadEvidence, uploadVersion } from './support/evidence-requests';
import { aPdf } from './support/sample-files';

function isoDate(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

describe('evidence requests', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let caseId: string;
  let lead: Session;
  let teamRater: Session;

  const createRequest = (session: Session, body: Record<string, unknown>, onCase = caseId) =>
    client.post(`/api/v1/cases/${onCase}/evidence-requests`, session).send(body);

  const upload = (codes: string[], title: string) =>
    uploadEvidence(client, world.sessions.institution_member, caseId, {
      file: aPdf(800, title),
      fileName: `${title}.pdf`,
      title,
      indicatorCodes: codes,
    }).expect(201);

  const requestsOf = async (session: Session = world.sessions.institution_admin) =>
    (await client.get(`/api/v1/cases/${caseId}/evidence-requests`, session).expect(200))
      .body as EvidenceRequestPageDto;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    lead = world.sessions.rater;
    teamRater = await aSignedInUser(client, world.sessions.certifier_admin, world.certifierId, 'rater');
    caseId = await aCase(testApp.dataSource, world, {
      status: 'desk_review',
      team: [
        { userId: lead.userId, teamRole: 'lead_rater' },
        { userId: teamRater.userId, teamRole: 'rater' },
        { userId: world.sessions.committee_member.userId, teamRole: 'committee_member' },
      ],
    });
  });

  afterAll(() => testApp?.close());

  it('links evidence uploaded after the request and reads fulfilled once every indicator is covered', async () => {
    const earlier = await upload(['3.1.1'], 'Uploaded before the request');
    const created = await createRequest(lead, {
      indicatorCodes: ['3.1.1', '3.1.2'],
      description: 'Loan contracts and the disclosure checklist',
      dueOn: isoDate(14),
    }).expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      caseId,
      indicatorCodes: ['3.1.1', '3.1.2'],
      description: 'Loan contracts and the disclosure checklist',
      dueOn: isoDate(14),
      status: 'open',
      outstandingIndicatorCodes: ['3.1.1', '3.1.2'],
      isOverdue: false,
      fulfilments: [],
      requestedBy: lead.userId,
      createdAt: expect.any(String),
    });

    const unrelated = await upload(['6.1.1'], 'Unrelated');
    const first = await upload(['3.1.1', '6.1.1'], 'Contracts');
    let [request] = (await requestsOf()).items;
    expect(request).toMatchObject({ status: 'open', outstandingIndicatorCodes: ['3.1.2'] });
    expect(request.fulfilments).toEqual([
      {
        evidenceId: first.body.id,
        versionId: first.body.versionId,
        version: 1,
        indicatorCodes: ['3.1.1'],
        linkedAt: expect.any(String),
      },
    ]);
    expect(request.fulfilments.map((fulfilment) => fulfilment.evidenceId)).not.toContain(earlier.body.id);
    expect(request.fulfilments.map((fulfilment) => fulfilment.evidenceId)).not.toContain(unrelated.body.id);

    const version = await uploadVersion(
      client,
      world.sessions.institution_admin,
      first.body.id,
      aPdf(900, 'v2'),
      'c.pdf',
    ).expect(201);
    const second = await upload(['3.1.2'], 'Checklist');
    [request] = (await requestsOf(world.sessions.rater)).items;
    expect(request).toMatchObject({ status: 'fulfilled', outstandingIndicatorCodes: [], isOverdue: false });
    expect(request.fulfilments.map((fulfilment) => fulfilment.versionId)).toEqual([
      first.body.versionId,
      version.body.id,
      second.body.versionId,
    ]);

    // Withdrawn evidence no longer counts: the request is open again, and the next upload fulfils it.
    await client.delete(`/api/v1/evidence/${second.body.id}`, world.sessions.institution_admin).expect(204);
    [request] = (await requestsOf()).items;
    expect(request).toMatchObject({ status: 'open', outstandingIndicatorCodes: ['3.1.2'] });
    const replacement = await upload(['3.1.2'], 'Checklist again');
    [request] = (await requestsOf()).items;
    expect(request.status).toBe('fulfilled');
    expect(request.fulfilments.at(-1)?.evidenceId).toBe(replacement.body.id);

    const events: { action: string; case_id: string }[] = await testApp.dataSource.query(
      'SELECT action, case_id FROM audit_event WHERE entity_id = $1',
      [created.body.id],
    );
    expect(events).toEqual([{ action: 'evidence_request.created', case_id: caseId }]);
  });

  it('is open to every rater on the mission team and readable by everyone who sees the case', async () => {
    await createRequest(teamRater, {
      indicatorCodes: ['4.1.1'],
      description: 'Price list',
      dueOn: isoDate(0),
    }).expect(201);
    for (const caller of [
      'institution_member',
      'certifier_admin',
      'committee_member',
      'secretariat_officer',
    ] as const) {
      const page = await client.get(
        `/api/v1/cases/${caseId}/evidence-requests?pageSize=1`,
        world.sessions[caller],
      );
      expect({ caller, status: page.status }).toEqual({ caller, status: 200 });
      expect(page.body).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    }
    await client
      .get(`/api/v1/cases/${caseId}/evidence-requests`, world.sessions.other_institution_admin)
      .expect(404);
  });

  it('refuses a due date in the past, bad bodies and unknown indicator codes', async () => {
    const past = await createRequest(lead, {
      indicatorCodes: ['1.1.1'],
      description: 'x',
      dueOn: isoDate(-1),
    });
    expect(past.status).toBe(400);
    expect(past.body.details).toEqual([{ field: 'dueOn', message: expect.any(String) }]);

    const bad = await createRequest(lead, {
      indicatorCodes: [],
      description: '',
      dueOn: '2026-02-30',
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect((bad.body.details as { field: string }[]).map((detail) => detail.field).sort()).toEqual([
      'description',
      'dueOn',
      'extra',
      'indicatorCodes',
    ]);

    const unknown = await createRequest(lead, {
      indicatorCodes: ['1.1.1', '8.8.8'],
      description: 'x',
      dueOn: isoDate(3),
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('UNKNOWN_INDICATOR_CODES');
  });

  it('answers 404 to raters off the team, 403 to other roles and 409 outside the mission', async () => {
    const body = { indicatorCodes: ['1.1.1'], description: 'Board minutes', dueOn: isoDate(7) };
    const outsider = await aSignedInUser(client, world.sessions.certifier_admin, world.certifierId, 'rater');
    expect((await createRequest(outsider, body)).status).toBe(404);
    for (const caller of [
      'institution_admin',
      'institution_member',
      'certifier_admin',
      'committee_member',
      'secretariat_admin',
    ] as const) {
      const response = await createRequest(world.sessions[caller], body);
      expect({ caller, status: response.status }).toEqual({ caller, status: 403 });
    }
    const draftCase = await aCase(testApp.dataSource, world, { status: 'submitted' });
    const locked = await createRequest(lead, body, draftCase);
    expect({ status: locked.status, code: locked.body.code }).toEqual({
      status: 409,
      code: 'EVIDENCE_LOCKED',
    });
    await setCaseStatus(testApp.dataSource, draftCase, 'committee_review');
    expect((await createRequest(lead, body, draftCase)).status).toBe(409);
  });
});
