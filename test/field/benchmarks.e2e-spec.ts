import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'puppeteer-core';
import { ApiClient, type Session } from '../support/api-client';
import { launchChromium, listenOnLoopback, saveScreenshot } from '../support/browser';
import { anOrganization, aSignedInUser } from '../support/builders';
import { BenchmarkSummaryService } from '@app/field';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

// Five institutions in Peru (one not certified), one in Bolivia: Bolivia's cells are under the threshold,
// and Peru's too: each Peruvian institution would learn the other four from them.
const INSTITUTIONS = [
  { country: 'PE', outcome: 'certified' },
  { country: 'PE', outcome: 'certified' },
  { country: 'PE', outcome: 'certified' },
  { country: 'PE', outcome: 'certified' },
  { country: 'PE', outcome: 'not_certified' },
  { country: 'BO', outcome: 'certified' },
] as const;

interface Group {
  key: string;
  institutions: number | null;
  count: number | null;
  passRate: number | null;
  suppressed: boolean;
}

describe('benchmarks and the public state-of-the-field page', () => {
  let browser: Browser;
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let baseUrl: string;
  let bolivianAdmin: Session;
  let peruvianAdmin: Session;

  beforeAll(async () => {
    browser = await launchChromium();
    testApp = await startTestApp();
    baseUrl = await listenOnLoopback(testApp.app);
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    // One after the other: six decisions at once can outwait the lock timeout on a loaded machine.
    const admins: Session[] = [];
    for (const { country, outcome } of INSTITUTIONS) {
      const institution = await anOrganization('institution')
        .inCountry(country)
        .create(client, world.sessions.secretariat_admin);
      const admin = await aSignedInUser(
        client,
        world.sessions.secretariat_admin,
        institution.id,
        'institution_admin',
      );
      await new CaseBuilder(client, {
        ...world,
        institutionId: institution.id,
        sessions: { ...world.sessions, institution_admin: admin },
      }).decided(outcome);
      admins.push(admin);
    }
    bolivianAdmin = admins[5];
    peruvianAdmin = admins[0];
    // The anonymised figures come from the summary the worker rebuilds every 10 minutes.
    await testApp.app.get(BenchmarkSummaryService).refresh();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  const groupsOf = async (path: string, session: Session) => {
    const response = await client.get(path, session);
    expect(response.status).toBe(200);
    return response.body as { figures: { groups: Group[]; timeInState: unknown[] }; [key: string]: unknown };
  };

  it('withholds a country of 1 and, so that it cannot be had as the total less the rest, its complement', async () => {
    const result = await groupsOf('/api/v1/benchmarks?by=country', world.sessions.secretariat_admin);
    expect(result).toMatchObject({ by: 'country', threshold: 5, scope: 'field' });
    expect(result.figures.groups).toEqual([
      { key: 'BO', institutions: null, count: null, passRate: null, suppressed: true },
      { key: 'PE', institutions: null, count: null, passRate: null, suppressed: true },
    ]);
    // The public page's other groupings of the same cases: their total less the countries shown is the
    // withheld countries together, which describe 5 institutions besides any one of them.
    const byEdition = await groupsOf('/api/v1/benchmarks?by=edition', world.sessions.secretariat_admin);
    const byYear = await groupsOf('/api/v1/benchmarks?by=year', world.sessions.secretariat_admin);
    const total = (groups: Group[]) => groups.reduce((sum, group) => sum + (group.count ?? 0), 0);
    expect(total(byEdition.figures.groups)).toBe(INSTITUTIONS.length);
    expect(total(byYear.figures.groups)).toBe(INSTITUTIONS.length);
    const withheldCountries = result.figures.groups
      .filter((group) => group.suppressed)
      .map((group) => group.key);
    const behindWithheld = INSTITUTIONS.filter(({ country }) => withheldCountries.includes(country)).length;
    expect(behindWithheld - 1).toBeGreaterThanOrEqual(5);
    expect(total(byEdition.figures.groups) - total(result.figures.groups)).toBe(behindWithheld);

    const byIndicator = await groupsOf(
      `/api/v1/benchmarks?by=indicator&editionId=${world.openEditionId}`,
      world.sessions.secretariat_officer,
    );
    expect(byIndicator.figures.groups.length).toBeGreaterThan(10);
    expect(
      byIndicator.figures.groups.every((group) => group.institutions === 6 && group.passRate === 1),
    ).toBe(true);
    expect(byIndicator.figures.timeInState).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ state: 'onsite', institutions: 6, suppressed: false }),
      ]),
    );
  });

  it('withholds every cell once the selection is under the threshold: an edition with no case, a year', async () => {
    const none = await groupsOf(
      '/api/v1/benchmarks?by=year&editionId=cps-2016',
      world.sessions.secretariat_admin,
    );
    expect(none.figures.groups).toEqual([]);
    const csv = await client.get('/api/v1/benchmarks.csv?by=country', world.sessions.secretariat_admin);
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')).toEqual(
      expect.arrayContaining([
        'field,pass_rate_by_country,BO,,,,true',
        'field,pass_rate_by_country,PE,,,,true',
      ]),
    );
  });

  it("shows a certification body only its own cases, and an institution its own figures beside its country's, anonymised", async () => {
    const own = await groupsOf('/api/v1/benchmarks?by=country', world.sessions.certifier_admin);
    expect(own.scope).toBe('certifier');
    expect(own.figures.groups.find((group) => group.key === 'PE')).toMatchObject({ institutions: 5 });
    const other = await groupsOf('/api/v1/benchmarks?by=country', world.sessions.other_certifier_admin);
    expect(other.figures.groups).toEqual([]);

    const institution = await groupsOf('/api/v1/benchmarks?by=year', bolivianAdmin);
    expect(institution.scope).toBe('institution');
    expect((institution.own as { groups: Group[] }).groups).toEqual([
      expect.objectContaining({ institutions: 1, count: 1, passRate: 1, suppressed: false }),
    ]);
    // Its country is itself alone: withheld, even from it.
    expect((institution.country as { groups: Group[] }).groups).toEqual([
      expect.objectContaining({ institutions: null, passRate: null, suppressed: true }),
    ]);
    expect(institution.comparedEditionId).toBe(world.openEditionId);
    expect((institution.edition as { groups: Group[] }).groups).toEqual([
      expect.objectContaining({ institutions: 6, passRate: 0.833, suppressed: false }),
    ]);
    // A Peruvian institution would learn the other four of its country from a cell of five: withheld.
    const peruvian = await groupsOf('/api/v1/benchmarks?by=country', peruvianAdmin);
    expect((peruvian.country as { groups: Group[] }).groups).toEqual([
      { key: 'PE', institutions: null, count: null, passRate: null, suppressed: true },
    ]);
    expect((peruvian.own as { groups: Group[] }).groups).toEqual([
      expect.objectContaining({ key: 'PE', institutions: 1, suppressed: false }),
    ]);
    const member = await client.get('/api/v1/benchmarks', world.sessions.institution_member);
    expect(member.status).toBe(403);
  });

  it('renders the public page with SVG charts and tables, accessible, in French, with the small cell withheld', async () => {
    const page = await browser.newPage();
    try {
      const response = await page.goto(`${baseUrl}/benchmarks?lang=fr`, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      expect(await page.$eval('html', (html) => html.lang)).toBe('fr');
      expect(await page.$$eval('script', (scripts) => scripts.length)).toBe(0);
      expect(await page.$eval('#country-chart title', (title) => title.textContent)).toContain(
        'Taux de réussite par pays',
      );
      expect(await page.$eval('#country-chart desc', (desc) => desc.textContent)).not.toContain('Bolivie');
      expect(await page.$eval('#country-chart desc', (desc) => desc.textContent)).not.toContain('Pérou');
      expect(await page.$eval('tr[data-key="BO"]', (row) => row.textContent)).toContain('masqué');
      expect(await page.$eval('tr[data-key="PE"]', (row) => row.textContent)).toContain('masqué');
      expect(await page.$eval(`tr[data-key="${world.openEditionId}"]`, (row) => row.textContent)).toMatch(
        /83,3\s?%/,
      );

      const axePath = createRequire(__filename).resolve('axe-core/axe.min.js');
      // Evaluated, not added as a script tag: the pages' Content-Security-Policy allows no script.
      await page.evaluate(readFileSync(axePath, 'utf8'));
      const violations = await page.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: { run: () => Promise<{ violations: { id: string; impact: string }[] }> };
          }
        ).axe;
        return (await axe.run()).violations.map(({ id, impact }) => ({ id, impact }));
      });
      expect(violations.filter((violation) => ['serious', 'critical'].includes(violation.impact))).toEqual(
        [],
      );
      await saveScreenshot(page, 'benchmarks-fr');

      await page.goto(`${baseUrl}/commitments?lang=es`, { waitUntil: 'load' });
      // Evaluated, not added as a script tag: the pages' Content-Security-Policy allows no script.
      await page.evaluate(readFileSync(axePath, 'utf8'));
      const commitmentViolations = await page.evaluate(async () => {
        const axe = (
          globalThis as unknown as {
            axe: { run: () => Promise<{ violations: { id: string; impact: string }[] }> };
          }
        ).axe;
        return (await axe.run()).violations.map(({ id, impact }) => ({ id, impact }));
      });
      expect(
        commitmentViolations.filter((violation) => ['serious', 'critical'].includes(violation.impact)),
      ).toEqual([]);
      await saveScreenshot(page, 'commitments-es');
    } finally {
      await page.close();
    }
  });

  it('answers from the summary as of its last rebuild: a case decided since shows after the next one', async () => {
    const before = await groupsOf('/api/v1/benchmarks?by=year', world.sessions.secretariat_admin);
    const institution = await anOrganization('institution')
      .inCountry('PE')
      .create(client, world.sessions.secretariat_admin);
    const admin = await aSignedInUser(
      client,
      world.sessions.secretariat_admin,
      institution.id,
      'institution_admin',
    );
    await new CaseBuilder(client, {
      ...world,
      institutionId: institution.id,
      sessions: { ...world.sessions, institution_admin: admin },
    }).decided('certified');
    const stale = await groupsOf('/api/v1/benchmarks?by=year', world.sessions.secretariat_admin);
    expect(stale.asOf).toBe(before.asOf);
    expect(stale.figures.groups).toEqual(before.figures.groups);
    expect(stale.figures.groups[0]).toMatchObject({ institutions: 6 });

    const refresh = await testApp.app.get(BenchmarkSummaryService).refresh();
    expect(refresh?.decidedCases).toBe(INSTITUTIONS.length + 1);
    const fresh = await groupsOf('/api/v1/benchmarks?by=year', world.sessions.secretariat_admin);
    expect(Date.parse(fresh.asOf as string)).toBeGreaterThan(Date.parse(before.asOf as string));
    // Peru now has 6 institutions and its institutions see its cell: the field's 7 less Peru's would be
    // Bolivia's one, so the field's cell is withheld; the certification body of all of them sees its 7.
    expect(fresh.figures.groups).toEqual([
      {
        key: before.figures.groups[0].key,
        institutions: null,
        count: null,
        passRate: null,
        suppressed: true,
      },
    ]);
    const certifier = await groupsOf('/api/v1/benchmarks?by=year', world.sessions.certifier_admin);
    expect(certifier.figures.groups).toEqual([
      { key: before.figures.groups[0].key, institutions: 7, count: 7, passRate: 0.857, suppressed: false },
    ]);
    // The institution's own figures are live.
    const own = await groupsOf('/api/v1/benchmarks?by=country', admin);
    expect((own.own as { groups: Group[] }).groups).toEqual([
      expect.objectContaining({ key: 'PE', count: 1, passRate: 1 }),
    ]);
  }, 120_000);
});
