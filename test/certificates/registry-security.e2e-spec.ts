import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'puppeteer-core';
import { ApiClient } from '../support/api-client';
import { launchChromium, listenOnLoopback, saveScreenshot } from '../support/browser';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

// The attack of the review: an unknown parameter whose name is markup, echoed into a text/html answer.
const XSS_PARAMETER = '%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E';
const XSS_PATH = `/registry?${XSS_PARAMETER}=1`;

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}

/**
 * The public registry pages under attack and under an accessibility audit, in real Chromium: errors are
 * escaped, localized HTML pages; no script runs; the security headers are on every response; Swagger UI
 * keeps working under its own Content-Security-Policy.
 */
describe('the public registry pages are safe to open', () => {
  let testApp: TestApp;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  let client: ApiClient;
  let world: World;
  let certificateNumber: string;
  const dialogs: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    testApp = await startTestApp();
    baseUrl = await listenOnLoopback(testApp.app);
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    ({ certificateNumber } = await new CaseBuilder(client, world).published());
    page = await browser.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  beforeEach(() => {
    dialogs.length = 0;
    cspViolations.length = 0;
  });

  const open = (path: string, headers: Record<string, string> = {}) =>
    page.setExtraHTTPHeaders(headers).then(() => page.goto(`${baseUrl}${path}`, { waitUntil: 'load' }));
  /** The body's computed font: the inline style sheet applied (the CSP let it through). */
  const bodyFontFamily = () =>
    page.$eval('body', (body) => {
      const view = body.ownerDocument.defaultView as unknown as {
        getComputedStyle(element: unknown): { fontFamily: string };
      };
      return view.getComputedStyle(body).fontFamily;
    });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  /** axe-core's serious and critical violations on the page as it is now. */
  async function seriousAxeViolations(): Promise<AxeViolation[]> {
    // Evaluated through the DevTools protocol, which the page's CSP (no script at all) does not govern.
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
      return (await axe.run()).violations;
    });
    return violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({ ...violation, nodes: violation.nodes.slice(0, 3) }));
  }

  describe('the reflected XSS of the review', () => {
    it('answers an escaped HTML error page in which no script runs and no element is injected', async () => {
      const response = await open(XSS_PATH);
      expect(response?.status()).toBe(400);
      expect(response?.headers()['content-type']).toMatch(/^text\/html/);
      await settle();
      expect(dialogs).toEqual([]);
      expect(await page.$$eval('img', (images) => images.length)).toBe(0);
      expect(await page.$$eval('[onerror]', (elements) => elements.length)).toBe(0);
      expect(await page.$eval('html', (html) => html.lang)).toBe('en');
      expect(await page.title()).toMatch(/Registry of client protection certifications/);
      expect(await page.$eval('#back', (link) => link.getAttribute('href'))).toBe('/registry?lang=en');
      expect(await page.content()).not.toContain('onerror');
      await saveScreenshot(page, 'registry-error-400-en');
    });

    it('would run the script if the page were not escaped (the check can fail)', async () => {
      // The same browser and dialog listener on a blank page that does reflect the name: the dialog fires.
      await page.goto('about:blank');
      await page.setContent(`<p>${decodeURIComponent(XSS_PARAMETER)}</p>`);
      await settle();
      expect(dialogs).toEqual(['1']);
    });

    it('never reflects the name raw in the JSON API either, and keeps it short', async () => {
      const response = await client.get(`/api/v1/registry?${XSS_PARAMETER}=1`).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.text).not.toMatch(/[<>]/);
      const long = await client.get(`/api/v1/registry?${'a'.repeat(5000)}=1`).expect(400);
      const field = (long.body.details as { field: string }[])[0].field;
      expect(field.length).toBeLessThanOrEqual(65);
      expect(long.text.length).toBeLessThan(1000);
    });

    it('answers the verification page’s errors as pages too, in the asked language', async () => {
      const badNumber = await open('/registry/%3Cscript%3Ealert(1)%3C%2Fscript%3E?lang=fr');
      expect(badNumber?.status()).toBe(400);
      expect(badNumber?.headers()['content-type']).toMatch(/^text\/html/);
      expect(await page.$eval('html', (html) => html.lang)).toBe('fr');
      expect(await page.$$eval('script', (scripts) => scripts.length)).toBe(0);
      await settle();
      expect(dialogs).toEqual([]);

      const unknown = await open('/registry/CPC-2020-9999', { 'Accept-Language': 'es-PE,es;q=0.9' });
      expect(unknown?.status()).toBe(404);
      expect(await page.$eval('html', (html) => html.lang)).toBe('es');
      expect(await page.$eval('h1', (h1) => h1.textContent)).toBe('Certificado o página no encontrados');
      expect(await page.$eval('#back', (link) => link.getAttribute('href'))).toBe('/registry?lang=es');
      await saveScreenshot(page, 'registry-error-404-es');
      await page.setExtraHTTPHeaders({});
    });

    it('answers a server failure on a page as an HTML page with a reference, never JSON', async () => {
      await testApp.dataSource.query('ALTER TABLE certificate RENAME TO certificate_away');
      try {
        const response = await open('/registry?q=server-failure-check');
        expect(response?.status()).toBe(500);
        expect(response?.headers()['content-type']).toMatch(/^text\/html/);
        expect(response?.headers()['cache-control']).toBe('no-store');
        expect(await page.$eval('#request-id', (code) => code.textContent)).toBe(
          response?.headers()['x-request-id'],
        );
        expect(await page.content()).not.toContain('certificate_away');
      } finally {
        await testApp.dataSource.query('ALTER TABLE certificate_away RENAME TO certificate');
      }
    });
  });

  describe('the CSV export and caching of errors', () => {
    it('answers a bad CSV request as JSON, not as a registry.csv attachment', async () => {
      const response = await client.get('/api/v1/registry.csv?colour=red').expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['content-disposition']).toBeUndefined();
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('keeps error pages out of shared caches while the pages themselves stay cacheable', async () => {
      const ok = await client.get('/registry').expect(200);
      expect(ok.headers['cache-control']).toBe('public, max-age=60');
      for (const path of [XSS_PATH, '/registry/CPC-2020-9999', '/registry/a/b']) {
        const response = await client.get(path);
        expect([path, response.status, response.headers['cache-control']]).toEqual([
          path,
          expect.any(Number),
          'no-store',
        ]);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
      }
    });
  });

  describe('security headers', () => {
    it('the pages: a strict CSP without scripts that still lets their style sheet apply', async () => {
      const response = await open('/registry');
      const headers = response?.headers() ?? {};
      const csp = headers['content-security-policy'];
      expect(csp).toContain("default-src 'none'");
      expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toContain('script-src');
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['strict-transport-security']).toBeUndefined();
      // The inline style sheet is the one the hash allows: it applies, and nothing was refused.
      expect(await bodyFontFamily()).toContain('system-ui');
      await open(`/registry/${certificateNumber}`);
      expect(await bodyFontFamily()).toContain('system-ui');
      await open(XSS_PATH);
      expect(await bodyFontFamily()).toContain('system-ui');
      expect(cspViolations).toEqual([]);
    });

    it('the search form still works under form-action', async () => {
      await open('/registry');
      await page.type('input[name=q]', 'nothing like this');
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.click('form button[type=submit]'),
      ]);
      expect(new URL(page.url()).searchParams.get('q')).toBe('nothing like this');
      expect(cspViolations).toEqual([]);
    });

    it('authenticated JSON: no-store, nosniff and a CSP that allows nothing', async () => {
      const response = await client.get('/api/v1/cases', world.sessions.institution_admin).expect(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
      expect(response.headers['x-frame-options']).toBe('DENY');
      const me = await client.get('/api/v1/me', world.sessions.secretariat_admin).expect(200);
      expect(me.headers['cache-control']).toBe('no-store');
    });

    it('Swagger UI still loads and renders under its own CSP', async () => {
      const response = await open('/api/docs');
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
      await page.waitForSelector('.swagger-ui .info .title', { timeout: 15_000 });
      expect(await page.$eval('.swagger-ui .info .title', (title) => title.textContent)).toContain(
        'Client protection certification API',
      );
      expect(await page.$$eval('.opblock', (blocks) => blocks.length)).toBeGreaterThan(10);
      expect(cspViolations).toEqual([]);
    });
  });

  describe('accessibility (axe-core): no serious or critical violation', () => {
    it.each([
      ['the list page', '/registry'],
      ['the list page in French', '/registry?lang=fr'],
      ['a verification page', 'VERIFICATION'],
      ['the 400 error page', XSS_PATH],
      ['the 404 error page in Spanish', '/registry/CPC-2020-9999?lang=es'],
    ])('%s', async (_name, path) => {
      await open(path === 'VERIFICATION' ? `/registry/${certificateNumber}` : path);
      expect(await seriousAxeViolations()).toEqual([]);
    });
  });
});

describe('HSTS when the public URL is https', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ PUBLIC_BASE_URL: 'https://registry.example.org' });
  });

  afterAll(() => testApp?.close());

  it('sends Strict-Transport-Security on pages and API alike', async () => {
    const client = new ApiClient(testApp.app);
    for (const path of ['/registry', '/api/v1/registry', '/health/live']) {
      const response = await client.get(path);
      expect([path, response.headers['strict-transport-security']]).toEqual([
        path,
        expect.stringMatching(/^max-age=31536000/),
      ]);
    }
  });
});
