import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';
import { breakingChanges, majorOf } from './breaking-changes';

/** The last released document (README, "API versioning"). OPENAPI_RELEASE=1 replaces it with the served one. */
const RELEASED = join(__dirname, 'openapi-released.json');

type Doc = any;

const base = (): Doc => ({
  openapi: '3.0.0',
  info: { version: '1.0.0' },
  paths: {
    '/things/{thingId}': {
      get: {
        parameters: [
          { name: 'thingId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          { name: 'lang', in: 'query', required: false, schema: { type: 'string', enum: ['en', 'fr'] } },
        ],
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
        },
      },
      put: {
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingRequest' } } },
        },
        responses: { '200': { description: 'ok' } },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'size'],
        properties: {
          id: { type: 'string' },
          size: { type: 'integer' },
          status: { type: 'string', enum: ['open', 'closed'] },
        },
      },
      ThingRequest: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string', maxLength: 200 }, kind: { type: 'string', enum: ['a', 'b'] } },
      },
    },
  },
});

describe('breaking changes between two documents', () => {
  const changed = (edit: (document: Doc) => void): string[] => {
    const after = base();
    edit(after);
    return breakingChanges(base(), after);
  };

  it('finds none between a document and itself, nor for additions', () => {
    expect(breakingChanges(base(), base())).toEqual([]);
    expect(
      changed((d) => {
        d.paths['/more'] = { get: { responses: { '200': { description: 'ok' } } } };
        d.components.schemas.Thing.properties.extra = { type: 'string' };
        d.components.schemas.ThingRequest.properties.kind.enum.push('c');
        d.paths['/things/{thingId}'].get.parameters.push({
          name: 'q',
          in: 'query',
          schema: { type: 'string' },
        });
      }),
    ).toEqual([]);
  });

  it.each<[string, (document: Doc) => void, RegExp]>([
    ['a removed operation', (d) => delete d.paths['/things/{thingId}'].put, /PUT .* operation removed/],
    [
      'a parameter made required',
      (d) => (d.paths['/things/{thingId}'].get.parameters[1].required = true),
      /made required/,
    ],
    [
      'a removed response field',
      (d) => delete d.components.schemas.Thing.properties.size,
      /200\.size: removed/,
    ],
    [
      'a response field made optional',
      (d) => (d.components.schemas.Thing.required = ['id']),
      /size: no longer always/,
    ],
    [
      'a narrowed request enum',
      (d) => (d.components.schemas.ThingRequest.properties.kind.enum = ['a']),
      /enum narrowed/,
    ],
    [
      'a narrowed parameter enum',
      (d) => (d.paths['/things/{thingId}'].get.parameters[1].schema.enum = ['en']),
      /enum narrowed/,
    ],
    [
      'a changed type',
      (d) => (d.components.schemas.Thing.properties.size = { type: 'string' }),
      /type changed/,
    ],
    [
      'a tighter request limit',
      (d) => (d.components.schemas.ThingRequest.properties.name.maxLength = 100),
      /maxLength/,
    ],
    [
      'a newly required request field',
      (d) => d.components.schemas.ThingRequest.required.push('kind'),
      /kind: now required/,
    ],
    [
      'a removed success status',
      (d) => (d.paths['/things/{thingId}'].put.responses = { '204': {} }),
      /status 200 removed/,
    ],
  ])('reports %s', (_name, edit, expected) => {
    expect(changed(edit)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});

describe('the served document against the last released one', () => {
  let testApp: TestApp;
  let served: Doc;
  const released: Doc = JSON.parse(readFileSync(RELEASED, 'utf8'));

  beforeAll(async () => {
    testApp = await startTestApp();
    served = (await request(testApp.app.getHttpServer()).get('/api/docs-json').expect(200)).body;
    if (process.env.OPENAPI_RELEASE === '1') {
      const { servers: _servers, ...document } = served;
      writeFileSync(RELEASED, `${JSON.stringify(document, null, 2)}\n`);
    }
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('has a version at least the released one', () => {
    const [major, minor, patch] = served.info.version.split('.').map(Number);
    const [releasedMajor, releasedMinor, releasedPatch] = released.info.version.split('.').map(Number);
    expect(major * 1e6 + minor * 1e3 + patch).toBeGreaterThanOrEqual(
      releasedMajor * 1e6 + releasedMinor * 1e3 + releasedPatch,
    );
  });

  it('makes no breaking change unless the major version moved', () => {
    const changes = breakingChanges(released, served);
    if (majorOf(served.info.version) > majorOf(released.info.version)) return;
    expect(changes).toEqual([]);
  });
});
