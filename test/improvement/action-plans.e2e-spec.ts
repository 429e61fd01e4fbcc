import { OverdueActionNoticesService } from '@app/notifications';
import { PDFParse } from 'pdf-parse';
import { ApiClient, type Session } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { casesUnder } from '../support/editions-under-test';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

async function pdfText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

interface Action {
  id: string;
  caseId: string;
  findingId: string | null;
  kind: string;
  description: string;
  ownerName: string | null;
  dueOn: string | null;
  status: string;
  evidenceIds: string[];
  carriedIn: boolean;
  inImprovementPlan: boolean;
  verification: { caseId: string; result: string; note: string } | null;
  version: number;
}

const FINDING_TEXT = 'Document the repayment capacity analysis for every repeat loan';
const RECOMMENDATION_TEXT = 'Pilot new products with a limited group of clients before rollout';

describe('action plans: from findings to the improvement plan and its verification at the next case', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
  });

  afterAll(() => testApp?.close());

  const actionsOf = async (caseId: string, as: Session = world.sessions.rater): Promise<Action[]> => {
    const response = await client.get(`/api/v1/cases/${caseId}/actions`, as);
    if (response.status !== 200)
      throw new Error(`actions: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.items as Action[];
  };

  const upload = async (caseId: string, as: Session): Promise<string> => {
    const response = await client
      .post(`/api/v1/cases/${caseId}/evidence`, as)
      .field('title', 'Capacity analysis rollout memo')
      .field('indicatorCodes', '1.1.1')
      .attach('file', PDF, 'rollout.pdf');
    if (response.status !== 201)
      throw new Error(`upload: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.id as string;
  };

  /**
   * A case certified with a finding on `findingCode` (rated `rating`) and a recommendation for the next
   * level, both still open at the decision; published. Returns the case, its certificate and its actions.
   */
  async function certifiedWithOpenActions(
    builder: CaseBuilder,
    findingCode: string,
    rating: string,
    level?: string,
  ): Promise<{ caseId: string; certificateNumber: string; actions: Action[] }> {
    const onsite = await builder.onsite();
    await builder.rateAll(onsite.id, { [findingCode]: rating });
    const finding = await client
      .post(`/api/v1/cases/${onsite.id}/findings`, world.sessions.rater)
      .send({
        indicatorCodes: [findingCode],
        severity: rating === 'met' ? 'observation' : 'minor',
        description: 'Repeat loans are granted without a documented capacity analysis',
        recommendation: FINDING_TEXT,
        correctiveActionDueOn: '2027-06-30',
      })
      .expect(201);
    await client
      .post(`/api/v1/cases/${onsite.id}/actions`, world.sessions.rater)
      .send({ description: RECOMMENDATION_TEXT, indicatorCodes: ['1.1.1'], dueOn: '2027-09-30' })
      .expect(201);
    // Nothing of the plan reaches the institution before the findings are issued.
    expect(await actionsOf(onsite.id, world.sessions.institution_admin)).toEqual([]);
    await builder.transition(onsite.id, 'issue_findings', world.sessions.rater);

    const actions = await actionsOf(onsite.id, world.sessions.institution_admin);
    expect(actions).toHaveLength(2);
    expect(actions[0]).toMatchObject({
      findingId: finding.body.id,
      kind: 'finding',
      description: FINDING_TEXT,
      dueOn: '2027-06-30',
      status: 'open',
      ownerName: null,
      carriedIn: false,
      inImprovementPlan: false,
    });
    expect(actions[1]).toMatchObject({ findingId: null, kind: 'recommendation', dueOn: '2027-09-30' });

    // The institution names an owner and reports progress, citing evidence of this case only.
    const evidenceId = await upload(onsite.id, world.sessions.institution_admin);
    const foreignEvidence = await upload((await builder.open()).id, world.sessions.institution_admin);
    const foreign = await client
      .patch(`/api/v1/actions/${actions[0].id}`, world.sessions.institution_admin)
      .send({ version: actions[0].version, evidenceIds: [foreignEvidence] })
      .expect(422);
    expect(foreign.body.code).toBe('EVIDENCE_NOT_IN_CASE');
    const selfVerified = await client
      .patch(`/api/v1/actions/${actions[0].id}`, world.sessions.institution_admin)
      .send({ version: actions[0].version, status: 'verified' })
      .expect(403);
    expect(selfVerified.body.code).toBe('FORBIDDEN');
    const updated = await client
      .patch(`/api/v1/actions/${actions[0].id}`, world.sessions.institution_admin)
      .send({
        version: actions[0].version,
        status: 'in_progress',
        ownerName: 'Head of credit',
        note: 'Rolled out at head office',
        evidenceIds: [evidenceId],
      })
      .expect(200);
    expect(updated.body).toMatchObject({
      status: 'in_progress',
      ownerName: 'Head of credit',
      evidenceIds: [evidenceId],
      version: actions[0].version + 1,
    });
    const stale = await client
      .patch(`/api/v1/actions/${actions[0].id}`, world.sessions.institution_member)
      .send({ version: actions[0].version, note: 'Late edit' })
      .expect(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    await client
      .patch(`/api/v1/actions/${actions[0].id}`, world.sessions.other_institution_admin)
      .send({ version: updated.body.version, note: 'Not mine' })
      .expect(404);

    const findings = await client.get(`/api/v1/cases/${onsite.id}/findings`, world.sessions.rater);
    for (const item of findings.body.items as { id: string }[]) {
      await client
        .post(`/api/v1/findings/${item.id}/responses`, world.sessions.institution_admin)
        .send({ text: 'Action plan adopted by the board' })
        .expect(201);
    }
    await builder.transition(onsite.id, 'refer_to_committee', world.sessions.rater);
    // The committee reviews: the plan is frozen for the institution.
    const frozen = await client
      .patch(`/api/v1/actions/${actions[0].id}`, world.sessions.institution_admin)
      .send({ version: updated.body.version, status: 'done' })
      .expect(409);
    expect(frozen.body.code).toBe('CASE_LOCKED');
    await builder.transition(onsite.id, 'decide', world.sessions.committee_member, {
      data: {
        outcome: 'certified',
        ...(level ? { level } : {}),
        rationale: 'Certified; the plan is followed up',
      },
    });
    await builder.transition(onsite.id, 'accept_decision', world.sessions.institution_admin);
    await builder.transition(onsite.id, 'publish', world.sessions.secretariat_officer);
    const history = await client.get(`/api/v1/cases/${onsite.id}/history`, world.sessions.secretariat_admin);
    const certificateNumber = (
      history.body as { action: string; data: { certificateNumber?: string } }[]
    ).find((event) => event.action === 'case.publish')?.data.certificateNumber as string;
    return { caseId: onsite.id, certificateNumber, actions: await actionsOf(onsite.id) };
  }

  async function expectPlanConfidential(certificateNumber: string): Promise<Action[]> {
    const plans = await Promise.all(
      (['institution_admin', 'certifier_admin', 'secretariat_officer'] as const).map((caller) =>
        client
          .get(`/api/v1/certificates/${certificateNumber}/improvement-plan`, world.sessions[caller])
          .expect(200),
      ),
    );
    expect(plans[1].body).toEqual(plans[0].body);
    expect(plans[2].body).toEqual(plans[0].body);
    for (const outsider of ['other_institution_admin', 'other_certifier_admin'] as const) {
      await client
        .get(`/api/v1/certificates/${certificateNumber}/improvement-plan`, world.sessions[outsider])
        .expect(404);
    }
    await client.get(`/api/v1/certificates/${certificateNumber}/improvement-plan`).expect(401);
    // Never public: neither the registry (JSON, CSV, HTML) nor the certificate PDF.
    const publicViews = [
      (await client.get(`/api/v1/registry/${certificateNumber}`).expect(200)).text,
      (await client.get(`/registry/${certificateNumber}?lang=en`).expect(200)).text,
      (await client.get(`/api/v1/registry.csv?status=all`).expect(200)).text,
      (await client.get(`/api/v1/registry?status=all&pageSize=100`).expect(200)).text,
    ];
    const pdf = await client
      .get(`/api/v1/certificates/${certificateNumber}/pdf?lang=en`, world.sessions.institution_admin)
      .responseType('blob')
      .expect(200);
    publicViews.push(await pdfText(pdf.body as Buffer));
    for (const view of publicViews) {
      expect(view).not.toContain(FINDING_TEXT);
      expect(view).not.toContain(RECOMMENDATION_TEXT);
      expect(view).not.toContain('Head of credit');
    }
    return plans[0].body.actions as Action[];
  }

  async function verifyInFollowUp(
    builder: CaseBuilder,
    type: 'check_in' | 'renewal',
    certificateNumber: string,
    origin: { caseId: string; actions: Action[] },
    level?: string,
  ): Promise<void> {
    const [findingAction, recommendation] = origin.actions;
    const followUp = await builder.onsite({ type, certificateNumber });
    expect(await builder.read(followUp.id)).toMatchObject({ type, edition: { id: builder.edition } });
    const carried = await actionsOf(followUp.id, world.sessions.institution_admin);
    expect(carried.map((action) => action.id)).toEqual([findingAction.id, recommendation.id]);
    expect(carried.every((action) => action.carriedIn && action.verification === null)).toBe(true);

    // The origin case is closed; the action is now worked in the follow-up case, with its evidence.
    const originEvidence = findingAction.evidenceIds[0];
    const wrongCase = await client
      .patch(`/api/v1/actions/${findingAction.id}`, world.sessions.institution_admin)
      .send({ version: carried[0].version, evidenceIds: [originEvidence] })
      .expect(422);
    expect(wrongCase.body.code).toBe('EVIDENCE_NOT_IN_CASE');
    const evidenceId = await upload(followUp.id, world.sessions.institution_admin);
    await client
      .patch(`/api/v1/actions/${findingAction.id}`, world.sessions.institution_admin)
      .send({ version: carried[0].version, status: 'done', evidenceIds: [evidenceId] })
      .expect(200);

    // The raters of the follow-up case verify each one; nobody else does.
    await client
      .post(`/api/v1/actions/${findingAction.id}/verification`, world.sessions.institution_admin)
      .send({ result: 'verified', note: 'Self-verified' })
      .expect(403);
    await client
      .post(`/api/v1/actions/${findingAction.id}/verification`, world.sessions.committee_member)
      .send({ result: 'verified', note: 'Not on the mission team' })
      .expect(403);
    const verified = await client
      .post(`/api/v1/actions/${findingAction.id}/verification`, world.sessions.rater)
      .send({ result: 'verified', note: 'Capacity analysis found in 20 sampled repeat loans' })
      .expect(201);
    expect(verified.body).toMatchObject({
      status: 'verified',
      verification: { caseId: followUp.id, result: 'verified' },
    });
    await client
      .post(`/api/v1/actions/${recommendation.id}/verification`, world.sessions.rater)
      .send({ result: 'not_verified', note: 'No pilot run yet' })
      .expect(201);

    await builder.rateAll(followUp.id);
    await builder.transition(followUp.id, 'issue_findings', world.sessions.rater);
    await builder.transition(followUp.id, 'refer_to_committee', world.sessions.rater);
    await builder.transition(followUp.id, 'decide', world.sessions.committee_member, {
      data: { outcome: 'certified', ...(level ? { level } : {}), rationale: 'Plan followed up' },
    });

    // The verifications are part of the follow-up case's sealed decision package.
    const [sealed] = await testApp.dataSource.query<{ package_json: string }[]>(
      'SELECT package_json FROM case_decision WHERE case_id = $1',
      [followUp.id],
    );
    const sealedActions = JSON.parse(sealed.package_json).actions as {
      id: string;
      carriedIn: boolean;
      originCaseId: string;
      status: string;
      verification: { result: string; note: string } | null;
    }[];
    expect(sealedActions).toEqual([
      expect.objectContaining({
        id: findingAction.id,
        originCaseId: origin.caseId,
        carriedIn: true,
        status: 'verified',
        verification: expect.objectContaining({
          result: 'verified',
          note: 'Capacity analysis found in 20 sampled repeat loans',
        }),
      }),
      expect.objectContaining({
        id: recommendation.id,
        carriedIn: true,
        status: 'not_verified',
        verification: expect.objectContaining({ result: 'not_verified', note: 'No pilot run yet' }),
      }),
    ]);
  }

  /**
   * Both shipped editions: under cps-2016 (closed to new initial certifications) the origin case is a
   * renewal of a certificate the institution holds, and its new cps-2016 certificate is checked in at 24
   * months; cps-2022 has no check-in, so its bronze certificate carries its plan into the renewal.
   */
  it.each([
    { editionId: 'cps-2016', findingCode: '1.2.1', rating: 'met', level: undefined, followUp: 'check_in' },
    { editionId: 'cps-2022', findingCode: '1.1.2', rating: 'not_met', level: 'bronze', followUp: 'renewal' },
  ] as const)(
    '$editionId: a finding and a recommendation open at the decision become the confidential improvement plan, carried into the $followUp and verified there',
    async ({ editionId, findingCode, rating, level, followUp }) => {
      const builder = await casesUnder(client, world, editionId);
      const origin = await certifiedWithOpenActions(builder, findingCode, rating, level);
      expect(await builder.read(origin.caseId)).toMatchObject({ edition: { id: editionId } });
      expect(origin.actions.map((action) => [action.kind, action.status, action.inImprovementPlan])).toEqual([
        ['finding', 'in_progress', true],
        ['recommendation', 'open', true],
      ]);
      const plan = await expectPlanConfidential(origin.certificateNumber);
      expect(plan.map((action) => [action.id, action.status, action.ownerName])).toEqual([
        [origin.actions[0].id, 'in_progress', 'Head of credit'],
        [origin.actions[1].id, 'open', null],
      ]);

      await verifyInFollowUp(builder, followUp, origin.certificateNumber, origin, level);
      const after = await expectPlanConfidential(origin.certificateNumber);
      // A check-in keeps the certificate's plan; a renewal's decision carries what is still not verified
      // into its own plan (the next certificate's), leaving the verified action with the renewed one.
      expect(after.map((action) => [action.status, action.verification?.result])).toEqual([
        ['verified', 'verified'],
        ...(followUp === 'check_in' ? [['not_verified', 'not_verified']] : []),
      ]);
    },
  );

  it('notifies the institution and the lead rater once of an overdue action, not of a done one', async () => {
    const issued = await cases.findingsIssued(['2.1.1']);
    await cases.addFinding(issued.id, ['2.1.2']);
    const [overdue, done] = await actionsOf(issued.id);
    await testApp.dataSource.query(
      'UPDATE corrective_action SET due_on = current_date - 1 WHERE id = ANY($1::uuid[])',
      [[overdue.id, done.id]],
    );
    await client
      .patch(`/api/v1/actions/${done.id}`, world.sessions.institution_admin)
      .send({ version: done.version, status: 'done' })
      .expect(200);
    const notices = testApp.app.get(OverdueActionNoticesService);
    const inbox = async (session: Session) => {
      const response = await client.get('/api/v1/me/notifications?pageSize=100', session).expect(200);
      return (response.body.items as { kind: string; caseId: string; title: string }[]).filter(
        (item) => item.kind === 'action.overdue' && item.caseId === issued.id,
      );
    };
    expect(await notices.notifyOverdue()).toBe(2);
    expect(await notices.notifyOverdue()).toBe(0);
    for (const session of [world.sessions.institution_admin, world.sessions.rater]) {
      const items = await inbox(session);
      expect(items).toHaveLength(1);
      expect(items[0].title).toContain('Corrective action overdue since');
    }
    expect(await inbox(world.sessions.other_institution_admin)).toHaveLength(0);
  });
});
