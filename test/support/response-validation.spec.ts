import { correctResponseSchemas } from '../../apps/api/src/openapi-responses';
import type { OpenAPIObject } from '@nestjs/swagger';
import { type OpenApiDocument, ResponseValidator } from './response-validation';

const ERROR = { $ref: '#/components/schemas/ErrorResponseDto' };

function documentOf(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 'test', version: '1' },
    paths: {
      '/api/v1/cases/{caseId}': {
        get: {
          responses: {
            '200': {
              description: '',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Case' } } },
            },
            '404': { description: '', content: { 'application/pdf': { schema: ERROR } } },
          },
        },
      },
      '/api/v1/cases/mine': {
        get: { responses: { '204': { description: 'nothing' } } },
      },
      '/api/v1/evidence/{evidenceId}/content': {
        get: {
          responses: {
            '200': { description: '', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
          },
        },
      },
    },
    components: {
      schemas: {
        ErrorResponseDto: {
          type: 'object',
          properties: { statusCode: { type: 'number' }, code: { type: 'string' } },
          required: ['statusCode', 'code'],
        },
        Member: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        Case: {
          type: 'object',
          properties: {
            dueOn: { type: 'string', format: 'date', nullable: true },
            outcome: { type: 'string', enum: ['certified', 'not_certified'], nullable: true },
            lead: { nullable: true, allOf: [{ $ref: '#/components/schemas/Member' }] },
          },
          required: ['dueOn', 'outcome', 'lead'],
        },
      },
    },
  };
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const CASE = '/api/v1/cases/0b8e2f1c-6a3e-4f55-9d0e-1f7c2b9a4d21';

describe('the response validation of the e2e suite', () => {
  const raw = new ResponseValidator(documentOf() as unknown as OpenApiDocument);
  const corrected = new ResponseValidator(correctResponseSchemas(documentOf()) as unknown as OpenApiDocument);

  it('accepts an answer that matches its schema, nulls included', () => {
    const body = json({ dueOn: null, outcome: null, lead: null });
    expect(corrected.check('GET', CASE, 200, 'application/json; charset=utf-8', body)).toEqual({
      operation: 'GET /api/v1/cases/{caseId}',
      problems: [],
    });
    expect(
      corrected.check(
        'GET',
        CASE,
        200,
        'application/json',
        json({ dueOn: '2026-12-01', outcome: 'certified', lead: { id: 'a' } }),
      )?.problems,
    ).toEqual([]);
  });

  it('names a body that differs from the schema', () => {
    const problems = corrected.check(
      'GET',
      CASE,
      200,
      'application/json',
      json({ dueOn: {}, outcome: 'maybe', lead: {} }),
    )?.problems;
    expect(problems).toEqual([
      expect.stringContaining('body/dueOn: must be string'),
      expect.stringContaining('body/outcome: must be equal to one of the allowed values'),
      expect.stringContaining("body/lead: must have required property 'id'"),
      expect.stringContaining('body/lead: must be null'),
      expect.stringContaining('body/lead: must match a schema in anyOf'),
    ]);
  });

  it('names a property the document does not list, also in a nested object', () => {
    const body = json({ dueOn: null, outcome: null, lead: { id: 'a', passwordHash: 'x' }, draft: true });
    expect(corrected.check('GET', CASE, 200, 'application/json', body)?.problems).toEqual([
      expect.stringContaining('body: must NOT have additional properties: draft'),
      expect.stringContaining('body/lead: must NOT have additional properties: passwordHash'),
      expect.stringContaining('body/lead: must be null'),
      expect.stringContaining('body/lead: must match a schema in anyOf'),
    ]);
  });

  it('refuses null for a nullable enum that does not list it, until the document is corrected', () => {
    const body = json({ dueOn: null, outcome: null, lead: null });
    expect(raw.check('GET', CASE, 200, 'application/json', body)?.problems).toEqual([
      expect.stringContaining('body/outcome: must be equal to one of the allowed values'),
    ]);
  });

  it('fails an undocumented status and a media type the operation does not document', () => {
    expect(raw.check('GET', CASE, 409, 'application/json', json({}))?.problems).toEqual([
      'status 409 is not documented',
    ]);
    expect(
      raw.check('GET', CASE, 404, 'application/json', json({ statusCode: 404, code: 'NOT_FOUND' }))?.problems,
    ).toEqual(['answered application/json, documented application/pdf for 404']);
    expect(
      corrected.check('GET', CASE, 404, 'application/json', json({ statusCode: 404, code: 'NOT_FOUND' }))
        ?.problems,
    ).toEqual([]);
  });

  it('takes a literal path before a template, and any media type where the document says */*', () => {
    expect(corrected.check('GET', '/api/v1/cases/mine', 204, undefined, undefined)).toEqual({
      operation: 'GET /api/v1/cases/mine',
      problems: [],
    });
    expect(
      corrected.check('GET', '/api/v1/evidence/x/content', 200, 'application/pdf', Buffer.from('%PDF'))
        ?.problems,
    ).toEqual([]);
  });

  it('leaves requests outside the document unchecked', () => {
    expect(corrected.check('GET', '/api/v1/nowhere', 404, 'application/json', json({}))).toBeUndefined();
    expect(corrected.check('POST', '/api/v1/cases/mine', 404, 'application/json', json({}))).toBeUndefined();
  });
});
