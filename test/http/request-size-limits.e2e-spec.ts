import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  MAX_HEADER_BYTES,
  MAX_URL_BYTES,
  PARSER_MAX_HEADER_BYTES,
} from '../../apps/api/src/http/request-size-limits';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends a raw HTTP/1.1 request head and reads the whole answer (the server closes or ends it). */
function sendRaw(port: number, head: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [rawHead, ...rest] = text.split('\r\n\r\n');
      const [statusLine, ...lines] = rawHead.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [
          line.slice(0, line.indexOf(':')).toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(head);
  });
}

const get = (path: string, extraHeaders = '') =>
  `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extraHeaders}\r\n`;

describe('overlong URLs and headers (414, 431)', () => {
  let testApp: TestApp;
  let port: number;

  beforeAll(async () => {
    testApp = await startTestApp();
    const server = testApp.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const expectErrorShape = (answer: RawAnswer, status: number, code: string) => {
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.headers['x-request-id']).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    expect(body).toEqual({
      statusCode: status,
      code,
      message: expect.any(String),
      details: [],
      requestId: answer.headers['x-request-id'],
    });
  };

  it('answers a URL just within the limit as usual', async () => {
    const path = `/api/v1/registry?q=${'a'.repeat(MAX_URL_BYTES - '/api/v1/registry?q='.length)}`;
    const answer = await sendRaw(port, get(path));
    expect(answer.status).toBe(400); // q is longer than the registry search allows: validation, not 414
  });

  it('answers 414 URI_TOO_LONG to a URL over 16 KiB, in the error shape with a request id', async () => {
    const answer = await sendRaw(
      port,
      get(`/api/v1/registry?q=${'a'.repeat(MAX_URL_BYTES)}`, 'X-Request-Id: long-url-1\r\n'),
    );
    expectErrorShape(answer, 414, 'URI_TOO_LONG');
    expect(answer.headers['x-request-id']).toBe('long-url-1');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers 431 HEADERS_TOO_LARGE to headers over 16 KiB', async () => {
    const answer = await sendRaw(port, get('/health/live', `X-Filler: ${'b'.repeat(MAX_HEADER_BYTES)}\r\n`));
    expectErrorShape(answer, 431, 'HEADERS_TOO_LARGE');
  });

  it("answers 431 in the same shape past Node's own parser limit (URL and headers together)", async () => {
    const url = await sendRaw(port, get(`/api/v1/registry?q=${'a'.repeat(PARSER_MAX_HEADER_BYTES)}`));
    expectErrorShape(url, 431, 'HEADERS_TOO_LARGE');
    const headers = await sendRaw(
      port,
      get('/health/live', `X-Filler: ${'b'.repeat(PARSER_MAX_HEADER_BYTES)}\r\n`),
    );
    expectErrorShape(headers, 431, 'HEADERS_TOO_LARGE');
  });

  it('still answers ordinary requests after those', async () => {
    const answer = await sendRaw(port, get('/health/live'));
    expect(answer.status).toBe(200);
  });
});
