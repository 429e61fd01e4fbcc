import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');
const PUBLIC_BASE_URL = 'https://certification.cpc.test';
const VERBS = ['get', 'put', 'post', 'delete', 'patch'];

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}
interface Operation {
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  responses: Record<string, { $ref?: string; headers?: Record<string, unknown>; content?: unknown }>;
}
interface Document {
  info: { version: string };
  servers: { url: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }>;
    responses: Record<string, { content?: unknown }>;
  };
}

/** A linter's exit code is non-zero when it finds errors; its JSON report is what counts. */
async function runLinter(file: string, args: string[]): Promise<string> {
  try {
    return (await run(file, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stdout } = error as { stdout?: string };
    if (stdout) return stdout;
    throw error;
  }
}

describe('the served OpenAPI document, linted (Redocly recommended, Spectral OWASP)', () => {
  let testApp: TestApp;
  let document: Document;
  let directory: string;
  let file: string;
  let operations: [string, Operation][];

  beforeAll(async () => {
    testApp = await startTestApp({ PUBLIC_BASE_URL, NODE_ENV: 'production' });
    const response = await request(testApp.app.getHttpServer()).get('/api/docs-json').expect(200);
    document = response.body as Document;
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([verb]) => VERBS.includes(verb))
        .map(([verb, operation]) => [`${verb.toUpperCase()} ${path}`, operation] as [string, Operation]),
    );
    directory = mkdtempSync(join(tmpdir(), 'cpc-openapi-'));
    file = join(directory, 'openapi.json');
    writeFileSync(file, JSON.stringify(document, null, 2));
  });

  afterAll(async () => {
    rmSync(directory, { recursive: true, force: true });
    await testApp?.close();
  });

  it('passes Redocly CLI with the recommended rules (.redocly.yaml): no error', async () => {
    const output = await runLinter(join(BIN, 'redocly'), [
      'lint',
      '--config',
      join(ROOT, '.redocly.yaml'),
      '--format=json',
      file,
    ]);
    const report = JSON.parse(output) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
    };
    console.info(`Redocly (recommended): ${report.totals.errors} errors, ${report.totals.warnings} warnings`);
    const errors = report.problems
      .filter((problem) => problem.severity === 'error')
      .map((problem) => `${problem.ruleId} ${problem.location[0]?.pointer}: ${problem.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it('passes Spectral with the OWASP API Security ruleset (.spectral.yaml): no error', async () => {
    const output = await runLinter(join(BIN, 'spectral'), [
      'lint',
      '--ruleset',
      join(ROOT, '.spectral.yaml'),
      '--format',
      'json',
      '--quiet',
      file,
    ]);
    const results = JSON.parse(output) as {
      code: string;
      severity: number;
      message: string;
      path: string[];
    }[];
    const errors = results.filter((result) => result.severity === 0);
    const warnings = results.filter((result) => result.severity === 1);
    console.info(`Spectral (OWASP): ${errors.length} errors, ${warnings.length} warnings`);
    expect(errors.map((result) => `${result.code} ${result.path.join('.')}: ${result.message}`)).toEqual([]);
  });

  it('names PUBLIC_BASE_URL as its server', () => {
    expect(document.servers).toEqual([
      expect.objectContaining({ url: PUBLIC_BASE_URL, description: expect.stringContaining('production') }),
    ]);
  });

  it('gives every operation a summary, and public ones `security: []`', () => {
    expect(operations.filter(([, operation]) => !operation.summary?.trim()).map(([name]) => name)).toEqual(
      [],
    );
    const registry = document.paths['/api/v1/registry'].get;
    expect(registry.security).toEqual([]);
    expect(document.paths['/api/v1/auth/login'].post.security).toEqual([]);
    expect(document.paths['/api/v1/cases'].get.security).toEqual([{ bearer: [] }]);
  });

  it('types every id parameter of a record as a UUID', () => {
    const ids = operations.flatMap(([name, operation]) =>
      (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'path' && /Id$/.test(parameter.name))
        .filter((parameter) => parameter.name !== 'editionId') // an edition slug such as cps-2016
        .map((parameter) => ({ name, parameter: parameter.name, format: parameter.schema?.format })),
    );
    expect(ids.length).toBeGreaterThan(30);
    expect(ids.filter((id) => id.format !== 'uuid')).toEqual([]);
    const edition = document.paths['/api/v1/standards/{editionId}'].get.parameters!.find(
      (parameter) => parameter.name === 'editionId',
    );
    expect(edition?.schema).toMatchObject({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$', maxLength: 63 });
  });

  it('marks no optional language parameter or header as required', () => {
    const language = operations.flatMap(([name, operation]) =>
      (operation.parameters ?? [])
        .filter((parameter) => ['lang', 'accept-language'].includes(parameter.name.toLowerCase()))
        .map((parameter) => ({ name, parameter: parameter.name, required: parameter.required ?? false })),
    );
    expect(language.length).toBeGreaterThan(5);
    expect(language.filter((entry) => entry.required)).toEqual([]);
  });

  it("states the DTOs' class-validator limits (sizes, lengths, bounds, formats, enums)", () => {
    const { schemas } = document.components;
    expect(schemas.SelfAssessmentRequestDto.properties!.answers).toMatchObject({ maxItems: 1000 });
    expect(schemas.CreateCaseRequestDto.properties!.certifierId).toMatchObject({
      format: 'uuid',
      maxLength: 36,
    });
    expect(schemas.UpdateCaseRequestDto.properties!.version).toMatchObject({
      type: 'integer',
      format: 'int32',
      minimum: 1,
      maximum: 2147483647,
    });
    const pageSize = document.paths['/api/v1/cases'].get.parameters!.find((p) => p.name === 'pageSize');
    expect(pageSize).toMatchObject({
      required: false,
      schema: { minimum: 1, maximum: 100, format: 'int32' },
    });
    const country = schemas.CreateOrganizationRequestDto.properties!.country;
    expect(country).toMatchObject({ minLength: 2, maxLength: 2 });
  });

  it('documents every error answer with the error schema, 429 with Retry-After and RateLimit headers', () => {
    const errorSchema = '#/components/schemas/ErrorResponseDto';
    const undocumented = operations.flatMap(([name, operation]) =>
      Object.entries(operation.responses)
        .filter(([status]) => /^[45]/.test(status))
        .filter(([, response]) => {
          const resolved = response.$ref
            ? document.components.responses[response.$ref.split('/').pop()!]
            : response;
          return !JSON.stringify(resolved?.content ?? {}).includes(errorSchema);
        })
        .map(([status]) => `${name} ${status}`),
    );
    expect(undocumented).toEqual([]);
    for (const [name, operation] of operations) {
      expect({ name, statuses: Object.keys(operation.responses) }).toEqual({
        name,
        statuses: expect.arrayContaining(['414', '431', '500']),
      });
      if (name.includes('/health/')) {
        expect(operation.responses['429']).toBeUndefined();
        continue;
      }
      expect({ name, headers: Object.keys(operation.responses['429']?.headers ?? {}) }).toEqual({
        name,
        headers: expect.arrayContaining([
          'Retry-After',
          'RateLimit-Limit',
          'RateLimit-Remaining',
          'RateLimit-Reset',
        ]),
      });
      const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'))!;
      expect(Object.keys(success[1].headers ?? {})).toEqual(expect.arrayContaining(['RateLimit-Limit']));
      if ((operation.parameters ?? []).length > 0) expect(operation.responses['400']).toBeDefined();
    }
  });
});
