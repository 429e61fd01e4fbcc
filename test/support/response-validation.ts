import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Every answer the API gives in the e2e tests is checked against the OpenAPI document it serves: the
 * operation (method and path template) must document the status, the media type must be one the
 * operation documents for it, and a JSON body must validate against that response's schema (Ajv, with
 * the document's components; OpenAPI 3.0 `nullable` as the specification reads it: it widens `type`,
 * so an `enum` must list `null` itself).
 *
 * The hook sits on the HTTP server in `startTestApp`, before Express, so every request counts whatever
 * the test uses to send it (supertest, fetch, Chromium). A mismatch fails the running test (see
 * `response-validation.setup.ts`); with RESPONSE_VALIDATION=collect the mismatches are only written
 * to the summary. Answers to paths the document does not describe (HTML pages, the docs UI, unknown
 * routes) are counted apart and not checked.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface MediaObject {
  schema?: JsonObject;
}
interface ResponseObject {
  content?: Record<string, MediaObject>;
}
interface OperationObject {
  responses?: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject | Json>>;
  components?: JsonObject;
}

export interface Mismatch {
  operation: string;
  request: string;
  status: number;
  problem: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * OpenAPI 3.0 to JSON Schema for Ajv. `nullable: true` beside `type` is left to Ajv (it adds `null` to the
 * type, an `enum` must still list it); beside `allOf`/`anyOf`/`oneOf` (how a nullable reference to a
 * component is written, `{ nullable, allOf: [$ref] }`) it becomes `anyOf: [..., { type: null }]`, the way
 * client generators read it. A `nullable` beside a bare `$ref` stays ignored, as generators ignore it.
 */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const converted: JsonObject = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, toJsonSchema(value)]),
  );
  const composed = ['allOf', 'anyOf', 'oneOf'].some((keyword) => keyword in converted);
  // An object that lists its properties and says nothing of others is closed: an answer carrying a
  // property the document does not name is a mismatch (a field leaking, or a field left undocumented).
  if (
    converted.type === 'object' &&
    converted.properties !== undefined &&
    !('additionalProperties' in converted)
  ) {
    converted.additionalProperties = false;
  }
  if (converted.nullable === true && (converted.type === undefined || composed)) {
    const { nullable: _nullable, ...rest } = converted;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return converted;
}

function pointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function mediaMatches(range: string, actual: string): boolean {
  const [rangeType, rangeSub] = range.toLowerCase().split(';')[0].trim().split('/');
  const [type, sub] = actual.toLowerCase().split(';')[0].trim().split('/');
  return (rangeType === '*' || rangeType === type) && (rangeSub === '*' || rangeSub === sub);
}

function isJsonMedia(contentType: string): boolean {
  const essence = contentType.toLowerCase().split(';')[0].trim();
  return essence === 'application/json' || essence.endsWith('+json');
}

interface Route {
  template: string;
  pattern: RegExp;
  /** Literal segments count: a literal path wins over a templated one (`/cases/mine` over `/cases/{id}`). */
  literals: number;
}

export class ResponseValidator {
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(toJsonSchema(document as unknown as Json) as JsonObject, 'openapi');
    this.routes = Object.keys(document.paths)
      .map((template) => {
        const segments = template.split('/');
        const pattern = segments
          .map((segment) =>
            /^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
          )
          .join('/');
        return {
          template,
          pattern: new RegExp(`^${pattern}/?$`),
          literals: segments.filter((segment) => !segment.startsWith('{')).length,
        };
      })
      .sort((a, b) => b.literals - a.literals);
  }

  /** The documented path template of a request path, if the document has one. */
  routeOf(path: string): string | undefined {
    return this.routes.find((route) => route.pattern.test(path))?.template;
  }

  /**
   * Checks one answer. Returns `undefined` when the request is outside the document (no path or no
   * operation for the method), else the list of problems (empty when it matches).
   */
  check(
    method: string,
    path: string,
    status: number,
    contentType: string | undefined,
    body: Buffer | undefined,
  ): { operation: string; problems: string[] } | undefined {
    const template = this.routeOf(path);
    const verb = method.toLowerCase();
    if (!template || !METHODS.includes(verb)) return undefined;
    const operation = this.document.paths[template][verb] as OperationObject | undefined;
    if (!operation) return undefined;
    const name = `${method.toUpperCase()} ${template}`;
    const responses = operation.responses ?? {};
    const statusKey = [String(status), `${String(status)[0]}XX`, 'default'].find((key) => key in responses);
    if (!statusKey) return { operation: name, problems: [`status ${status} is not documented`] };
    // A shared answer (`#/components/responses/…`) is read, and its schema found, where it is written.
    const listed = responses[statusKey] as { $ref?: string; content?: Record<string, { schema?: unknown }> };
    const sharedName = listed.$ref?.replace('#/components/responses/', '');
    const answer = (
      sharedName
        ? (this.document as unknown as { components?: { responses?: Record<string, unknown> } }).components
            ?.responses?.[sharedName]
        : listed
    ) as { content?: Record<string, { schema?: unknown }> } | undefined;
    const content = answer?.content ?? {};
    const hasBody = body !== undefined && body.length > 0;
    // A redirect's body (Express writes "Found. Redirecting to …") is not part of the contract: a client
    // follows Location.
    if (!hasBody || !contentType || (status >= 300 && status < 400)) {
      return { operation: name, problems: [] };
    }
    const mediaKey = Object.keys(content).find((range) => mediaMatches(range, contentType));
    if (!mediaKey) {
      const documented = Object.keys(content).join(', ') || 'no content';
      return {
        operation: name,
        problems: [`answered ${contentType.split(';')[0]}, documented ${documented} for ${statusKey}`],
      };
    }
    if (!isJsonMedia(contentType)) return { operation: name, problems: [] };
    if (!content[mediaKey].schema)
      return { operation: name, problems: [`no schema documented for ${statusKey} ${mediaKey}`] };
    let data: unknown;
    try {
      data = JSON.parse(body.toString('utf8'));
    } catch {
      return { operation: name, problems: [`answered ${contentType} that is not JSON`] };
    }
    const pointer = (
      sharedName
        ? ['components', 'responses', sharedName, 'content', mediaKey, 'schema']
        : ['paths', template, verb, 'responses', statusKey, 'content', mediaKey, 'schema']
    )
      .map(pointerSegment)
      .join('/');
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.getSchema(`openapi#/${pointer}`);
      if (!validate) throw new Error(`no schema at ${pointer}`);
      this.validators.set(pointer, validate);
    }
    if (validate(data)) return { operation: name, problems: [] };
    return {
      operation: name,
      problems: (validate.errors ?? []).map(
        (error) =>
          `${statusKey} body${error.instancePath || ''}: ${error.message ?? error.keyword}` +
          (error.keyword === 'enum' ? ` ${JSON.stringify(error.params.allowedValues)}` : '') +
          (error.keyword === 'additionalProperties' ? `: ${String(error.params.additionalProperty)}` : '') +
          ` (schema ${error.schemaPath})`,
      ),
    };
  }
}

/** What one test file saw: counts, and the mismatches not yet reported to a test. */
export const responseValidationRecord = {
  validated: 0,
  outsideDocument: 0,
  apps: 0,
  pending: [] as Mismatch[],
  all: [] as Mismatch[],
};

/** The response bodies of JSON answers are kept to check them; other bodies only as "non-empty". */
export function validateResponsesOf(server: Server, document: OpenApiDocument): void {
  const validator = new ResponseValidator(document);
  responseValidationRecord.apps += 1;
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const method = request.method ?? 'GET';
    const url = request.url ?? '/';
    const path = url.split('?')[0];
    const chunks: Buffer[] = [];
    let length = 0;
    const keep = (chunk: unknown, encoding?: unknown): void => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      const buffer = Buffer.isBuffer(chunk)
        ? chunk
        : typeof chunk === 'string'
          ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
          : Buffer.from(chunk as Uint8Array);
      length += buffer.length;
      const contentType = String(response.getHeader('content-type') ?? '');
      if (isJsonMedia(contentType) || chunks.length === 0) chunks.push(buffer);
    };
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.write = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      return write(...args);
    }) as ServerResponse['write'];
    response.end = ((...args: unknown[]) => {
      keep(args[0], args[1]);
      if (method !== 'HEAD' && !url.startsWith('/api/docs')) {
        record(validator, method, url, path, response, length > 0 ? Buffer.concat(chunks) : undefined);
      }
      return end(...args);
    }) as ServerResponse['end'];
  });
}

function record(
  validator: ResponseValidator,
  method: string,
  url: string,
  path: string,
  response: ServerResponse,
  body: Buffer | undefined,
): void {
  const contentType = response.getHeader('content-type');
  let result: ReturnType<ResponseValidator['check']>;
  try {
    result = validator.check(
      method,
      path,
      response.statusCode,
      contentType === undefined ? undefined : String(contentType),
      body,
    );
  } catch (error) {
    result = { operation: `${method} ${path}`, problems: [`validator failed: ${String(error)}`] };
  }
  if (!result) {
    responseValidationRecord.outsideDocument += 1;
    return;
  }
  responseValidationRecord.validated += 1;
  for (const problem of result.problems) {
    const mismatch = {
      operation: result.operation,
      request: `${method} ${url.slice(0, 200)}`,
      status: response.statusCode,
      problem,
    };
    responseValidationRecord.pending.push(mismatch);
    responseValidationRecord.all.push(mismatch);
  }
}

/** Where the worker processes leave their counts for the global teardown (set by the global setup). */
export const RESPONSE_VALIDATION_DIR_VARIABLE = 'RESPONSE_VALIDATION_DIR';

export function collectOnly(): boolean {
  return process.env.RESPONSE_VALIDATION === 'collect';
}

/** Appends this test file's counts and mismatches for the global teardown. */
export function flushRecord(testFile: string): void {
  const directory = process.env[RESPONSE_VALIDATION_DIR_VARIABLE];
  if (!directory) return;
  const { validated, outsideDocument, apps, all } = responseValidationRecord;
  if (apps === 0) return;
  mkdirSync(directory, { recursive: true });
  appendFileSync(
    join(directory, `${process.pid}-${randomBytes(4).toString('hex')}.json`),
    JSON.stringify({ testFile, validated, outsideDocument, apps, mismatches: all }),
  );
}

export interface ValidationSummary {
  files: number;
  apps: number;
  validated: number;
  outsideDocument: number;
  mismatches: (Mismatch & { testFile: string })[];
}

/** Sums what the test files left in `directory`. */
export function summarize(directory: string): ValidationSummary {
  const summary: ValidationSummary = { files: 0, apps: 0, validated: 0, outsideDocument: 0, mismatches: [] };
  let names: string[] = [];
  try {
    names = readdirSync(directory);
  } catch {
    return summary;
  }
  for (const name of names) {
    const entry = JSON.parse(readFileSync(join(directory, name), 'utf8')) as {
      testFile: string;
      validated: number;
      outsideDocument: number;
      apps: number;
      mismatches: Mismatch[];
    };
    summary.files += 1;
    summary.apps += entry.apps;
    summary.validated += entry.validated;
    summary.outsideDocument += entry.outsideDocument;
    summary.mismatches.push(
      ...entry.mismatches.map((mismatch) => ({ ...mismatch, testFile: entry.testFile })),
    );
  }
  return summary;
}

export function writeSummary(path: string, summary: ValidationSummary): void {
  writeFileSync(path, `${JSON.stringify(summary, null, 2)}\n`);
}
