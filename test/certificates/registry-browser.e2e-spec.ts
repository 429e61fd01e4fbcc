import type { Browser, Page } from 'puppeteer-core';
import { ApiClient, type Session } from '../support/api-client';
import { launchChromium, listenOnLoopback, saveScreenshot } from '../support/browser';
import { anOrganization, aSignedInUser } from '../support/builders';
import { CaseBuilder } from '../support/case-builder';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, setCommitteeQuorum, type World } from '../support/world';

interface Listed {
  certificateNumber: string;
  institution: string;
  country: string;
  certifier: string;
}

type CertifierTeam = { certifierId: string } & Pick<
  World['sessions'],
  'certifier_admin' | 'rater' | 'committee_member'
>;

// Four institutions in three countries, certified by two bodies: enough for every filter to narrow.
const INSTITUTIONS = [
  { name: 'Banco Andino de Fomento', country: 'PE', certifier: 'Andes Social Rating' },
  { name: 'Cooperativa Lima Norte', country: 'PE', certifier: 'Sahel Rating Partners' },
  { name: 'Caisse Populaire du Fleuve', country: 'SN', certifier: 'Sahel Rating Partners' },
  { name: 'Financiera Esperanza del Sur', country: 'BO', certifier: 'Andes Social Rating' },
];

describe('the public registry page in Chromium', () => {
  let testApp: TestApp;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const listed: Listed[] = [];

  beforeAll(async () => {
    // First, so that a machine without Chromium fails here with the reason, before any data is built.
    browser = await launchChromium();
    testApp = await startTestApp();
    baseUrl = await listenOnLoopback(testApp.app);
    const client = new ApiClient(testApp.app);
    const world = await buildWorld(client);
    const root = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);

    const teams = new Map<string, CertifierTeam>();
    for (const name of new Set(INSTITUTIONS.map((institution) => institution.certifier))) {
      const { id } = await anOrganization('certifier').named(name).create(client, root);
      // One committee member decides these cases: a quorum of one, as small bodies may set.
      await setCommitteeQuorum(client, root, id, 1);
      teams.set(name, {
        certifierId: id,
        certifier_admin: await aSignedInUser(client, root, id, 'certifier_admin'),
        rater: await aSignedInUser(client, root, id, 'rater'),
        committee_member: await aSignedInUser(client, root, id, 'committee_member'),
      });
    }
    for (const institution of INSTITUTIONS) {
      const { id } = await anOrganization('institution')
        .named(institution.name)
        .inCountry(institution.country)
        .create(client, root);
      const admin: Session = await aSignedInUser(client, root, id, 'institution_admin');
      const { certifierId, ...team } = teams.get(institution.certifier)!;
      const cases = new CaseBuilder(client, {
        ...world,
        institutionId: id,
        certifierId,
        sessions: { ...world.sessions, ...team, institution_admin: admin },
      });
      const { certificateNumber } = await cases.published();
      listed.push({
        certificateNumber,
        institution: institution.name,
        country: institution.country,
        certifier: institution.certifier,
      });
    }
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 800 });
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  const numbersOf = (rows: Listed[]) => rows.map((row) => row.certificateNumber).sort();
  const listedNumbers = () =>
    page.$$eval('#registry tbody tr', (rows) =>
      rows.map((row) => row.getAttribute('data-certificate') ?? ''),
    );
  const column = (index: number) =>
    page.$$eval(
      '#registry tbody tr',
      (rows, cell) => rows.map((row) => row.querySelectorAll('td')[cell].textContent?.trim() ?? ''),
      index,
    );
  const text = (selector: string) => page.$eval(selector, (element) => element.textContent?.trim() ?? '');
  const labels = () =>
    page.$$eval('form label', (elements) =>
      elements.map((element) => element.firstChild?.textContent?.trim() ?? ''),
    );
  const open = (path: string) => page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
  const submit = async () => {
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load' }),
      page.click('form button[type=submit]'),
    ]);
  };
  const follow = async (selector: string) => {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
  };
  const replaceText = async (selector: string, value: string) => {
    await page.click(selector, { count: 3 });
    await page.keyboard.press('Backspace');
    if (value) await page.type(selector, value);
  };

  it('lists every published certificate, one row each, with institution, country and certification body', async () => {
    const response = await open('/registry');
    expect(response?.status()).toBe(200);
    expect(await page.$eval('html', (html) => html.lang)).toBe('en');
    expect(await text('h1')).toBe('Registry of client protection certifications');
    expect((await listedNumbers()).sort()).toEqual(numbersOf(listed));
    expect(await text('#total')).toBe(`${listed.length} certificates`);
    const rows = await page.$$eval('#registry tbody tr', (elements) =>
      elements.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim())),
    );
    for (const entry of listed) {
      expect(rows).toContainEqual(
        expect.arrayContaining([
          entry.certificateNumber,
          entry.institution,
          { PE: 'Peru', SN: 'Senegal', BO: 'Bolivia' }[entry.country],
          entry.certifier,
          'active',
        ]),
      );
    }
    expect(await labels()).toEqual([
      'Institution',
      'Country',
      'Certification body',
      'Level',
      'Status',
      'Sort by',
    ]);
    await saveScreenshot(page, 'registry-list-en');
  });

  it('narrows the list to what is typed or chosen in the form, and says when nothing matches', async () => {
    await open('/registry');
    await page.type('input[name=q]', 'caisse');
    await submit();
    expect(new URL(page.url()).searchParams.get('q')).toBe('caisse');
    expect(await listedNumbers()).toEqual(
      numbersOf(listed.filter((row) => row.institution.startsWith('Caisse'))),
    );
    expect(await page.$eval('input[name=q]', (input) => input.getAttribute('value'))).toBe('caisse');

    await replaceText('input[name=q]', '');
    await page.select('select[name=country]', 'PE');
    await submit();
    const peruvian = listed.filter((row) => row.country === 'PE');
    expect((await listedNumbers()).sort()).toEqual(numbersOf(peruvian));
    expect(await column(2)).toEqual(['Peru', 'Peru']);
    expect(await text('#total')).toBe('2 certificates');

    await page.select('select[name=certifier]', 'Sahel Rating Partners');
    await submit();
    expect(await listedNumbers()).toEqual(
      numbersOf(peruvian.filter((row) => row.certifier === 'Sahel Rating Partners')),
    );
    await saveScreenshot(page, 'registry-filtered-en');

    await page.type('input[name=q]', 'no such institution');
    await submit();
    expect(await page.$('#registry')).toBeNull();
    expect(await page.content()).toContain('No certificate matches.');

    await follow('form a');
    expect(await listedNumbers()).toHaveLength(listed.length);
  });

  it('sorts by institution name and pages through the results', async () => {
    await open('/registry?pageSize=3');
    await page.select('select[name=sort]', 'name');
    await submit();
    const byName = [...listed].sort((a, b) => a.institution.localeCompare(b.institution));
    expect(await column(1)).toEqual(byName.slice(0, 3).map((row) => row.institution));
    expect(await text('#page')).toBe('Page 1 of 2');
    expect(await page.$('a[rel=prev]')).toBeNull();
    await follow('a[rel=next]');
    expect(await column(1)).toEqual(byName.slice(3).map((row) => row.institution));
    expect(await text('#page')).toBe('Page 2 of 2');
    await follow('a[rel=prev]');
    expect(await text('#page')).toBe('Page 1 of 2');
  });

  it('switches to French and Spanish from the language links, keeping the filters', async () => {
    await open('/registry?country=PE');
    await follow('nav.languages a[hreflang=fr]');
    expect(await page.$eval('html', (html) => html.lang)).toBe('fr');
    expect(await text('h1')).toBe('Registre des certifications de protection des clients');
    expect(await labels()).toEqual([
      'Institution',
      'Pays',
      'Organisme de certification',
      'Niveau',
      'Statut',
      'Trier par',
    ]);
    expect(await page.$$eval('#registry th', (cells) => cells.map((cell) => cell.textContent))).toEqual(
      expect.arrayContaining(['Certificat', 'Pays', 'Délivré le', "Valable jusqu'au", 'Statut']),
    );
    expect(await text('form button[type=submit]')).toBe('Rechercher');
    expect(await column(2)).toEqual(['Pérou', 'Pérou']);
    expect(await column(8)).toEqual(['actif', 'actif']);
    expect(await text('#total')).toBe('2 certificats');
    await saveScreenshot(page, 'registry-filtered-fr');

    // A search made on the French page stays French.
    await page.select('select[name=country]', 'SN');
    await submit();
    expect(await page.$eval('html', (html) => html.lang)).toBe('fr');
    expect(await column(2)).toEqual(['Sénégal']);

    await follow('nav.languages a[hreflang=es]');
    expect(await page.$eval('html', (html) => html.lang)).toBe('es');
    expect(await text('h1')).toBe('Registro de certificaciones de protección al cliente');
    expect(await labels()).toEqual([
      'Institución',
      'País',
      'Organismo certificador',
      'Nivel',
      'Estado',
      'Ordenar por',
    ]);
    expect(await text('form button[type=submit]')).toBe('Buscar');
    expect(await column(1)).toEqual(['Caisse Populaire du Fleuve']);
    expect(await column(8)).toEqual(['vigente']);
    await saveScreenshot(page, 'registry-filtered-es');

    await follow('#registry tbody a');
    expect(await page.$eval('html', (html) => html.lang)).toBe('es');
    expect(await text('#verdict')).toBe('Este certificado es válido. (vigente)');
  });
});
