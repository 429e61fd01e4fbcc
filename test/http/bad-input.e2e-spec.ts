import type { INestApplication } from '@nestjs/common';
import type request from 'supertest';
import { ApiClient, type Session } from '../support/api-client';
import { anOrganization } from '../support/builders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Observed {
  method: string;
  url: string;
  status: number;
  body: unknown;
}

/** An ApiClient that remembers every answer, so that the suite can prove it never saw a 500. */
class ObservingClient extends ApiClient {
  readonly observed: Observed[] = [];

  constructor(app: INestApplication) {
    super(app);
  }

  override call(method: Method, path: string, session?: Session | null): request.Test {
    const test = super.call(method, path, session);
    test.on('response', (response: { status: number; body: unknown }) => {
      this.observed.push({
        method: method.toUpperCase(),
        url: path,
        status: response.status,
        body: response.body,
      });
    });
    return test;
  }
}

const MEGABYTE = 1024 * 1024;

/** Asserts the documented error shape, the status, the code and the X-Request-Id header. */
function expectError(response: request.Response, status: number, code: string): void {
  expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
  expect(response.body).toEqual({
    statusCode: status,
    code,
    message: expect.any(String),
    details: expect.any(Array),
    requestId: expect.any(String),
  });
  expect(response.headers['x-request-id']).toBe(response.body.requestId);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
}

function fieldsOf(response: request.Response): string[] {
  return (response.body.details as { field?: string }[]).map((detail) => detail.field ?? '');
}

const validOrganization = (): Record<string, unknown> => anOrganization('certifier').build();

describe('bad input never breaks the API', () => {
  let testApp: TestApp;
  let client: ObservingClient;
  let admin: Session;
  let checked = 0;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ObservingClient(testApp.app);
    admin = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterEach(() => {
    const observed = client?.observed ?? [];
    const serverErrors = observed.slice(checked).filter((answer) => answer.status >= 500);
    checked = observed.length;
    expect(serverErrors).toEqual([]);
  });

  afterAll(() => testApp?.close());

  const organizationCount = async (): Promise<number> => {
    const [{ count }] = await testApp.dataSource.query<{ count: number }[]>(
      'select count(*)::int as count from organization',
    );
    return count;
  };

  describe('malformed JSON', () => {
    it.each([
      ['a truncated object', '{"kind": "certifier", "name": '],
      ['a trailing comma', '{"kind": "certifier",}'],
      ['single quotes', "{'kind': 'certifier'}"],
      ['plain text', 'kind=certifier'],
    ])('answers 400 MALFORMED_JSON for %s', async (_label, raw) => {
      const response = await client
        .post('/api/v1/organizations', admin)
        .set('Content-Type', 'application/json')
        .send(raw);
      expectError(response, 400, 'MALFORMED_JSON');
    });

    it('echoes a sane X-Request-Id sent by the caller in the header and the body', async () => {
      const response = await client
        .post('/api/v1/organizations', admin)
        .set('Content-Type', 'application/json')
        .set('X-Request-Id', 'trace-abc.123')
        .send('{oops');
      expectError(response, 400, 'MALFORMED_JSON');
      expect(response.body.requestId).toBe('trace-abc.123');
    });

    it('replaces an unsafe X-Request-Id with a fresh one', async () => {
      const response = await client
        .post('/api/v1/organizations', admin)
        .set('Content-Type', 'application/json')
        .set('X-Request-Id', 'bad id with spaces <script>')
        .send('{oops');
      expectError(response, 400, 'MALFORMED_JSON');
      expect(response.body.requestId).not.toContain(' ');
    });

    it('answers 400 MALFORMED_JSON on a public route too (login)', async () => {
      const response = await client
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email":');
      expectError(response, 400, 'MALFORMED_JSON');
    });
  });

  describe('wrong types', () => {
    it('names every field of the wrong type', async () => {
      const before = await organizationCount();
      const response = await client
        .post('/api/v1/organizations', admin)
        .send({ ...validOrganization(), name: 123, kind: true });
      expectError(response, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(expect.arrayContaining(['name', 'kind']));
      expect(await organizationCount()).toBe(before);
    });

    it('names nested fields with their path', async () => {
      const body = anOrganization('institution')
        .withProfile({ clientCount: 'many', offersCredit: 'yes' })
        .build();
      const response = await client.post('/api/v1/organizations', admin).send(body);
      expectError(response, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(
        expect.arrayContaining(['profile.clientCount', 'profile.offersCredit']),
      );
    });

    it('names a nested object given as a scalar', async () => {
      const response = await client
        .post('/api/v1/organizations', admin)
        .send({ ...anOrganization('institution').build(), profile: 'none' });
      expectError(response, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response).some((field) => field.startsWith('profile'))).toBe(true);
    });

    it('answers 400 to a login whose fields have the wrong types', async () => {
      const response = await client
        .post('/api/v1/auth/login')
        .send({ email: ['a@b.c'], password: { $ne: '' } });
      expectError(response, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(expect.arrayContaining(['email', 'password']));
    });
  });

  describe('unknown fields', () => {
    it('names an unknown top-level field', async () => {
      const response = await client
        .post('/api/v1/organizations', admin)
        .send({ ...validOrganization(), extra: 1 });
      expectError(response, 400, 'VALIDATION_FAILED');
      expect(response.body.details).toContainEqual({ field: 'extra', message: 'is not a known field' });
    });

    it('names an unknown nested field with its path', async () => {
      const body = anOrganization('institution').withProfile({ extra: true }).build();
      const response = await client.post('/api/v1/organizations', admin).send(body);
      expectError(response, 400, 'VALIDATION_FAILED');
      expect(response.body.details).toContainEqual({
        field: 'profile.extra',
        message: 'is not a known field',
      });
    });

    it('never lets a __proto__ or constructor member pollute prototypes, and never answers 500', async () => {
      // Nest's ValidationPipe strips these two keys before validating, so they are dropped, not reported.
      const raw = `{"kind":"certifier","name":"Proto test","country":"KE","__proto__":{"isAdmin":true}}`;
      const proto = await client
        .post('/api/v1/organizations', admin)
        .set('Content-Type', 'application/json')
        .send(raw);
      expect([201, 400]).toContain(proto.status);
      const constructor = await client
        .post('/api/v1/organizations', admin)
        .send({ ...validOrganization(), constructor: { prototype: { isAdmin: true } } });
      expect([201, 400]).toContain(constructor.status);
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      if (proto.status === 201) expect(proto.body).not.toHaveProperty('isAdmin');
    });
  });

  describe('path and query parameters', () => {
    it.each(['123', 'not-a-uuid', '00000000-0000-0000-0000-00000000000g'])(
      'answers 400 naming organizationId for /organizations/%s',
      async (id) => {
        const response = await client.get(`/api/v1/organizations/${id}`, admin);
        expectError(response, 400, 'VALIDATION_FAILED');
        expect(fieldsOf(response)).toEqual(['organizationId']);
      },
    );

    it('answers 400 naming organizationId on the nested routes too', async () => {
      const users = await client.get('/api/v1/organizations/123/users', admin);
      expectError(users, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(users)).toEqual(['organizationId']);
      const license = await client
        .put('/api/v1/organizations/123/license', admin)
        .send({ validFrom: '2026-01-01', validUntil: '2027-01-01' });
      expectError(license, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(license)).toContain('organizationId');
    });

    it('answers 404 NOT_FOUND for a well-formed but unknown organization id', async () => {
      const response = await client.get('/api/v1/organizations/00000000-0000-4000-8000-000000000000', admin);
      expectError(response, 404, 'NOT_FOUND');
    });

    it.each([
      ['pageSize=abc', 'pageSize'],
      ['pageSize=0', 'pageSize'],
      ['pageSize=101', 'pageSize'],
      ['pageSize=1.5', 'pageSize'],
      ['page=0', 'page'],
      ['page=-1', 'page'],
      ['kind=bank', 'kind'],
    ])('answers 400 to ?%s naming %s', async (query, field) => {
      const response = await client.get(`/api/v1/organizations?${query}`, admin);
      expectError(response, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toContain(field);
    });

    it('answers 400 to an unknown query parameter', async () => {
      const response = await client.get('/api/v1/organizations?sort=name', admin);
      expectError(response, 400, 'VALIDATION_FAILED');
      expect(response.body.details).toContainEqual({ field: 'sort', message: 'is not a known field' });
    });

    it('answers 400, not 500, to a repeated query parameter', async () => {
      const response = await client.get('/api/v1/organizations?pageSize=10&pageSize=20', admin);
      expectError(response, 400, 'VALIDATION_FAILED');
    });

    it('pages with valid parameters', async () => {
      const response = await client.get('/api/v1/organizations?page=1&pageSize=2', admin).expect(200);
      expect(response.body).toMatchObject({
        page: 1,
        pageSize: 2,
        items: expect.any(Array),
        total: expect.any(Number),
      });
      expect(response.body.items.length).toBeLessThanOrEqual(2);
    });
  });

  describe('sizes', () => {
    it('answers 400 (not 413, not 500) to a 1 MB name', async () => {
      const before = await organizationCount();
      const response = await client
        .post('/api/v1/organizations', admin)
        .send({ ...validOrganization(), name: 'n'.repeat(MEGABYTE) });
      expectError(response, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['name']);
      expect(await organizationCount()).toBe(before);
    });

    it('answers 400 (not 413, not 500) to a 1 MB login password', async () => {
      const response = await client
        .post('/api/v1/auth/login')
        .send({ email: ADMIN_EMAIL, password: 'p'.repeat(MEGABYTE) });
      expectError(response, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['password']);
    });

    it('answers 413 PAYLOAD_TOO_LARGE in the documented shape to a body over 5 MB', async () => {
      const response = await client
        .post('/api/v1/organizations', admin)
        .send({ ...validOrganization(), name: 'n'.repeat(6 * MEGABYTE) });
      expectError(response, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers 413 PAYLOAD_TOO_LARGE to an oversized body on a public route (login)', async () => {
      const response = await client
        .post('/api/v1/auth/login')
        .send({ email: ADMIN_EMAIL, password: 'p'.repeat(6 * MEGABYTE) });
      expectError(response, 413, 'PAYLOAD_TOO_LARGE');
    });
  });

  describe('bodies of the wrong shape', () => {
    it.each([
      ['a JSON array', '[{"kind":"certifier","name":"Array body","country":"KE"}]'],
      ['an empty JSON array', '[]'],
      ['a JSON string', '"certifier"'],
      ['a JSON number', '42'],
      ['JSON null', 'null'],
      ['JSON true', 'true'],
    ])('answers 400 to %s where an object is expected', async (_label, raw) => {
      const before = await organizationCount();
      const response = await client
        .post('/api/v1/organizations', admin)
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(response.status).toBe(400);
      expect(['MALFORMED_JSON', 'VALIDATION_FAILED']).toContain(response.body.code);
      expectError(response, 400, response.body.code as string);
      expect(await organizationCount()).toBe(before);
    });

    it.each([
      ['a JSON array', '[{"email":"a@b.c","password":"x"}]'],
      ['a JSON string', '"a@b.c"'],
    ])('answers 400 to %s as a login body', async (_label, raw) => {
      const response = await client
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(response.status).toBe(400);
      expectError(response, 400, response.body.code as string);
    });

    it('answers 400 to an empty body', async () => {
      const response = await client
        .post('/api/v1/organizations', admin)
        .set('Content-Type', 'application/json');
      expectError(response, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(expect.arrayContaining(['kind', 'name', 'country']));
    });

    it('answers 4xx, not 500, to a body that is not JSON at all', async () => {
      const response = await client
        .post('/api/v1/organizations', admin)
        .set('Content-Type', 'text/plain')
        .send('hello');
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expectError(response, response.status, response.body.code as string);
    });

    it('answers 4xx, not 500, to a JSON body in an unsupported charset', async () => {
      const response = await client
        .post('/api/v1/organizations', admin)
        .set('Content-Type', 'application/json; charset=iso-8859-1')
        .send('{}');
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expectError(response, response.status, response.body.code as string);
    });

    it('answers 4xx, not 500, to a body in an unsupported content encoding', async () => {
      const response = await client
        .post('/api/v1/organizations', admin)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'compress')
        .send('{}');
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expectError(response, response.status, response.body.code as string);
    });

    it('answers 400, not 500, to a body that claims gzip but is not', async () => {
      const response = await client
        .post('/api/v1/organizations', admin)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send('{"kind":"certifier"}');
      expect(response.status).toBe(400);
      expectError(response, 400, response.body.code as string);
    });

    it('answers 4xx, not 500, to a deeply nested unknown field', async () => {
      const depth = 20_000;
      const raw = `{"kind":"certifier","name":"Deep","country":"KE","extra":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const response = await client
        .post('/api/v1/organizations', admin)
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(response.status).toBe(400);
      expectError(response, 400, response.body.code as string);
    });

    it('answers 4xx, not 500, to a deeply nested unknown field on a public route (login)', async () => {
      const depth = 20_000;
      const raw = `{"email":"a@example.org","password":"x","extra":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const response = await client
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(response.status).toBe(400);
      expectError(response, 400, response.body.code as string);
    });
  });

  describe('unknown routes', () => {
    it.each([
      ['get', '/api/v1/nothing-here'],
      ['post', '/api/v1/organizations/00000000-0000-4000-8000-000000000000/nothing'],
      ['delete', '/api/v1/standards'],
      ['get', '/'],
    ] as const)('answers %s %s with 404 ROUTE_NOT_FOUND', async (method, path) => {
      const response = await client.call(method, path, admin);
      expectError(response, 404, 'ROUTE_NOT_FOUND');
    });

    it('answers 404 ROUTE_NOT_FOUND to anonymous callers as well', async () => {
      const response = await client.get('/api/v1/nothing-here');
      expectError(response, 404, 'ROUTE_NOT_FOUND');
    });

    it('answers 400, not 500, to a path with a broken percent-encoding', async () => {
      const response = await client.get('/api/v1/standards/%E0%A4%A', admin);
      expect(response.status).toBe(400);
      expectError(response, 400, response.body.code as string);
    });
  });

  describe('tokens', () => {
    it.each([
      ['a garbage token', 'Bearer not-a-jwt'],
      ['an empty bearer', 'Bearer '],
      ['another scheme', 'Basic dXNlcjpwYXNz'],
    ])('answers 401 UNAUTHENTICATED to %s', async (_label, header) => {
      const response = await client.get('/api/v1/me').set('Authorization', header);
      expectError(response, 401, 'UNAUTHENTICATED');
    });
  });

  describe('OpenAPI document', () => {
    interface Operation {
      security?: Record<string, string[]>[];
      responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
      requestBody?: { content?: Record<string, { schema?: unknown }> };
    }
    type PathItem = Record<string, Operation>;
    const VERBS = ['get', 'post', 'put', 'patch', 'delete'];
    const PUBLIC_OPERATIONS = [
      'post /api/v1/auth/login',
      'post /api/v1/auth/refresh',
      'post /api/v1/auth/password-reset',
      'post /api/v1/auth/mfa',
      'post /api/v1/auth/mfa/enrol',
      'get /api/v1/standards',
      'get /api/v1/standards/schema',
      'get /api/v1/standards/{editionId}',
      'get /api/v1/standards/{editionId}/workbook',
      'get /api/v1/crosswalks',
      'get /api/v1/crosswalks/schema',
      'get /api/v1/crosswalks/{id}',
      'get /health/live',
      'get /health/ready',
      'get /api/v1/registry',
      'get /api/v1/registry.csv',
      'get /api/v1/registry/{certificateNumber}',
      'get /registry',
      'get /registry/{certificateNumber}',
      'get /api/v1/commitments',
      'get /api/v1/commitments.csv',
      'get /commitments',
      'get /benchmarks',
    ];
    const OPERATIONS_WITH_BODY = [
      'post /api/v1/auth/login',
      'post /api/v1/auth/refresh',
      'post /api/v1/auth/logout',
      'post /api/v1/me/password',
      'post /api/v1/organizations',
      'patch /api/v1/organizations/{organizationId}',
      'put /api/v1/organizations/{organizationId}/license',
      'post /api/v1/organizations/{organizationId}/users',
      'patch /api/v1/organizations/{organizationId}/users/{userId}',
      'post /api/v1/auth/password-reset',
      'post /api/v1/auth/mfa',
      'post /api/v1/auth/mfa/enrol',
      'post /api/v1/me/mfa/verify',
      'post /api/v1/standards',
      'post /api/v1/crosswalks',
      'post /api/v1/cases/{caseId}/self-assessment/prefill',
    ];
    const IMPLEMENTED_PATHS = [
      '/api/v1/auth/login',
      '/api/v1/auth/refresh',
      '/api/v1/auth/logout',
      '/api/v1/me',
      '/api/v1/me/password',
      '/api/v1/organizations',
      '/api/v1/organizations/{organizationId}',
      '/api/v1/organizations/{organizationId}/license',
      '/api/v1/organizations/{organizationId}/users',
      '/api/v1/standards',
      '/api/v1/standards/{editionId}',
      '/api/v1/standards/{editionId}/publish',
      '/api/v1/standards/{editionId}/workbook',
      '/api/v1/crosswalks',
      '/api/v1/crosswalks/{id}',
      '/api/v1/crosswalks/{id}/publish',
      '/api/v1/cases/{caseId}/self-assessment/prefill',
      '/api/v1/audit/verify',
      '/health/live',
      '/health/ready',
    ];

    let document: { openapi: string; paths: Record<string, PathItem>; components?: Record<string, unknown> };
    let operations: [string, Operation][];

    beforeAll(async () => {
      const response = await client.get('/api/docs-json').expect(200);
      document = response.body;
      operations = Object.entries(document.paths).flatMap(([path, item]) =>
        Object.entries(item)
          .filter(([verb]) => VERBS.includes(verb))
          .map(([verb, operation]) => [`${verb} ${path}`, operation] as [string, Operation]),
      );
    });

    it('is an OpenAPI 3 document with the bearer scheme', () => {
      expect(document.openapi).toMatch(/^3\./);
      expect(document.components).toMatchObject({
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      });
    });

    it('includes every path of API.md implemented so far', () => {
      expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(IMPLEMENTED_PATHS));
    });

    it('has operations on every path', () => {
      for (const [path, item] of Object.entries(document.paths)) {
        expect({ path, verbs: Object.keys(item).filter((key) => VERBS.includes(key)).length > 0 }).toEqual({
          path,
          verbs: true,
        });
      }
    });

    it('declares bearer security on every operation that is not public, and none on public ones', () => {
      const missing = operations
        .filter(([name]) => !PUBLIC_OPERATIONS.includes(name))
        .filter(([, operation]) => !(operation.security ?? []).some((requirement) => 'bearer' in requirement))
        .map(([name]) => name);
      expect(missing).toEqual([]);
      const securedPublic = operations
        .filter(([name]) => PUBLIC_OPERATIONS.includes(name))
        .filter(([, operation]) => (operation.security ?? []).some((requirement) => 'bearer' in requirement))
        .map(([name]) => name);
      expect(securedPublic).toEqual([]);
    });

    it('gives every operation a 2xx answer with a schema or a description', () => {
      const undocumented = operations
        .filter(([, operation]) => {
          const success = Object.entries(operation.responses ?? {}).filter(([status]) =>
            /^2\d\d$/.test(status),
          );
          return !success.some(
            ([, answer]) =>
              (answer.description ?? '').trim() !== '' ||
              Object.values(answer.content ?? {}).some((media) => media.schema !== undefined),
          );
        })
        .map(([name]) => name);
      expect(undocumented).toEqual([]);
    });

    it('documents the status each operation really answers with', () => {
      const expected: Record<string, string> = {
        'post /api/v1/auth/login': '200',
        'post /api/v1/auth/refresh': '200',
        'post /api/v1/auth/logout': '204',
        'post /api/v1/me/password': '204',
        'post /api/v1/organizations': '201',
        'post /api/v1/organizations/{organizationId}/users': '201',
        'post /api/v1/standards': '201',
        'post /api/v1/standards/{editionId}/publish': '200',
        'post /api/v1/crosswalks': '201',
        'post /api/v1/crosswalks/{id}/publish': '200',
        'post /api/v1/cases/{caseId}/self-assessment/prefill': '200',
      };
      const actual = Object.fromEntries(
        operations
          .filter(([name]) => name in expected)
          .map(([name, operation]) => [
            name,
            Object.keys(operation.responses ?? {}).find((status) => /^2\d\d$/.test(status)) ?? 'none',
          ]),
      );
      expect(actual).toEqual(expected);
    });

    it('declares a JSON request body on every operation that takes one', () => {
      const names = operations.map(([name]) => name);
      expect(names).toEqual(expect.arrayContaining(OPERATIONS_WITH_BODY));
      const missing = operations
        .filter(([name]) => OPERATIONS_WITH_BODY.includes(name))
        .filter(([, operation]) => operation.requestBody?.content?.['application/json']?.schema === undefined)
        .map(([name]) => name);
      expect(missing).toEqual([]);
    });

    it('documents the error shape for 400 answers', () => {
      const withoutErrorSchema = operations
        .filter(([name]) => OPERATIONS_WITH_BODY.includes(name))
        .filter(
          ([, operation]) =>
            operation.responses?.['400']?.content?.['application/json']?.schema === undefined,
        )
        .map(([name]) => name);
      expect(withoutErrorSchema).toEqual([]);
    });
  });
});
