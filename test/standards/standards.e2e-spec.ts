import { ApiClient, type Session } from '../support/api-client';
import { anEdition } from '../support/edition-builder';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

interface Indicator {
  code: string;
  statement: string;
  guidance: string;
  level?: string;
  appliesWhen?: { anyOf?: string[]; allOf?: string[] };
}

interface EditionTree {
  id: string;
  title: string;
  scale: { ratings: { value: string }[] };
  decisionRule: { type: string; tiers?: { level: string; requiredIndicatorLevels: string[] }[] };
  validityMonths: number;
  checkInMonths: number | null;
  principles: {
    code: string;
    title: string;
    standards: { code: string; title: string; indicators: Indicator[] }[];
  }[];
}

interface Summary {
  id: string;
  title: string;
  status: string;
  effectiveFrom: string;
  principleCount: number;
  standardCount: number;
  indicatorCount: number;
}

interface Detail {
  field?: string;
  message: string;
}

const countTree = (tree: EditionTree) => {
  const standards = tree.principles.flatMap((principle) => principle.standards);
  return {
    principleCount: tree.principles.length,
    standardCount: standards.length,
    indicatorCount: standards.reduce((sum, standard) => sum + standard.indicators.length, 0),
  };
};

const indicatorsOf = (tree: EditionTree): Indicator[] =>
  tree.principles.flatMap((principle) => principle.standards.flatMap((standard) => standard.indicators));

const copyOf = <T>(value: T): T => structuredClone(value);

interface V2Item {
  code: string;
  level: string;
  title?: string | Record<string, string>;
  statement?: string | Record<string, string>;
  guidance?: string | Record<string, string>;
  tag?: string;
  appliesWhen?: { anyOf?: string[]; allOf?: string[] };
  children?: V2Item[];
}

const english = (text: unknown): string =>
  typeof text === 'string' ? text : ((text as Record<string, string> | undefined)?.en ?? '');

/** The v1 document (three levels, English) of a v2 document: what the assertions below were written against. */
const treeOf = (document: Record<string, any>): EditionTree & Record<string, unknown> => ({
  id: document.id,
  title: english(document.title),
  effectiveFrom: document.effectiveFrom,
  validityMonths: document.validityMonths,
  checkInMonths: document.checkInMonths,
  ...(document.checkInGraceDays !== undefined ? { checkInGraceDays: document.checkInGraceDays } : {}),
  scale: {
    ratings: (document.scale.ratings as { value: string; score?: number; label: unknown }[]).map(
      ({ score: _score, label, ...rating }) => ({
        ...rating,
        label: english(label),
      }),
    ),
  },
  decisionRule:
    document.decisionRule.type === 'tiered'
      ? {
          type: 'tiered',
          tiers: (document.decisionRule.tiers as Record<string, any>[]).map((tier) => ({
            level: tier.level,
            requiredIndicatorLevels: tier.requiredIndicatorLevels,
          })),
        }
      : document.decisionRule,
  principles: (document.items as V2Item[]).map((principle) => ({
    code: principle.code,
    title: english(principle.title),
    standards: (principle.children ?? []).map((standard) => ({
      code: standard.code,
      title: english(standard.title),
      indicators: (standard.children ?? []).map((indicator) => ({
        code: indicator.code,
        statement: english(indicator.statement),
        guidance: english(indicator.guidance),
        ...(indicator.tag ? { level: indicator.tag } : {}),
        ...(indicator.appliesWhen ? { appliesWhen: indicator.appliesWhen } : {}),
      })),
    })),
  })),
});

describe('standards editions', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let admin: Session;
  let world: World;
  let cps2016: EditionTree;
  let cps2022: EditionTree;

  const listAsSecretariat = async (): Promise<Summary[]> =>
    (await client.get('/api/v1/standards', admin).expect(200)).body as Summary[];

  const storedEditionIds = async (): Promise<string[]> =>
    (await testApp.dataSource.query<{ id: string }[]>('select id from standards_edition order by id')).map(
      (row) => row.id,
    );

  /** Posts a document that must be refused with 400 INVALID_EDITION_DOCUMENT and returns its details. */
  const rejectedDetails = async (document: unknown): Promise<Detail[]> => {
    const response = await client.post('/api/v1/standards', admin).send(document as object);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      statusCode: 400,
      code: 'INVALID_EDITION_DOCUMENT',
      message: expect.any(String),
      details: expect.any(Array),
      requestId: expect.any(String),
    });
    expect(response.body.details.length).toBeGreaterThan(0);
    return response.body.details as Detail[];
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    admin = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    world = await buildWorld(client);
    cps2016 = treeOf((await client.get('/api/v1/standards/cps-2016').expect(200)).body);
    cps2022 = treeOf((await client.get('/api/v1/standards/cps-2022').expect(200)).body);
  });

  afterAll(() => testApp?.close());

  describe('GET /api/v1/standards', () => {
    it('lists both bundled editions as published to anonymous callers, with counts that match their trees', async () => {
      const response = await client.get('/api/v1/standards').expect(200);
      const list = response.body as Summary[];
      const byId = new Map(list.map((edition) => [edition.id, edition]));

      const first = byId.get('cps-2016');
      expect(first).toMatchObject({ status: 'published', principleCount: 7, standardCount: 25 });
      expect(first!.indicatorCount).toBeGreaterThanOrEqual(75);
      expect(first).toMatchObject(countTree(cps2016));
      expect(first!.title).toBe(cps2016.title);

      const second = byId.get('cps-2022');
      expect(second).toMatchObject({ status: 'published', principleCount: 8 });
      expect(second!.indicatorCount).toBeGreaterThanOrEqual(32);
      expect(second).toMatchObject(countTree(cps2022));
      expect(second!.title).toBe(cps2022.title);

      for (const edition of list) {
        expect(edition.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(edition.status).toBe('published');
      }
    });
  });

  describe('GET /api/v1/standards/:editionId', () => {
    it('serves cps-2016 as a pass/fail edition with guidance for every indicator', () => {
      expect(cps2016.id).toBe('cps-2016');
      expect(cps2016.decisionRule).toEqual({ type: 'all_applicable_standards_met' });
      expect(cps2016.validityMonths).toBe(48);
      expect(cps2016.checkInMonths).toBe(24);
      expect(cps2016.scale.ratings.length).toBeGreaterThanOrEqual(2);
      for (const principle of cps2016.principles) {
        for (const standard of principle.standards) {
          expect(standard.code.startsWith(`${principle.code}.`)).toBe(true);
          expect(standard.indicators.length).toBeGreaterThanOrEqual(2);
          for (const indicator of standard.indicators) {
            expect(indicator.code.startsWith(`${standard.code}.`)).toBe(true);
            expect(indicator.statement).toEqual(expect.any(String));
            expect(indicator.statement.length).toBeGreaterThan(0);
            expect(indicator.guidance).toEqual(expect.any(String));
            expect(indicator.guidance.length).toBeGreaterThan(0);
          }
        }
      }
    });

    it.each(['offersSavings', 'offersInsurance', 'usesAgents', 'usesDigitalChannels'])(
      'has cps-2016 indicators that apply only to institutions with %s',
      (flag) => {
        const conditioned = indicatorsOf(cps2016).filter((indicator) =>
          [...(indicator.appliesWhen?.anyOf ?? []), ...(indicator.appliesWhen?.allOf ?? [])].includes(flag),
        );
        expect(conditioned.length).toBeGreaterThanOrEqual(1);
      },
    );

    it('serves cps-2022 as a tiered edition with levelled indicators', () => {
      expect(cps2022.id).toBe('cps-2022');
      expect(cps2022.validityMonths).toBe(36);
      expect(cps2022.decisionRule.type).toBe('tiered');
      expect(cps2022.decisionRule.tiers!.map((tier) => tier.level)).toEqual(['bronze', 'silver', 'gold']);
      const levelled = indicatorsOf(cps2022).filter((indicator) =>
        ['entry', 'progress', 'advanced'].includes(indicator.level ?? ''),
      );
      expect(levelled.length).toBeGreaterThanOrEqual(32);
      for (const tier of cps2022.decisionRule.tiers!) {
        for (const level of tier.requiredIndicatorLevels) {
          expect(levelled.some((indicator) => indicator.level === level)).toBe(true);
        }
      }
    });

    it('answers 404 NOT_FOUND for an unknown edition and 400 for an id that is not a slug', async () => {
      const missing = await client.get('/api/v1/standards/cps-1999').expect(404);
      expect(missing.body.code).toBe('NOT_FOUND');
      const bad = await client.get('/api/v1/standards/NOT_A_SLUG').expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(bad.body.details).toEqual([expect.objectContaining({ field: 'editionId' })]);
    });
  });

  describe('export, edit, import and publish', () => {
    const copyId = 'cps-2022-copy';

    it('imports the exported cps-2022 under a new id as a draft that only the secretariat sees', async () => {
      const exported = (await client.get('/api/v1/standards/cps-2022').expect(200)).body as Record<
        string,
        any
      >;
      const document = { ...copyOf(exported), id: copyId };

      const created = await client.post('/api/v1/standards', admin).send(document).expect(201);
      expect(created.body).toMatchObject({ id: copyId, status: 'draft', ...countTree(cps2022) });

      const anonymous = await client.get(`/api/v1/standards/${copyId}`).expect(404);
      expect(anonymous.body.code).toBe('NOT_FOUND');
      const anonymousList = (await client.get('/api/v1/standards').expect(200)).body as Summary[];
      expect(anonymousList.map((edition) => edition.id)).not.toContain(copyId);

      // A signed-in user outside the secretariat does not see the draft either.
      await client.get(`/api/v1/standards/${copyId}`, world.sessions.institution_admin).expect(404);
      const institutionList = (
        await client.get('/api/v1/standards', world.sessions.institution_admin).expect(200)
      ).body as Summary[];
      expect(institutionList.map((edition) => edition.id)).not.toContain(copyId);

      const asSecretariat = await client.get(`/api/v1/standards/${copyId}`, admin).expect(200);
      expect(asSecretariat.body).toEqual(document);
      const [{ count }] = await testApp.dataSource.query<{ count: number }[]>(
        `select count(*)::int as count from standard_indicator where edition_id = $1`,
        [copyId],
      );
      expect(count).toBe(countTree(cps2022).indicatorCount);
      const secretariatList = await listAsSecretariat();
      expect(secretariatList.find((edition) => edition.id === copyId)).toMatchObject({ status: 'draft' });
    });

    it('publishes the draft once; a second publish is 409 EDITION_ALREADY_PUBLISHED', async () => {
      const published = await client.post(`/api/v1/standards/${copyId}/publish`, admin).expect(200);
      expect(published.body).toMatchObject({ id: copyId, status: 'published', ...countTree(cps2022) });

      const anonymousList = (await client.get('/api/v1/standards').expect(200)).body as Summary[];
      expect(anonymousList.find((edition) => edition.id === copyId)).toMatchObject({ status: 'published' });
      await client.get(`/api/v1/standards/${copyId}`).expect(200);

      const again = await client.post(`/api/v1/standards/${copyId}/publish`, admin).expect(409);
      expect(again.body.code).toBe('EDITION_ALREADY_PUBLISHED');
    });

    it('refuses to import the same id again with 409 ALREADY_EXISTS', async () => {
      const exported = (await client.get('/api/v1/standards/cps-2022').expect(200)).body as Record<
        string,
        any
      >;
      const document = { ...copyOf(exported), id: copyId, title: 'Another title for the same id' };
      const response = await client.post('/api/v1/standards', admin).send(document).expect(409);
      expect(response.body.code).toBe('ALREADY_EXISTS');
      const stored = treeOf((await client.get(`/api/v1/standards/${copyId}`).expect(200)).body);
      expect(stored.title).toBe(cps2022.title);
    });

    it('publishes exactly once when two publish requests race', async () => {
      const document = anEdition().withId('race-to-publish').build();
      await client.post('/api/v1/standards', admin).send(document).expect(201);
      const responses = await Promise.all([
        client.post('/api/v1/standards/race-to-publish/publish', admin),
        client.post('/api/v1/standards/race-to-publish/publish', admin),
      ]);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
      expect(responses.find((response) => response.status === 409)!.body.code).toBe(
        'EDITION_ALREADY_PUBLISHED',
      );
    });

    it('imports exactly one of two concurrent imports of the same id, and the audit chain stays intact', async () => {
      const first = anEdition().withId('race-to-import').build();
      const second = {
        ...anEdition().withId('race-to-import').withShape(1, 1, 2).build(),
        title: 'The other one',
      };
      const responses = await Promise.all([
        client.post('/api/v1/standards', admin).send(first),
        client.post('/api/v1/standards', admin).send(second),
      ]);
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
      expect(responses.find((response) => response.status === 409)!.body.code).toBe('ALREADY_EXISTS');
      const stored = (await client.get('/api/v1/standards/race-to-import', admin).expect(200)).body as Record<
        string,
        any
      >;
      const winner = responses[0].status === 201 ? first : second;
      // Stored as v2, with the same tree; the catalog adds until when the edition takes new initial certifications.
      expect(treeOf(stored)).toEqual(winner);
      expect(stored).toMatchObject({ schemaVersion: 2, openForNewCasesUntil: null, retiredOn: null });

      const verification = await client.get('/api/v1/audit/verify', admin).expect(200);
      expect(verification.body).toMatchObject({ valid: true });
    });

    it('answers 404 when publishing an edition that does not exist', async () => {
      const response = await client.post('/api/v1/standards/no-such-edition/publish', admin).expect(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });

    it('keeps a published edition immutable even for a direct UPDATE or DELETE in the database', async () => {
      await expect(
        testApp.dataSource.query(`update standards_edition set title = 'x' where id = 'cps-2022-copy'`),
      ).rejects.toThrow(/immutable/);
      await expect(
        testApp.dataSource.query(`delete from standards_edition where id = 'cps-2022-copy'`),
      ).rejects.toThrow(/immutable/);
      await expect(
        testApp.dataSource.query(`update standards_edition set status = 'draft' where id = 'cps-2016'`),
      ).rejects.toThrow(/immutable/);
      const [row] = await testApp.dataSource.query<{ title: string; status: string }[]>(
        `select title, status from standards_edition where id = 'cps-2022-copy'`,
      );
      expect(row).toEqual({ title: cps2022.title, status: 'published' });
    });
  });

  describe('invalid documents', () => {
    let listBefore: Summary[];
    let storedBefore: string[];

    beforeAll(async () => {
      listBefore = await listAsSecretariat();
      storedBefore = await storedEditionIds();
    });

    it('reports a duplicate indicator code with its path', async () => {
      const document = { ...copyOf(cps2016), id: 'dup-indicator' };
      const indicators = document.principles[0].standards[0].indicators;
      indicators[1].code = indicators[0].code;
      const details = await rejectedDetails(document);
      expect(details).toContainEqual({
        field: 'principles[0].standards[0].indicators[1].code',
        message: expect.stringMatching(/duplicate/i),
      });
      expect(details.find((detail) => detail.message.includes('duplicate'))!.message).toContain(
        indicators[0].code,
      );
    });

    it('reports a missing principle 3 on the principles list', async () => {
      const document = { ...copyOf(cps2016), id: 'missing-principle' };
      document.principles = document.principles.filter((principle) => principle.code !== '3');
      const details = await rejectedDetails(document);
      expect(details).toContainEqual({
        field: 'principles',
        message: expect.stringMatching(/principle 3 is missing/),
      });
    });

    it('reports a missing title as required', async () => {
      const document: Record<string, unknown> = anEdition().withId('no-title').build();
      delete document.title;
      const details = await rejectedDetails(document);
      expect(details).toContainEqual({ field: 'title', message: expect.stringMatching(/required/) });
    });

    it('names an unknown top-level field', async () => {
      const document = { ...anEdition().withId('unknown-field').build(), colour: 'blue' };
      const details = await rejectedDetails(document);
      expect(details).toContainEqual({ field: 'colour', message: 'is not a known field' });
    });

    it('names an unknown nested field with its path', async () => {
      const document = anEdition().withId('unknown-nested').build();
      document.principles[1].standards[0].indicators[0].weight = 3;
      const details = await rejectedDetails(document);
      expect(details).toContainEqual({
        field: 'principles[1].standards[0].indicators[0].weight',
        message: 'is not a known field',
      });
    });

    it('reports a tier that requires a level no indicator has', async () => {
      // Two indicators per standard: levels entry and progress only, while gold requires advanced.
      const document = anEdition().withId('unused-level').tiered().withShape(1, 1, 2).build();
      const details = await rejectedDetails(document);
      expect(details).toContainEqual({
        field: 'decisionRule.tiers[2].requiredIndicatorLevels[2]',
        message: expect.stringMatching(/advanced/),
      });
    });

    it('reports an indicator whose code does not start with its standard code', async () => {
      const document = anEdition().withId('bad-prefix').withShape(2, 2, 3).build();
      document.principles[0].standards[1].indicators[2].code = '9.9.3';
      const details = await rejectedDetails(document);
      expect(details).toContainEqual({
        field: 'principles[0].standards[1].indicators[2].code',
        message: expect.stringMatching(/must start with 1\.2\./),
      });
    });

    it.each(['2026-02-30', '01/02/2026', 'soon'])(
      'reports an effectiveFrom of %s as a bad date',
      async (date) => {
        const document = { ...anEdition().withId('bad-date').build(), effectiveFrom: date };
        const details = await rejectedDetails(document);
        expect(details).toContainEqual({ field: 'effectiveFrom', message: expect.stringMatching(/date/) });
      },
    );

    it('reports every schema problem of a document in one answer', async () => {
      const document: Record<string, unknown> = {
        ...anEdition().withId('two-schema-problems').build(),
        colour: 'blue',
      };
      delete document.title;
      document.validityMonths = 0;
      const details = await rejectedDetails(document);
      expect(details.length).toBeGreaterThanOrEqual(3);
      expect(details.map((detail) => detail.field)).toEqual(
        expect.arrayContaining(['title', 'colour', 'validityMonths']),
      );
    });

    it('reports every rule problem of a document in one answer', async () => {
      const document = anEdition().withId('two-rule-problems').withShape(2, 2, 3).build();
      document.principles[0].standards[0].indicators[1].code = '1.1.1';
      document.principles[1].standards[1].indicators[0].code = '7.7.1';
      const details = await rejectedDetails(document);
      expect(details.length).toBeGreaterThanOrEqual(2);
      expect(details).toEqual(
        expect.arrayContaining([
          {
            field: 'principles[0].standards[0].indicators[1].code',
            message: expect.stringMatching(/duplicate/),
          },
          {
            field: 'principles[1].standards[1].indicators[0].code',
            message: expect.stringMatching(/must start with/),
          },
        ]),
      );
    });

    it.each([
      ['a JSON array', []],
      ['an empty object', {}],
    ])('refuses %s as a document without a 500', async (_label, body) => {
      await rejectedDetails(body);
    });

    it('answers 400, not 500, to a document whose text holds a NUL character', async () => {
      const document = anEdition().withId('nul-character').build();
      document.title = 'Edition with a \u0000 NUL';
      document.principles[0].standards[0].indicators[0].guidance =
        'Look at the \u0000 files of the institution.';
      const response = await client.post('/api/v1/standards', admin).send(document);
      expect(response.status).toBe(400);
      expect(['INVALID_EDITION_DOCUMENT', 'VALIDATION_FAILED']).toContain(response.body.code);
      expect((response.body.details as Detail[]).map((detail) => detail.field)).toEqual(
        expect.arrayContaining(['title', 'principles[0].standards[0].indicators[0].guidance']),
      );
    });

    it('stored nothing of any rejected document', async () => {
      expect(await listAsSecretariat()).toEqual(listBefore);
      expect(await storedEditionIds()).toEqual(storedBefore);
      const indicatorEditions = await testApp.dataSource.query<{ id: string }[]>(
        'select distinct edition_id as id from standard_indicator order by edition_id',
      );
      expect(indicatorEditions.map((row) => row.id)).toEqual(storedBefore);
    });
  });

  describe('who may import and publish', () => {
    const roles = [
      'institution_admin',
      'certifier_admin',
      'rater',
      'committee_member',
      'secretariat_officer',
    ] as const;

    it.each(roles)('refuses POST /standards to %s with 403 FORBIDDEN and stores nothing', async (role) => {
      const document = anEdition()
        .withId(`forbidden-${role.replace(/_/g, '-')}`)
        .build();
      const response = await client
        .post('/api/v1/standards', world.sessions[role])
        .send(document)
        .expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
      await client.get(`/api/v1/standards/${document.id}`, admin).expect(404);
    });

    it.each(roles)('refuses publishing a draft to %s with 403 FORBIDDEN', async (role) => {
      const document = anEdition()
        .withId(`draft-for-${role.replace(/_/g, '-')}`)
        .build();
      await client.post('/api/v1/standards', admin).send(document).expect(201);
      const response = await client
        .post(`/api/v1/standards/${document.id}/publish`, world.sessions[role])
        .expect(403);
      expect(response.body.code).toBe('FORBIDDEN');
      const stored = (await listAsSecretariat()).find((edition) => edition.id === document.id);
      expect(stored).toMatchObject({ status: 'draft' });
    });

    it('answers 401 UNAUTHENTICATED to an anonymous import or publish', async () => {
      const document = anEdition().build();
      expect((await client.post('/api/v1/standards').send(document).expect(401)).body.code).toBe(
        'UNAUTHENTICATED',
      );
      expect((await client.post('/api/v1/standards/cps-2016/publish').expect(401)).body.code).toBe(
        'UNAUTHENTICATED',
      );
    });
  });
});
