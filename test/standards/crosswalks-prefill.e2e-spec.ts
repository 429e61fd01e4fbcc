import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { ApiClient, type Session } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { anEdition } from '../support/edition-builder';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { downloadWorkbook, fillWorkbook } from '../support/workbooks';

interface Answer {
  indicatorCode: string;
  applicable: boolean;
  rating: string | null;
  comment: string | null;
  confirmed: boolean;
  needsReview: boolean;
  source: { kind: string; ref: string; mappingKind: string; editionId: string; fromCodes: string[] } | null;
}

const suffix = (): string => randomBytes(3).toString('hex');

/** Issue 12: crosswalks as data, and pre-filling a self-assessment from a previous case or a workbook. */
describe('crosswalks and self-assessment pre-fill', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let admin: Session;
  let world: World;
  let cases: CaseBuilder;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    admin = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
  });

  afterAll(() => testApp?.close());

  const answersOf = async (caseId: string, as: Session = world.sessions.institution_admin) => {
    const response = await client.get(`/api/v1/cases/${caseId}/self-assessment`, as).expect(200);
    return {
      body: response.body as { answeredCount: number; unconfirmedCount: number; isComplete: boolean },
      byCode: new Map((response.body.answers as Answer[]).map((answer) => [answer.indicatorCode, answer])),
    };
  };

  const save = async (
    caseId: string,
    answers: { indicatorCode: string; rating: string; comment?: string }[],
  ) => {
    const response = await client
      .put(`/api/v1/cases/${caseId}/self-assessment`, world.sessions.institution_admin)
      .send({ answers });
    if (response.status !== 200) throw new Error(`save: ${response.status} ${JSON.stringify(response.body)}`);
  };

  const prefill = (caseId: string, body: object, as: Session = world.sessions.institution_admin) =>
    client.post(`/api/v1/cases/${caseId}/self-assessment/prefill`, as).send(body);

  describe('crosswalks', () => {
    it('loads and publishes the shipped crosswalks at start, readable by anyone', async () => {
      const list = await client.get('/api/v1/crosswalks').expect(200);
      expect(list.body).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            id: 'cps-2016-to-cps-2022-v3',
            from: 'cps-2016',
            to: 'cps-2022-v3',
            status: 'published',
          }),
          expect.objectContaining({
            id: 'cps-2022-to-cps-2022-v3',
            from: 'cps-2022',
            to: 'cps-2022-v3',
            status: 'published',
          }),
        ]),
      );
      const one = await client.get('/api/v1/crosswalks/cps-2022-to-cps-2022-v3').expect(200);
      expect(one.body.mappings).toEqual(
        expect.arrayContaining([
          { from: '2.1.1', to: '4A.1.1', kind: 'equivalent' },
          { from: '2.2.1', to: '4A.2.1', kind: 'broader' },
        ]),
      );
      expect(one.body.mappingCount).toBe(one.body.mappings.length);
      await client.get('/api/v1/crosswalks/schema').expect(200);
      await client.get('/api/v1/crosswalks/no-such-crosswalk').expect(404);
    });

    it('reports every problem of an invalid crosswalk with its path', async () => {
      const response = await client
        .post('/api/v1/crosswalks', admin)
        .send({
          id: `bad-${suffix()}`,
          from: 'cps-2022',
          to: 'cps-2022-v3',
          mappings: [
            { from: '1.1.1', to: '3B.1.1', kind: 'equivalent' },
            { from: '9.9.9', to: '3B.1.1', kind: 'equivalent' },
            { from: '1.1.2', to: 'ZZ.1', kind: 'partial' },
            { from: '1.1.1', to: '3B.1.1', kind: 'broader' },
          ],
        })
        .expect(400);
      expect(response.body.code).toBe('INVALID_CROSSWALK');
      expect(response.body.details).toEqual([
        { field: 'mappings[1].from', message: '9.9.9 is not an item of cps-2022' },
        { field: 'mappings[2].to', message: 'ZZ.1 is not an item of cps-2022-v3' },
        { field: 'mappings[3]', message: 'maps 1.1.1 to 3B.1.1 again (first at mappings[0])' },
      ]);
      const schema = await client
        .post('/api/v1/crosswalks', admin)
        .send({
          id: `bad-${suffix()}`,
          from: 'no-such-edition',
          to: 'cps-2022',
          mappings: [{ from: '1', to: '1', kind: 'same' }],
        })
        .expect(400);
      expect(schema.body.details).toEqual([
        { field: 'mappings[0].kind', message: 'must be equal to one of the allowed values' },
      ]);
      const editions = await client
        .post('/api/v1/crosswalks', admin)
        .send({
          id: `bad-${suffix()}`,
          from: 'no-such-edition',
          to: 'no-such-edition',
          mappings: [{ from: '1', to: '1', kind: 'equivalent' }],
        })
        .expect(400);
      expect(editions.body.details).toEqual([
        { field: 'to', message: 'must differ from from' },
        { field: 'from', message: 'edition no-such-edition does not exist' },
        { field: 'to', message: 'edition no-such-edition does not exist' },
      ]);
    });

    it('creates a draft only the secretariat sees, publishes it once, and never lets it change', async () => {
      const id = `cps-2022-to-open-${suffix()}`;
      const document = {
        id,
        from: 'cps-2022',
        to: world.openEditionId,
        mappings: [
          { from: '2.1.1', to: '2.1.1', kind: 'equivalent' },
          { from: '2.2.1', to: '2.2.1', kind: 'broader' },
        ],
      };
      const created = await client.post('/api/v1/crosswalks', admin).send(document).expect(201);
      expect(created.body).toMatchObject({
        id,
        status: 'draft',
        from: 'cps-2022',
        to: world.openEditionId,
        mappingCount: 2,
      });
      await client.post('/api/v1/crosswalks', admin).send(document).expect(409);
      await client.get(`/api/v1/crosswalks/${id}`).expect(404);
      await client.get(`/api/v1/crosswalks/${id}`, world.sessions.institution_admin).expect(404);
      await client.get(`/api/v1/crosswalks/${id}`, admin).expect(200);
      expect(
        (await client.get('/api/v1/crosswalks').expect(200)).body.map((c: { id: string }) => c.id),
      ).not.toContain(id);

      const published = await client.post(`/api/v1/crosswalks/${id}/publish`, admin).expect(200);
      expect(published.body).toMatchObject({ status: 'published', version: 2 });
      const again = await client.post(`/api/v1/crosswalks/${id}/publish`, admin).expect(409);
      expect(again.body.code).toBe('CROSSWALK_ALREADY_PUBLISHED');
      await client.get(`/api/v1/crosswalks/${id}`).expect(200);

      // The database refuses any change to a published crosswalk, whoever tries.
      await expect(
        testApp.dataSource.query(`UPDATE standards_crosswalk SET title = 'changed' WHERE id = $1`, [id]),
      ).rejects.toThrow(/published and immutable/);
      await expect(
        testApp.dataSource.query(`DELETE FROM standards_crosswalk WHERE id = $1`, [id]),
      ).rejects.toThrow(/published and immutable/);

      const audit = await testApp.dataSource.query<{ action: string }[]>(
        `SELECT action FROM audit_event WHERE entity_type = 'standards_crosswalk' AND entity_id = $1 ORDER BY sequence`,
        [id],
      );
      expect(audit.map((event) => event.action)).toEqual([
        'standards_crosswalk.imported',
        'standards_crosswalk.published',
      ]);
    });

    it('publishes a crosswalk only once both editions are published', async () => {
      const draft = anEdition().build() as { id: string };
      await client.post('/api/v1/standards', admin).send(draft).expect(201);
      const id = `to-draft-${suffix()}`;
      await client
        .post('/api/v1/crosswalks', admin)
        .send({
          id,
          from: world.openEditionId,
          to: draft.id,
          mappings: [{ from: '1.1.1', to: '1.1.1', kind: 'equivalent' }],
        })
        .expect(201);
      const refused = await client.post(`/api/v1/crosswalks/${id}/publish`, admin).expect(422);
      expect(refused.body.code).toBe('EDITION_NOT_PUBLISHED');
    });

    it('maps to Universal Standards codes the catalog knows', async () => {
      await client
        .post('/api/v1/crosswalks', admin)
        .send({
          id: `cps-2016-to-ussepm-${suffix()}`,
          from: 'cps-2016',
          to: 'ussepm',
          mappings: [
            { from: '2.1.1', to: '4A.1.1', kind: 'equivalent' },
            { from: '2', to: '4A', kind: 'equivalent' },
          ],
        })
        .expect(201);
      const refused = await client
        .post('/api/v1/crosswalks', admin)
        .send({
          id: `bad-${suffix()}`,
          from: 'cps-2016',
          to: 'ussepm',
          mappings: [{ from: '2.1.1', to: '9Z.1', kind: 'partial' }],
        })
        .expect(400);
      expect(refused.body.details).toEqual([
        {
          field: 'mappings[0].to',
          message: "9Z.1 is not a Universal Standards code named by the catalog's editions",
        },
      ]);
    });

    it('leaves crosswalk imports to the secretariat admin', async () => {
      const body = {
        id: `x-${suffix()}`,
        from: 'cps-2022',
        to: 'cps-2022-v3',
        mappings: [{ from: '1.1.1', to: '3B.1.1', kind: 'equivalent' }],
      };
      await client.post('/api/v1/crosswalks', world.sessions.secretariat_officer).send(body).expect(403);
      await client.post('/api/v1/crosswalks', world.sessions.institution_admin).send(body).expect(403);
      await client.post('/api/v1/crosswalks').send(body).expect(401);
    });
  });

  describe('pre-fill', () => {
    let previous2022: string;

    beforeAll(async () => {
      // The institution's previous self-assessment under the 2022 edition (modelled, 69 indicators).
      previous2022 = (await cases.open({ editionId: 'cps-2022' })).id;
      await save(previous2022, [
        { indicatorCode: '1.1.1', rating: 'met', comment: 'Market study 2023, p. 4' },
        { indicatorCode: '1.2.1', rating: 'partially_met', comment: 'Sales policy drafted, not adopted' },
        { indicatorCode: '2.1.1', rating: 'met' },
        { indicatorCode: '2.2.1', rating: 'met' },
        { indicatorCode: '3.1.2', rating: 'not_met', comment: 'No schedule given' },
      ]);
    });

    it('pre-fills a 2022-v3 case from the previous 2022 case through the crosswalk, unconfirmed, with kinds and flags', async () => {
      const target = (await cases.open({ editionId: 'cps-2022-v3' })).id;
      // Confirmed before the pre-fill: never overwritten (2.1.1 maps to it as equivalent, rated met).
      await save(target, [
        { indicatorCode: '4A.1.1', rating: 'not_met', comment: 'Analysis not documented' },
      ]);

      const response = await prefill(target, { fromCaseId: previous2022 }).expect(200);
      expect(response.body.prefill).toEqual({
        kind: 'case',
        ref: previous2022,
        editionId: 'cps-2022',
        crosswalkId: 'cps-2022-to-cps-2022-v3',
        counts: expect.objectContaining({ keptConfirmed: 1 }),
      });
      const { body, byCode } = await answersOf(target);
      const source = (mappingKind: string, fromCodes: string[]) => ({
        kind: 'case',
        ref: previous2022,
        mappingKind,
        editionId: 'cps-2022',
        fromCodes,
        crosswalkId: 'cps-2022-to-cps-2022-v3',
      });
      expect(byCode.get('3B.1.1')).toMatchObject({
        rating: 'met',
        comment: 'Market study 2023, p. 4',
        confirmed: false,
        needsReview: false,
        source: source('equivalent', ['1.1.1']),
      });
      expect(byCode.get('3B.4.1')).toMatchObject({
        rating: 'partially_met',
        confirmed: false,
        needsReview: true,
        source: source('partial', ['1.2.1']),
      });
      expect(byCode.get('4A.2.1')).toMatchObject({
        rating: 'met',
        needsReview: true,
        source: source('broader', ['2.2.1']),
      });
      expect(byCode.get('4A.2.2')).toMatchObject({
        rating: 'met',
        needsReview: true,
        source: source('broader', ['2.2.1']),
      });
      expect(byCode.get('4B.1.1')).toMatchObject({
        rating: 'not_met',
        needsReview: true,
        source: source('narrower', ['3.1.2']),
      });
      // The confirmed answer stays as the institution saved it.
      expect(byCode.get('4A.1.1')).toMatchObject({ rating: 'not_met', confirmed: true, source: null });
      // Unconfirmed answers do not count.
      const prefilled = [...byCode.values()].filter((answer) => answer.source !== null);
      expect(prefilled.length).toBe(response.body.prefill.counts.prefilled);
      expect(body.answeredCount).toBe(1);
      expect(body.unconfirmedCount).toBe(prefilled.length);

      // The history tells the institution what was pre-filled from where.
      const history = await client
        .get(`/api/v1/cases/${target}/history`, world.sessions.institution_admin)
        .expect(200);
      const event = (history.body as { action: string; data: Record<string, any> }[]).find(
        (entry) => entry.action === 'self_assessment.prefilled',
      );
      expect(event?.data).toMatchObject({
        source: { kind: 'case', ref: previous2022, editionId: 'cps-2022' },
        crosswalkId: 'cps-2022-to-cps-2022-v3',
        counts: response.body.prefill.counts,
      });
    });

    it('counts nothing pre-filled until the institution confirms it by saving', async () => {
      const target = (await cases.open({ editionId: 'cps-2022-v3' })).id;
      await prefill(target, { fromCaseId: previous2022 }).expect(200);
      const before = await answersOf(target);
      const unconfirmed = [...before.byCode.values()].filter(
        (answer) => answer.applicable && !answer.confirmed && answer.rating,
      );
      expect(unconfirmed.length).toBeGreaterThan(0);
      // Everything else answered by the institution itself.
      await save(
        target,
        [...before.byCode.values()]
          .filter((answer) => answer.applicable && answer.rating === null)
          .map((answer) => ({ indicatorCode: answer.indicatorCode, rating: 'met', comment: 'Manual' })),
      );
      const refused = await client
        .post(`/api/v1/cases/${target}/transitions`, world.sessions.institution_admin)
        .send({ action: 'submit', version: (await cases.read(target)).version })
        .expect(422);
      expect(refused.body.code).toBe('SELF_ASSESSMENT_INCOMPLETE');
      expect(
        refused.body.details.map((detail: { indicatorCode: string }) => detail.indicatorCode).sort(),
      ).toEqual(unconfirmed.map((answer) => answer.indicatorCode).sort());
      expect(refused.body.details[0].message).toBe('is pre-filled and not confirmed');

      // Results' deltas ignore unconfirmed answers (the secretariat reads a draft's results).
      const results = await client.get(`/api/v1/cases/${target}/results`, admin).expect(200);
      const deltaCodes = (results.body.selfAssessmentDeltas as { code: string }[]).map((delta) => delta.code);
      for (const answer of unconfirmed) expect(deltaCodes).not.toContain(answer.indicatorCode);

      // Saving confirms: the same rating keeps its source, another rating drops it.
      const [kept, changed, ...rest] = unconfirmed;
      await save(target, [
        { indicatorCode: kept.indicatorCode, rating: kept.rating!, comment: kept.comment ?? 'Confirmed' },
        { indicatorCode: changed.indicatorCode, rating: 'not_met', comment: 'Not in place any more' },
        ...rest.map((answer) => ({
          indicatorCode: answer.indicatorCode,
          rating: answer.rating!,
          comment: answer.comment ?? 'Confirmed',
        })),
      ]);
      const after = await answersOf(target);
      expect(after.byCode.get(kept.indicatorCode)).toMatchObject({
        confirmed: true,
        needsReview: false,
        source: kept.source,
      });
      expect(after.byCode.get(changed.indicatorCode)).toMatchObject({
        confirmed: true,
        rating: 'not_met',
        source: null,
      });
      expect(after.body).toMatchObject({ isComplete: true, unconfirmedCount: 0 });

      // A second pre-fill changes nothing confirmed.
      const second = await prefill(target, { fromCaseId: previous2022 }).expect(200);
      expect(second.body.prefill.counts.prefilled).toBe(0);
      expect((await answersOf(target)).byCode.get(changed.indicatorCode)).toMatchObject({
        rating: 'not_met',
        confirmed: true,
      });
      await client
        .post(`/api/v1/cases/${target}/transitions`, world.sessions.institution_admin)
        .send({ action: 'submit', version: (await cases.read(target)).version })
        .expect(200);
      // Submitted: the self-assessment is closed to pre-fill too.
      const locked = await prefill(target, { fromCaseId: previous2022 }).expect(409);
      expect(locked.body.code).toBe('CASE_LOCKED');
    });

    it('pre-fills from a case of the same edition as identical answers, not flagged', async () => {
      const target = (await cases.open({ editionId: 'cps-2022' })).id;
      const response = await prefill(target, { fromCaseId: previous2022 }).expect(200);
      expect(response.body.prefill).toMatchObject({
        crosswalkId: null,
        counts: { prefilled: 5, needsReview: 0 },
      });
      const { byCode } = await answersOf(target);
      expect(byCode.get('1.2.1')).toMatchObject({
        rating: 'partially_met',
        comment: 'Sales policy drafted, not adopted',
        confirmed: false,
        needsReview: false,
        source: { kind: 'case', mappingKind: 'identical', fromCodes: ['1.2.1'], crosswalkId: null },
      });
    });

    it('pre-fills from a self-assessment workbook of another edition filled offline', async () => {
      const exported = await downloadWorkbook(
        client,
        `/api/v1/cases/${previous2022}/self-assessment-workbook`,
        world.sessions.institution_admin,
      );
      const filled = await fillWorkbook(
        exported,
        { '5.2.1': { rating: 'met', note: 'Collection policy 2024' }, '7.1.3': { rating: 'Partially met' } },
        { rating: 6, note: 7 },
      );
      const target = (await cases.open({ editionId: 'cps-2022-v3' })).id;
      const response = await client
        .post(`/api/v1/cases/${target}/self-assessment/prefill`, world.sessions.institution_admin)
        .attach('file', filled, 'previous-self-assessment.xlsx')
        .expect(200);
      const sha256 = createHash('sha256').update(filled).digest('hex');
      expect(response.body.prefill).toMatchObject({ kind: 'workbook', ref: sha256, editionId: 'cps-2022' });
      const { byCode } = await answersOf(target);
      expect(byCode.get('4C.2.1')).toMatchObject({
        rating: 'met',
        comment: 'Collection policy 2024',
        confirmed: false,
        needsReview: false,
        source: { kind: 'workbook', ref: sha256, mappingKind: 'equivalent', fromCodes: ['5.2.1'] },
      });
      expect(byCode.get('4E.1.4')).toMatchObject({
        rating: 'partially_met',
        source: { mappingKind: 'equivalent' },
      });
      // The saved answers of the exporting case came along too (the workbook carries them).
      expect(byCode.get('3B.1.1')).toMatchObject({ rating: 'met', source: { kind: 'workbook' } });

      const bad = await fillWorkbook(exported, { '5.2.1': { rating: 'excellent' } }, { rating: 6, note: 7 });
      const refused = await client
        .post(`/api/v1/cases/${target}/self-assessment/prefill`, world.sessions.institution_admin)
        .attach('file', bad, 'bad.xlsx')
        .expect(422);
      expect(refused.body.code).toBe('WORKBOOK_ROWS_INVALID');
      expect(refused.body.details[0]).toMatchObject({ indicatorCode: '5.2.1', cell: { column: 'F' } });
    });

    it("refuses another institution's case, an unknown case and the case itself", async () => {
      const target = (await cases.open({ editionId: 'cps-2022-v3' })).id;
      const foreign = (
        await cases.open({ editionId: 'cps-2022', as: world.sessions.other_institution_admin })
      ).id;
      const other = await prefill(target, { fromCaseId: foreign }).expect(422);
      expect(other.body.code).toBe('PREFILL_SOURCE_NOT_FOUND');
      const unknown = await prefill(target, { fromCaseId: randomUUID() }).expect(422);
      expect(unknown.body).toMatchObject({ code: 'PREFILL_SOURCE_NOT_FOUND', message: other.body.message });
      await prefill(target, { fromCaseId: target }).expect(400);
      await prefill(target, {}).expect(400);
      await prefill(target, { fromCaseId: 'not-a-uuid' }).expect(400);
      // Nothing was written.
      expect((await answersOf(target)).body.unconfirmedCount).toBe(0);
      // The other institution cannot pre-fill this case from its own, nor see it.
      await prefill(target, { fromCaseId: foreign }, world.sessions.other_institution_admin).expect(404);
      // Only the institution's admin pre-fills.
      await prefill(target, { fromCaseId: previous2022 }, world.sessions.institution_member).expect(403);
    });

    it('refuses editions with no published crosswalk between them', async () => {
      const target = (await cases.open({ editionId: 'cps-2022-v3' })).id;
      const source = (await cases.open()).id;
      await save(source, [{ indicatorCode: '1.1.1', rating: 'met' }]);
      const refused = await prefill(target, { fromCaseId: source }).expect(422);
      expect(refused.body.code).toBe('CROSSWALK_NOT_AVAILABLE');
      // Named explicitly, a crosswalk must lead between the two editions.
      const wrong = await client
        .post(
          `/api/v1/cases/${target}/self-assessment/prefill?crosswalkId=cps-2016-to-cps-2022-v3`,
          world.sessions.institution_admin,
        )
        .send({ fromCaseId: previous2022 })
        .expect(422);
      expect(wrong.body.code).toBe('CROSSWALK_NOT_AVAILABLE');
    });
  });
});
