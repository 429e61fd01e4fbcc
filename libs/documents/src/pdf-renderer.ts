import { constants } from 'node:fs';
import { access, rm } from 'node:fs/promises';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DocumentsConfig } from '@app/config';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS } from './chromium-args';
import { profileDirectory, reapLeftoverBrowsers, watchBrowser } from './chromium-process';
import { PdfRendererUnavailableError } from './documents.errors';
import { Semaphore } from './semaphore.util';

const LAUNCH_TIMEOUT_MS = 30_000;
// A pooled page must answer a trivial evaluation this fast, or it is dropped before reuse.
const PAGE_PROBE_TIMEOUT_MS = 1000;
// A new tab opens in well under a second; one that takes longer has most likely lost its renderer.
const PAGE_OPEN_TIMEOUT_MS = 2500;
const PAGE_OPEN_ATTEMPTS = 3;

class PageOpenTimeout extends Error {}

/** The page's renderer died (crashed, killed) or the page closed while it was printing. */
class PageLostError extends Error {
  constructor(reason: string) {
    super(`The page was lost during the render: ${reason}`);
    this.name = 'PageLostError';
  }
}

export interface PdfPageOptions {
  landscape?: boolean;
}

export interface PdfRendererStats {
  /** Renders under way or waiting for a page. */
  inFlight: number;
  /** Chromium launches since the process started (one, unless it crashed). */
  launches: number;
  /** Renders that produced a PDF. */
  rendered: number;
  /** The running browser's process id, when one runs. */
  browserPid: number | undefined;
  /** Pages kept open for the next render. */
  idlePages: number;
  /** Pages dropped because their renderer crashed or they stopped answering. */
  pagesLost: number;
}

/**
 * HTML to PDF in one headless Chromium per process, started on the first render. At most
 * `pagePoolSize` renders run at once, each on a page kept open between renders; the rest wait in
 * turn. Every render, waiting included, has `renderTimeoutMs`. When Chromium stops (a crash, a kill),
 * the renders it held answer 503 and the next render starts a new browser. A page whose renderer
 * crashed leaves the pool at once (its `error`/`close` events, and a cheap probe before reuse), and a
 * render that loses its page is retried once on a fresh page. The browser dies with this process
 * (see chromium-process.ts), and a start ends the browsers that earlier processes left behind.
 */
@Injectable()
export class PdfRenderer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PdfRenderer.name);
  private readonly slots: Semaphore;
  private browser: Promise<Browser> | undefined;
  private idlePages: Page[] = [];
  private counters = { inFlight: 0, launches: 0, rendered: 0, pagesLost: 0 };
  private readonly lostPages = new WeakSet<Page>();
  private running: Browser | undefined;
  private isShuttingDown = false;

  constructor(private readonly config: DocumentsConfig) {
    this.slots = new Semaphore(config.pagePoolSize);
  }

  stats(): PdfRendererStats {
    return {
      ...this.counters,
      browserPid: this.running?.process()?.pid,
      idlePages: this.idlePages.length,
    };
  }

  /** The PDF of a self-contained HTML document (no scripts, no outside resources), A4. */
  async render(html: string, options: PdfPageOptions = {}): Promise<Buffer> {
    if (this.isShuttingDown) throw new PdfRendererUnavailableError('The service is shutting down');
    this.counters.inFlight += 1;
    const deadline = AbortSignal.timeout(this.config.renderTimeoutMs);
    let release: (() => void) | undefined;
    let page: Page | undefined;
    try {
      release = await this.slots.acquire(deadline);
      // A slot granted just as the deadline passed is of no use.
      if (deadline.aborted) throw deadline.reason;
      const taking = this.takePage();
      page = await withDeadline(taking, deadline).catch((error: unknown) => {
        // A page that opens after the deadline goes to the pool; the slot stays taken until then, so
        // that the pool never holds more pages than its size.
        const held = release;
        release = undefined;
        taking
          .then((late) => this.keep(late))
          .catch(() => undefined)
          .finally(() => held?.());
        throw error;
      });
      let pdf: Uint8Array;
      try {
        pdf = await withDeadline(this.print(page, html, options), deadline);
      } catch (error) {
        // A renderer that dies under a render fails it with "Page crashed!", "Target closed" or a
        // detached frame, whichever comes first: once more on a fresh page, within the same deadline.
        // When Chromium itself went down, the render answers 503 and the next one starts a new browser.
        const browser = page.browser();
        if (deadline.aborted || !browser.connected) throw error;
        this.dropPage(page);
        this.logger.warn({ err: error }, 'A PDF render failed on its page; rendering again on a fresh page');
        page = undefined;
        const opening = this.openPage(browser);
        page = await withDeadline(opening, deadline).catch((late: unknown) => {
          opening.then((unused) => unused.close()).catch(() => undefined);
          throw late;
        });
        pdf = await withDeadline(this.print(page, html, options), deadline);
      }
      this.keep(page);
      page = undefined;
      this.counters.rendered += 1;
      return Buffer.from(pdf);
    } catch (error) {
      throw this.explain(error, deadline);
    } finally {
      // A page that failed is closed, never reused: its state is unknown.
      if (page && !page.isClosed()) page.close().catch(() => undefined);
      release?.();
      this.counters.inFlight -= 1;
    }
  }

  /** Ends the browsers that an earlier, killed process of this machine left running. */
  onApplicationBootstrap(): void {
    const reaped = reapLeftoverBrowsers();
    if (reaped.folders > 0)
      this.logger.warn(reaped, 'Ended Chromium processes and profiles left behind by an earlier process');
  }

  async onApplicationShutdown(): Promise<void> {
    this.isShuttingDown = true;
    const browser = await this.browser?.catch(() => undefined);
    await browser?.close().catch(() => undefined);
  }

  /** Prints on `page`; rejects with `PageLostError` as soon as the page crashes or closes. */
  private async print(page: Page, html: string, options: PdfPageOptions): Promise<Uint8Array> {
    const timeout = this.config.renderTimeoutMs;
    let onLost: ((reason: string) => void) | undefined;
    const lost = new Promise<never>((_, reject) => {
      onLost = (reason) => reject(new PageLostError(reason));
    });
    lost.catch(() => undefined);
    const onError = (error: Error) => onLost?.(error.message);
    const onClose = () => onLost?.('the page closed');
    if (this.lostPages.has(page) || page.isClosed()) throw new PageLostError('the page had crashed');
    page.once('error', onError);
    page.once('close', onClose);
    try {
      return await Promise.race([
        lost,
        (async () => {
          await page.setContent(html, { waitUntil: 'load', timeout });
          return page.pdf({
            format: 'A4',
            landscape: options.landscape ?? false,
            printBackground: true,
            preferCSSPageSize: true,
            timeout,
          });
        })(),
      ]);
    } finally {
      page.off('error', onError);
      page.off('close', onClose);
    }
  }

  /** A pooled page that still answers, or a new one. */
  private async takePage(): Promise<Page> {
    const browser = await this.currentBrowser();
    for (let page = this.idlePages.pop(); page; page = this.idlePages.pop()) {
      if (await this.isHealthy(page)) return page;
      this.dropPage(page);
    }
    return this.openPage(browser);
  }

  /**
   * A new page. A tab whose renderer dies while it opens fails to open ("Target closed") or never
   * finishes opening: such an attempt is given up after `PAGE_OPEN_TIMEOUT_MS` (its page closed should
   * it still come) and another tab opened, unless Chromium itself went down meanwhile. The last
   * attempt is bounded by the render's own deadline only, so that a slow machine still gets its page.
   */
  private async openPage(browser: Browser): Promise<Page> {
    for (let attempt = 1; ; attempt += 1) {
      const opening = this.openPageOn(browser);
      if (attempt === PAGE_OPEN_ATTEMPTS) return opening;
      try {
        return await withinTime(opening, PAGE_OPEN_TIMEOUT_MS);
      } catch (error) {
        opening.then((late) => late.close()).catch(() => undefined);
        if (!browser.connected) throw error;
        this.logger.warn(
          { err: error, attempt },
          'A new PDF page did not open (its renderer may have died); opening another',
        );
      }
    }
  }

  private async openPageOn(browser: Browser): Promise<Page> {
    const page = await browser.newPage();
    // A crashed renderer (`error`: "Page crashed!") or a closed target takes the page out of the pool
    // at once, rather than leaving it for the next render to wait on until its deadline.
    page.on('error', () => this.dropPage(page));
    page.on('close', () => this.dropPage(page));
    await page.setJavaScriptEnabled(false);
    return page;
  }

  /** The cheap check before reuse: the page is open, its renderer alive and answering. */
  private async isHealthy(page: Page): Promise<boolean> {
    if (page.isClosed() || this.lostPages.has(page)) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        page.evaluate('1 + 1'),
        new Promise((resolve) => {
          timer = setTimeout(() => resolve(undefined), PAGE_PROBE_TIMEOUT_MS);
        }),
      ]);
      return answer === 2;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private dropPage(page: Page): void {
    if (!this.lostPages.has(page)) {
      this.lostPages.add(page);
      if (!this.isShuttingDown && this.running?.connected) this.counters.pagesLost += 1;
    }
    this.idlePages = this.idlePages.filter((idle) => idle !== page);
    if (!page.isClosed()) page.close().catch(() => undefined);
  }

  private keep(page: Page): void {
    const isReusable =
      this.running?.connected && page.browser() === this.running && !this.lostPages.has(page);
    if (isReusable && this.idlePages.length < this.config.pagePoolSize) this.idlePages.push(page);
    else page.close().catch(() => undefined);
  }

  private currentBrowser(): Promise<Browser> {
    if (!this.browser) {
      const launching = this.launch();
      this.browser = launching;
      // A failed launch is not remembered: the next render tries again.
      launching.catch(() => {
        if (this.browser === launching) this.browser = undefined;
      });
    }
    return this.browser;
  }

  private async launch(): Promise<Browser> {
    const executablePath = this.config.chromiumPath;
    try {
      await access(executablePath, constants.X_OK);
    } catch (error) {
      throw new PdfRendererUnavailableError(
        `PDF rendering needs Chromium, which is not installed at ${executablePath}; ` +
          'install Debian\'s "chromium" package or set CHROMIUM_PATH',
        error,
      );
    }
    let browser: Browser;
    const profile = profileDirectory(this.counters.launches + 1);
    try {
      browser = await puppeteer.launch({
        executablePath,
        headless: true,
        args: [...CHROMIUM_ARGS],
        userDataDir: profile,
        timeout: LAUNCH_TIMEOUT_MS,
        protocolTimeout: this.config.renderTimeoutMs * 2,
        // The application's own shutdown hook closes the browser.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (error) {
      await rm(profile, { recursive: true, force: true }).catch(() => undefined);
      throw new PdfRendererUnavailableError('Chromium could not be started; try again shortly', error);
    }
    this.counters.launches += 1;
    this.running = browser;
    const pid = browser.process()?.pid;
    const watchdog = pid === undefined ? undefined : watchBrowser(pid, profile);
    this.logger.log({ pid, profile }, 'Chromium started for PDF rendering');
    browser.once('disconnected', () => {
      this.forget(browser);
      // The browser is gone (closed or died): make sure of it, then end its watchdog and profile.
      if (pid !== undefined) killGroup(pid);
      watchdog?.stop();
      void rm(profile, { recursive: true, force: true }).catch(() => undefined);
    });
    return browser;
  }

  private forget(browser: Browser): void {
    if (this.running !== browser) return;
    this.running = undefined;
    this.browser = undefined;
    this.idlePages = [];
    if (!this.isShuttingDown) this.logger.warn('Chromium stopped; the next render starts a new one');
  }

  private explain(error: unknown, deadline: AbortSignal): Error {
    if (error instanceof PdfRendererUnavailableError) return error;
    if (deadline.aborted) {
      const seconds = Math.round(this.config.renderTimeoutMs / 1000);
      return new PdfRendererUnavailableError(
        `The PDF could not be rendered within ${seconds} s; try again shortly`,
        error,
      );
    }
    return new PdfRendererUnavailableError('The PDF renderer stopped during this render; try again', error);
  }
}

/** `work`, or a `PageOpenTimeout` after `ms`. */
function withinTime<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PageOpenTimeout(`not within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** `work`, unless the deadline passes first; a late failure of `work` is then ignored. */
function withDeadline<T>(work: Promise<T>, deadline: AbortSignal): Promise<T> {
  if (deadline.aborted) {
    work.catch(() => undefined);
    return Promise.reject(deadline.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(deadline.reason as Error);
    deadline.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        deadline.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: Error) => {
        deadline.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
