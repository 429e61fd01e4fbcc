import { randomBytes } from 'node:crypto';
import { PDFParse } from 'pdf-parse';
import type request from 'supertest';
import { ApiClient, type Session } from '../support/api-client';
import { institutionProfile } from '../support/builders';
import { CaseBuilder } from '../support/case-builder';
import { anEditionV2, randomEditionV2 } from '../support/edition-builder';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

async function pdfText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

const suffix = (): string => randomBytes(3).toString('hex');

/** Issue 12: editions as data (v2 documents), read by the engine with no code for a new edition. */
describe('standards editions v2', () => {
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

  const importAndPublish = async (document: Record<string, any>): Promise<string> => {
    const imported = await client.post('/api/v1/standards', admin).send(document);
    if (imported.status !== 201)
      throw new Error(`import: ${imported.status} ${JSON.stringify(imported.body)}`);
    await client.post(`/api/v1/standards/${document.id}/publish`, admin).expect(200);
    return document.id as string;
  };

  const editProfile = async (overrides: Record<string, unknown>): Promise<void> => {
    const current = await client
      .get(`/api/v1/organizations/${world.institutionId}`, world.sessions.institution_admin)
      .expect(200);
    await client
      .patch(`/api/v1/organizations/${world.institutionId}`, world.sessions.institution_admin)
      .send({ version: current.body.version, profile: institutionProfile(overrides) })
      .expect(200);
  };

  const applicabilityOf = async (editionId: string): Promise<Map<string, boolean>> => {
    const opened = await cases.open({ editionId });
    const answers = (
      await client
        .get(`/api/v1/cases/${opened.id}/self-assessment`, world.sessions.institution_admin)
        .expect(200)
    ).body.answers as { indicatorCode: string; applicable: boolean }[];
    await cases.transition(opened.id, 'withdraw', world.sessions.institution_admin, { reason: 'test done' });
    return new Map(answers.map((answer) => [answer.indicatorCode, answer.applicable]));
  };

  it('serves the v2 JSON Schema to anyone', async () => {
    const response = await client.get('/api/v1/standards/schema').expect(200);
    expect(response.body).toMatchObject({
      $id: expect.stringContaining('edition-v2'),
      required: expect.arrayContaining(['schemaVersion', 'levels', 'drivers', 'items']),
    });
  });

  it('keeps random valid editions unchanged through import, GET and import again under a new id', async () => {
    for (let seed = 1; seed <= 12; seed += 1) {
      const document = randomEditionV2(seed, `prop-${seed}-${suffix()}`);
      await client.post('/api/v1/standards', admin).send(document).expect(201);
      const stored = (await client.get(`/api/v1/standards/${document.id}`, admin).expect(200)).body;
      expect({ seed, stored }).toEqual({
        seed,
        stored: { ...document, openForNewCasesUntil: document.openForNewCasesUntil ?? null, retiredOn: null },
      });
      const copy = { ...stored, id: `${document.id}-copy` };
      await client.post('/api/v1/standards', admin).send(copy).expect(201);
      const again = (await client.get(`/api/v1/standards/${copy.id}`, admin).expect(200)).body;
      expect({ seed, again }).toEqual({ seed, again: copy });
    }
  });

  it('answers texts in the chosen language with English where a text has no translation', async () => {
    const document = anEditionV2().withId(`lang-${suffix()}`).inFrench().build();
    document.items[0].children[0].title = 'Only in English';
    await importAndPublish(document);
    const french = (await client.get(`/api/v1/standards/${document.id}?lang=fr`).expect(200)).body;
    expect(french).toMatchObject({
      language: 'fr',
      title: `Édition de test ${document.id}`,
      levels: [
        { label: 'Norme de protection des clients' },
        { label: 'Pratique essentielle' },
        { label: 'Indicateur' },
      ],
    });
    expect(french.items[0].title).toBe('Norme de protection 1');
    expect(french.items[0].children[0].title).toBe('Only in English');
    expect(french.items[0].children[0].children[0].statement).toBe("L'institution applique 1A.1.");
    const spanish = (await client.get(`/api/v1/standards/${document.id}?lang=es`).expect(200)).body;
    expect(spanish.items[0].title).toBe('CP standard 1');
    const bad = await client.get(`/api/v1/standards/${document.id}?lang=<script>`).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('reaches silver under a minShare threshold rule and only bronze under "all progress met"', async () => {
    // 20 indicators: 5 entry, 10 progress, 5 advanced.
    const tags = (index: number) => ['entry', 'progress', 'progress', 'advanced'][index % 4];
    const threshold = anEditionV2()
      .withId(`share-${suffix()}`)
      .withShape(2, 2, 5)
      .tagged(tags)
      .withTiers([
        { level: 'bronze', requiredIndicatorLevels: ['entry'] },
        { level: 'silver', requiredIndicatorLevels: ['entry'], minShare: { progress: 0.8 } },
        { level: 'gold', requiredIndicatorLevels: ['entry', 'progress', 'advanced'] },
      ])
      .build();
    const all = {
      ...structuredClone(threshold),
      id: `all-${suffix()}`,
      decisionRule: {
        type: 'tiered',
        tiers: [
          { level: 'bronze', requiredIndicatorLevels: ['entry'] },
          { level: 'silver', requiredIndicatorLevels: ['entry', 'progress'] },
          { level: 'gold', requiredIndicatorLevels: ['entry', 'progress', 'advanced'] },
        ],
      },
    };
    const indicators = (threshold.items as any[]).flatMap((top) =>
      top.children.flatMap((practice: any) => practice.children),
    ) as { code: string; tag: string }[];
    const progress = indicators.filter((indicator) => indicator.tag === 'progress');
    expect(progress).toHaveLength(10);
    // 8 of 10 progress indicators met (80 %), every advanced one not met.
    const overrides = Object.fromEntries([
      ...progress.slice(0, 2).map((indicator) => [indicator.code, 'not_met']),
      ...indicators
        .filter((indicator) => indicator.tag === 'advanced')
        .map((indicator) => [indicator.code, 'not_met']),
    ]);

    const levelUnder = async (document: Record<string, any>): Promise<unknown> => {
      const editionId = await importAndPublish(document);
      const onsite = await cases.withEdition(editionId).onsite();
      await cases.rateAll(onsite.id, overrides);
      const results = (
        await client.get(`/api/v1/cases/${onsite.id}/results`, world.sessions.rater).expect(200)
      ).body;
      // Every level of the tree has its results; the top level keeps the legacy `principles` shape.
      expect(results.items.find((item: { code: string }) => item.code === '1A')).toMatchObject({
        level: 'essential_practice',
        applicableIndicators: 5,
      });
      expect(results.principles.map((principle: { code: string }) => principle.code)).toEqual(['1', '2']);
      return results.outcome;
    };
    expect(await levelUnder(threshold)).toEqual({ eligible: true, level: 'silver' });
    expect(await levelUnder(all)).toEqual({ eligible: true, level: 'bronze' });
  });

  it('makes indicators inapplicable by a new number driver and by an extra profile driver, with no code change', async () => {
    const document = anEditionV2()
      .withId(`driver-${suffix()}`)
      .withShape(1, 1, 3)
      .withDriver({
        key: 'clientCount',
        type: 'number',
        label: { en: 'Active clients', fr: 'Clients actifs' },
      })
      .withDriver({ key: 'memberCount', type: 'number', label: 'Members of the cooperative' })
      .applyingWhen('1A.1', { allOf: [{ field: 'clientCount', op: 'gte', value: 10000 }] })
      .applyingWhen('1A.2', { anyOf: [{ field: 'memberCount', op: 'gt', value: 100 }] })
      .build();
    const editionId = await importAndPublish(document);

    await editProfile({ clientCount: 5000, drivers: { memberCount: 40 } });
    expect(Object.fromEntries(await applicabilityOf(editionId))).toEqual({
      '1A.1': false,
      '1A.2': false,
      '1A.3': true,
    });
    await editProfile({ clientCount: 25000, drivers: { memberCount: 400 } });
    expect(Object.fromEntries(await applicabilityOf(editionId))).toEqual({
      '1A.1': true,
      '1A.2': true,
      '1A.3': true,
    });
    // Driver values are scalars under driver-like keys.
    const current = await client
      .get(`/api/v1/organizations/${world.institutionId}`, world.sessions.institution_admin)
      .expect(200);
    const refused = await client
      .patch(`/api/v1/organizations/${world.institutionId}`, world.sessions.institution_admin)
      .send({
        version: current.body.version,
        profile: institutionProfile({ drivers: { memberCount: { $gt: 1 } } }),
      })
      .expect(400);
    expect(refused.body.details).toContainEqual(expect.objectContaining({ field: 'profile.drivers' }));
  });

  it('prints French edition and item titles in the French report and registry page, English in English', async () => {
    const document = anEditionV2().withId(`fr-${suffix()}`).inFrench().build();
    const editionId = await importAndPublish(document);
    const { caseId, certificateNumber } = await cases.withEdition(editionId).published();
    const pdf = (lang: string) =>
      client
        .get(`/api/v1/cases/${caseId}/report.pdf?lang=${lang}`, world.sessions.institution_admin)
        .responseType('blob') as unknown as request.Test & Promise<request.Response>;

    const french = await pdfText((await pdf('fr')).body as Buffer);
    expect(french).toContain(`Édition de test ${editionId}`);
    expect(french).toContain('Norme de protection 1');
    expect(french).toContain('Pratique essentielle 1A');
    const english = await pdfText((await pdf('en')).body as Buffer);
    expect(english).toContain('CP standard 1');
    expect(english).not.toContain('Norme de protection 1');

    const page = await client.get(`/registry/${certificateNumber}?lang=fr`).expect(200);
    expect(page.text).toContain(`Édition de test ${editionId}`);
    const englishPage = await client.get(`/registry/${certificateNumber}?lang=en`).expect(200);
    expect(englishPage.text).toContain(`Test edition ${editionId}`);
    const certificate = await client
      .get(`/api/v1/certificates/${certificateNumber}/pdf?lang=fr`, world.sessions.institution_admin)
      .responseType('blob');
    expect(await pdfText(certificate.body as Buffer)).toContain(`Édition de test ${editionId}`);
  });
});
