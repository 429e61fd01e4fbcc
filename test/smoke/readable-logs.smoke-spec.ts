import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminQuery, dropDatabase, serverUrl, withDatabase } from '../support/test-database';
import { startProcess, stopAllProcesses } from './process-runner';

// The log format of the built API and worker: readable lines with LOG_FORMAT=pretty (what a terminal
// gets by default outside production), one JSON object per line otherwise (a pipe, as here).
const describeWithServer = serverUrl() ? describe : describe.skip;

const PRETTY_LINE = /^\[\d\d:\d\d:\d\d\.\d{3}\] (INFO|WARN|ERROR|DEBUG)\b/;

describeWithServer('log format of the API and the worker', () => {
  const server = serverUrl() ?? '';
  const database = `cpc_logs_${randomBytes(5).toString('hex')}`;
  let directory: string;

  const environment = (format: string | undefined) => ({
    DATABASE_URL: withDatabase(server, database),
    S3_BUCKET: undefined,
    PORT: '0',
    EVIDENCE_DIR: join(directory, 'evidence'),
    JWT_SECRET: 'readable-logs-secret-that-is-long-enough-0',
    LOG_LEVEL: 'info',
    LOG_FORMAT: format,
    NODE_ENV: 'development',
  });

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'cpc-logs-'));
    await adminQuery(server, `CREATE DATABASE "${database}"`);
  });

  afterAll(async () => {
    await stopAllProcesses();
    await dropDatabase(server, database);
    rmSync(directory, { recursive: true, force: true });
  });

  it('writes readable lines, request lines included, with LOG_FORMAT=pretty', async () => {
    const api = startProcess('dist/apps/api/src/main.js', [], environment('pretty'));
    const [, port] = await api.waitFor(/API\s+http:\/\/localhost:(\d+)\/api\/v1/);
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    await api.waitFor(/GET \/health\/ready → 200/, 10000);
    await api.stop();
    const logLines = api
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{') || line.startsWith('['));
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.filter((line) => !PRETTY_LINE.test(line))).toEqual([]);
  });

  it('writes one JSON object per line when stdout is not a terminal (LOG_FORMAT unset)', async () => {
    const worker = startProcess('dist/apps/worker/src/main.js', [], environment(undefined));
    await worker.waitFor(/Worker started/);
    await worker.waitFor(/^\{.*"level":30/m, 10000);
    await worker.stop();
    const logLines = worker
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{') || line.startsWith('['));
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});
