import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DocumentsConfig } from '@app/config';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { CHROMIUM_ARGS } from './chromium-args';
import { PdfRendererUnavailableError } from './documents.errors';
import { Semaphore } from './semaphore.util';

const LAUNCH_TIMEOUT_MS = 30_000;

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
}

/**
 * HTML to PDF in one headless Chromium per process, started on the first render. At most
 * `pagePoolSize` renders run at once, each on a page kept open between renders; the rest wait in
 * turn. Every render, waiting included, has `renderTimeoutMs`. When Chromium stops (a crash, a kill),
 * the renders it held answer 503 and the next render starts a new browser.
 */
@Injectable()
export class PdfRenderer implements OnApplicationShutdown {
  private readonly logger = new Logger(PdfRenderer.name);
  private readonly slots: Semaphore;
  private browser: Promise<Browser> | undefined;
  private idlePages: Page[] = [];
  private counters = { inFlight: 0, launches: 0, rendered: 0 };
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
      const pdf = await withDeadline(this.print(page, html, options), deadline);
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

  async onApplicationShutdown(): Promise<void> {
    this.isShuttingDown = true;
    const browser = await this.browser?.catch(() => undefined);
    await browser?.close().catch(() => undefined);
  }

  private async print(page: Page, html: string, options: PdfPageOptions): Promise<Uint8Array> {
    const timeout = this.config.renderTimeoutMs;
    await page.setContent(html, { waitUntil: 'load', timeout });
    return page.pdf({
      format: 'A4',
      landscape: options.landscape ?? false,
      printBackground: true,
      preferCSSPageSize: true,
      timeout,
    });
  }

  private async takePage(): Promise<Page> {
    const browser = await this.currentBrowser();
    for (let page = this.idlePages.pop(); page; page = this.idlePages.pop()) {
      if (!page.isClosed()) return page;
    }
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    return page;
  }

  private keep(page: Page): void {
    const isReusable = this.running?.connected && page.browser() === this.running;
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
    try {
      browser = await puppeteer.launch({
        executablePath,
        headless: true,
        args: [...CHROMIUM_ARGS],
        timeout: LAUNCH_TIMEOUT_MS,
        protocolTimeout: this.config.renderTimeoutMs * 2,
        // The application's own shutdown hook closes the browser.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (error) {
      throw new PdfRendererUnavailableError('Chromium could not be started; try again shortly', error);
    }
    this.counters.launches += 1;
    this.running = browser;
    this.logger.log({ pid: browser.process()?.pid }, 'Chromium started for PDF rendering');
    browser.once('disconnected', () => this.forget(browser));
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
