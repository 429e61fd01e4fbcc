import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode } from '@app/common';
import { DocumentsConfig } from '@app/config';
import { PdfRenderer, PdfRendererUnavailableError } from '@app/documents';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TIMEOUT_MS = 1500;

describe(PdfRenderer.name, () => {
  let renderer: PdfRenderer;
  let stalling: Server;
  let stallingUrl: string;

  beforeAll(async () => {
    // A server that never answers: a page that loads from it never finishes loading.
    stalling = createServer(() => undefined);
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    stallingUrl = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}/image.png`;
    renderer = new PdfRenderer(new DocumentsConfig(CHROMIUM_PATH, 1, TIMEOUT_MS));
  });

  afterAll(async () => {
    await renderer?.onApplicationShutdown();
    stalling?.closeAllConnections();
    await new Promise((resolve) => stalling?.close(resolve));
  });

  const slowPage = () => `<!doctype html><html><body><img src="${stallingUrl}"></body></html>`;
  const quickPage = (text: string) => `<!doctype html><html><body><p>${text}</p></body></html>`;

  it('gives up on a render after the timeout with 503, and the next render succeeds', async () => {
    const started = Date.now();
    const failure = await renderer.render(slowPage()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PdfRendererUnavailableError);
    expect((failure as PdfRendererUnavailableError).code).toBe(ErrorCode.PdfRendererUnavailable);
    expect((failure as Error).message).toContain('within 2 s');
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);

    const pdf = await renderer.render(quickPage('after the timeout'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(renderer.stats()).toMatchObject({ inFlight: 0, launches: 1 });
  });

  it('renders no more pages at once than the pool holds: a caller waits its turn within the timeout', async () => {
    // The pool holds one page: while a render stalls, the next waits and runs out of time too.
    const [stalled, waiting] = await Promise.allSettled([
      renderer.render(slowPage()),
      renderer.render(quickPage('waiting for the page')),
    ]);
    expect(stalled.status).toBe('rejected');
    expect(waiting.status).toBe('rejected');
    // Once the stalled page is gone, renders proceed one after another.
    const results = await Promise.all([renderer.render(quickPage('one')), renderer.render(quickPage('two'))]);
    expect(results.map((pdf) => pdf.subarray(0, 5).toString())).toEqual(['%PDF-', '%PDF-']);
    expect(renderer.stats()).toMatchObject({ inFlight: 0, idlePages: 1 });
  });
});
