import type { INestApplication, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ServerObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { MAX_HEADER_BYTES, MAX_URL_BYTES } from './request-size-limits';
import { RATE_LIMIT_CLASS, type RateLimitClass } from './rate-limit.guard';
import { ROUTE_ACCESS, type RouteAccess } from './route-access.decorator';

/**
 * Completes the document that @nestjs/swagger builds from the decorators with what the API enforces but
 * the decorators do not say, read from the same metadata that does the enforcing:
 *
 * - the class-validator constraints of every DTO (lengths, sizes, bounds, formats, patterns, enums), on
 *   the component schemas and on the query parameters expanded from query DTOs;
 * - the schema a route parameter's pipe accepts (`static readonly openApiSchema` on the pipe class);
 * - each operation's security from its access rule (`@Public()` gives `security: []`), its rate-limit
 *   headers from its rate-limit class, and the error answers every operation of its kind can give
 *   (400, 401, 413, 414, 429, 431, 500, 503), each with the error schema;
 * - `servers` naming PUBLIC_BASE_URL.
 */
export interface OpenApiContractOptions {
  /** PUBLIC_BASE_URL. */
  publicBaseUrl: string;
  /** NODE_ENV, which names the server's environment. */
  environment: 'development' | 'production' | 'test';
}

/** A pipe that checks a route parameter states what it accepts (a static property of its class). */
export interface DocumentedPipe {
  readonly openApiSchema: SchemaObject;
}

type Schema = SchemaObject | ReferenceObject;
type Verb = 'get' | 'put' | 'post' | 'delete' | 'patch';
const VERBS: Verb[] = ['get', 'put', 'post', 'delete', 'patch'];
const ERROR_SCHEMA = { $ref: '#/components/schemas/ErrorResponseDto' };
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

const isReference = (schema: Schema | undefined): schema is ReferenceObject =>
  schema !== undefined && '$ref' in schema;

// ---------------------------------------------------------------------------------------------------
// class-validator constraints as JSON Schema keywords

/** The keywords one class-validator constraint states, on the value itself (or on each item with `each`). */
function constraintKeywords(meta: ValidationMetadata): SchemaObject | undefined {
  const [first, second] = (meta.constraints ?? []) as unknown[];
  switch (meta.name ?? '') {
    case 'maxLength':
      return { maxLength: first as number };
    case 'minLength':
      return { minLength: first as number };
    case 'isLength':
      return { minLength: first as number, ...(second === undefined ? {} : { maxLength: second as number }) };
    case 'arrayMaxSize':
      return { maxItems: first as number };
    case 'arrayMinSize':
      return { minItems: first as number };
    case 'arrayUnique':
      return { uniqueItems: true };
    case 'max':
      return { maximum: first as number };
    case 'min':
      return { minimum: first as number };
    case 'isInt':
      return { type: 'integer' };
    case 'isUuid':
      // Canonical textual form: 36 characters.
      return { format: 'uuid', minLength: 36, maxLength: 36 };
    case 'isEmail':
      return { format: 'email' };
    case 'isUrl':
      return { format: 'uri' };
    case 'isCalendarDate':
      return { format: 'date', minLength: 10, maxLength: 10 };
    case 'isISO31661Alpha2':
      return { pattern: '^[A-Za-z]{2}$', minLength: 2, maxLength: 2 };
    case 'isIn':
      return { enum: [...(first as unknown[])] };
    case 'isEnum': {
      const values = Array.isArray(second) ? second : Object.values(first as object);
      return { enum: [...new Set(values as unknown[])] };
    }
    case 'matches': {
      const pattern = first instanceof RegExp ? first.source : String(first);
      const longest = longestMatch(pattern);
      return longest === undefined ? { pattern } : { pattern, maxLength: longest };
    }
    default:
      return undefined;
  }
}

// One character: a class, an escape, or a literal; then an optional quantifier.
const ATOM =
  /^(?:\[(?:\\.|[^\]\\])*\]|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}|\\.|[^\\[\](){}|?*+^$.])(\{(\d+)(?:,(\d+))?\}|\?)?/;

/**
 * The length of the longest string an anchored pattern matches, for the simple patterns the DTOs use (a
 * sequence of one-character atoms with bounded quantifiers, or a leading `(?=.{m,n}$)`); undefined when
 * the pattern is unbounded or not that simple.
 */
export function longestMatch(pattern: string): number | undefined {
  const lookahead = /^\^\(\?=\.\{\d+,(\d+)\}\$\)/.exec(pattern);
  if (lookahead) return Number(lookahead[1]);
  if (!pattern.startsWith('^') || !pattern.endsWith('$')) return undefined;
  let rest = pattern.slice(1, -1);
  let total = 0;
  while (rest.length > 0) {
    const atom = ATOM.exec(rest);
    if (!atom) return undefined;
    const [text, quantifier, exact, upper] = atom;
    if (quantifier === undefined) total += 1;
    else if (quantifier === '?') total += 1;
    else if (upper !== undefined) total += Number(upper);
    else if (quantifier.includes(',')) return undefined;
    else total += Number(exact);
    rest = rest.slice(text.length);
  }
  return total;
}

/** Merges keywords into a schema; a value the document already states more strictly is kept. */
function mergeKeywords(schema: SchemaObject, keywords: SchemaObject): void {
  for (const [key, value] of Object.entries(keywords) as [keyof SchemaObject, unknown][]) {
    const current = schema[key] as unknown;
    if (key === 'type') {
      if (schema.type === 'number' || schema.type === undefined) schema.type = value as string;
      continue;
    }
    if (current === undefined) {
      (schema as Record<string, unknown>)[key] = value;
    } else if (key === 'maxLength' || key === 'maxItems' || key === 'maximum') {
      (schema as Record<string, unknown>)[key] = Math.min(current as number, value as number);
    } else if (key === 'minLength' || key === 'minItems' || key === 'minimum') {
      (schema as Record<string, unknown>)[key] = Math.max(current as number, value as number);
    }
  }
}

/** An integer's format: int32 where its bounds fit, int64 otherwise. */
function completeInteger(schema: SchemaObject): void {
  if (schema.type !== 'integer' || schema.format) return;
  const fits =
    schema.minimum !== undefined &&
    schema.maximum !== undefined &&
    schema.minimum >= INT32.min &&
    schema.maximum <= INT32.max;
  schema.format = fits ? 'int32' : 'int64';
}

/** The schema a property's constraints apply to: the property, or its items for `each`. */
function targetOf(schema: Schema, each: boolean): SchemaObject | undefined {
  if (isReference(schema)) return undefined;
  if (!each) return schema;
  if (schema.type === 'array' && schema.items && !isReference(schema.items)) return schema.items;
  return undefined;
}

function applyConstraints(schema: Schema, metadata: ValidationMetadata[]): void {
  for (const meta of metadata) {
    const keywords = constraintKeywords(meta);
    const target = keywords && targetOf(schema, meta.each === true);
    if (target && keywords) mergeKeywords(target, keywords);
  }
  if (!isReference(schema)) {
    completeInteger(schema);
    if (schema.items && !isReference(schema.items)) completeInteger(schema.items);
  }
}

function constraintsByProperty(dto: Type<unknown>): Map<string, ValidationMetadata[]> {
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const meta of getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false)) {
    byProperty.set(meta.propertyName, [...(byProperty.get(meta.propertyName) ?? []), meta]);
  }
  return byProperty;
}

/** Every class that carries class-validator metadata, by name. */
function validatedClassesByName(): Map<string, Type<unknown>[]> {
  // The storage keeps its targets in a Map it does not expose otherwise.
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Type<unknown>, unknown> };
  const byName = new Map<string, Type<unknown>[]>();
  for (const target of storage.validationMetadatas.keys()) {
    if (typeof target !== 'function') continue;
    byName.set(target.name, [...(byName.get(target.name) ?? []), target]);
  }
  return byName;
}

/** Component schemas of DTO classes get their classes' constraints. */
function describeComponentConstraints(document: OpenAPIObject): void {
  const classes = validatedClassesByName();
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    const candidates = classes.get(name) ?? [];
    if (candidates.length !== 1 || isReference(schema)) continue;
    for (const [property, metadata] of constraintsByProperty(candidates[0])) {
      const propertySchema = schema.properties?.[property];
      if (propertySchema) applyConstraints(propertySchema, metadata);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Route handlers behind the operations

interface Handler {
  controller: Type<unknown>;
  method: string;
}

/** Controllers' handlers by operation id (`Controller_method`, @nestjs/swagger's default). */
function handlersByOperationId(app: INestApplication): Map<string, Handler> {
  const handlers = new Map<string, Handler>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (!controller) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        if (method !== 'constructor') handlers.set(`${controller.name}_${method}`, { controller, method });
      }
    }
  }
  return handlers;
}

function metadataOf<T>(key: string, handler: Handler): T | undefined {
  const fn = (handler.controller.prototype as Record<string, object>)[handler.method];
  return (
    (Reflect.getMetadata(key, fn) as T | undefined) ?? (Reflect.getMetadata(key, handler.controller) as T)
  );
}

interface RouteArgument {
  index: number;
  data?: unknown;
  pipes?: unknown[];
}

function routeArguments(handler: Handler): { type: RouteParamtypes; argument: RouteArgument }[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, handler.controller, handler.method) ?? {}) as Record<
    string,
    RouteArgument
  >;
  return Object.entries(args).map(([key, argument]) => ({ type: Number(key.split(':')[0]), argument }));
}

const LOCATION: Partial<Record<RouteParamtypes, ParameterObject['in']>> = {
  [RouteParamtypes.PARAM]: 'path',
  [RouteParamtypes.QUERY]: 'query',
  [RouteParamtypes.HEADERS]: 'header',
};

/** Path, query and header parameters get what their pipes or query DTO enforce. */
function describeParameters(operation: OperationObject, handler: Handler): void {
  const parameters = (operation.parameters ?? []).filter((p): p is ParameterObject => !('$ref' in p));
  const find = (location: string, name: string) =>
    parameters.find((p) => p.in === location && p.name.toLowerCase() === name.toLowerCase());
  const paramTypes = (Reflect.getMetadata(
    'design:paramtypes',
    handler.controller.prototype as object,
    handler.method,
  ) ?? []) as Type<unknown>[];
  for (const { type, argument } of routeArguments(handler)) {
    const location = LOCATION[type];
    if (!location) continue;
    if (typeof argument.data === 'string') {
      const parameter = find(location, argument.data);
      if (!parameter?.schema || isReference(parameter.schema)) continue;
      if (location !== 'path' && (argument.pipes ?? []).length === 0) {
        // Nest requires no named query parameter or header; without a pipe, nothing else does. Its
        // only bound is the URL's or the headers' (MAX_URL_BYTES, MAX_HEADER_BYTES).
        parameter.required = false;
        if (parameter.schema.type === 'string' && parameter.schema.maxLength === undefined) {
          parameter.schema.maxLength = location === 'header' ? MAX_HEADER_BYTES : MAX_URL_BYTES;
        }
      }
      for (const pipe of argument.pipes ?? []) {
        // Pipes are given as classes (static openApiSchema) or instances.
        const documented =
          (pipe as Partial<DocumentedPipe>).openApiSchema ??
          ((pipe as object).constructor as Partial<DocumentedPipe>).openApiSchema;
        if (documented) mergeKeywords(parameter.schema, documented);
      }
    } else if (type === RouteParamtypes.QUERY && paramTypes[argument.index]) {
      for (const [property, metadata] of constraintsByProperty(paramTypes[argument.index])) {
        const parameter = find('query', property);
        if (parameter?.schema) applyConstraints(parameter.schema, metadata);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Security, rate limits, error answers

const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': {
    description: "Requests allowed in the window for this route's class (share of RATE_LIMIT_PER_MINUTE)",
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: INT32.max },
  },
  'RateLimit-Remaining': {
    description: 'Requests left in the window',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: INT32.max },
  },
  'RateLimit-Reset': {
    description: 'Seconds until the window resets',
    schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 60 },
  },
};
const RETRY_AFTER = {
  description: 'Seconds to wait before trying again',
  schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 3600 },
};

const errorResponse = (description: string, headers?: ResponseObject['headers']): ResponseObject => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: ERROR_SCHEMA } },
});

/** Answers that can come before any route is chosen, shared by every operation. */
const SHARED_RESPONSES: Record<string, ResponseObject> = {
  UriTooLong: errorResponse('URI_TOO_LONG: the URL is longer than 16 KiB'),
  HeadersTooLarge: errorResponse(
    'HEADERS_TOO_LARGE: the request headers are larger than 16 KiB in all (or URL and headers together ' +
      'larger than 128 KiB)',
  ),
  InternalError: errorResponse('INTERNAL_ERROR: an unexpected failure, logged with the request id'),
};

function addResponse(operation: OperationObject, status: string, response: ResponseObject | ReferenceObject) {
  if (!operation.responses[status]) operation.responses[status] = response;
}

function describeSecurity(operation: OperationObject, access: RouteAccess | undefined): void {
  if (access?.kind === 'public') {
    operation.security = [];
    return;
  }
  if (!(operation.security ?? []).some((requirement) => 'bearer' in requirement)) {
    operation.security = [...(operation.security ?? []), { bearer: [] }];
  }
  addResponse(operation, '401', errorResponse('UNAUTHENTICATED: no or invalid access token'));
}

function describeErrors(path: string, operation: OperationObject, rateClass: RateLimitClass): void {
  const hasInput = (operation.parameters ?? []).length > 0 || operation.requestBody !== undefined;
  if (hasInput)
    addResponse(operation, '400', errorResponse('VALIDATION_FAILED (details name each field path)'));
  if (operation.requestBody) {
    addResponse(operation, '413', errorResponse('PAYLOAD_TOO_LARGE: the request body is over its limit'));
  }
  addResponse(operation, '414', { $ref: '#/components/responses/UriTooLong' });
  addResponse(operation, '431', { $ref: '#/components/responses/HeadersTooLarge' });
  addResponse(operation, '500', { $ref: '#/components/responses/InternalError' });
  if (path !== '/health/live') {
    addResponse(
      operation,
      '503',
      errorResponse('DATABASE_UNAVAILABLE or DATABASE_BUSY: try again later', { 'Retry-After': RETRY_AFTER }),
    );
  }
  for (const [status, response] of Object.entries(operation.responses)) {
    if (response && /^[45]/.test(status) && !('$ref' in response) && !response.content) {
      response.content = { 'application/json': { schema: ERROR_SCHEMA } };
    }
  }
  if (rateClass === 'none') return;
  addResponse(
    operation,
    '429',
    errorResponse('RATE_LIMITED: over the rate limit for the caller (user, or client address)'),
  );
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!response || !/^[24]/.test(status) || '$ref' in response) continue;
    response.headers = {
      ...RATE_LIMIT_HEADERS,
      ...(status === '429' ? { 'Retry-After': RETRY_AFTER } : {}),
      ...response.headers,
    };
  }
}

// ---------------------------------------------------------------------------------------------------

export function completeOpenApiDocument(
  app: INestApplication,
  document: OpenAPIObject,
  options: OpenApiContractOptions,
): OpenAPIObject {
  describeComponentConstraints(document);
  const handlers = handlersByOperationId(app);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const verb of VERBS) {
      const operation = item[verb];
      if (!operation) continue;
      const handler = operation.operationId ? handlers.get(operation.operationId) : undefined;
      if (!handler) throw new Error(`No route handler behind ${verb.toUpperCase()} ${path}`);
      describeParameters(operation, handler);
      describeSecurity(operation, metadataOf<RouteAccess>(ROUTE_ACCESS, handler));
      describeErrors(path, operation, metadataOf<RateLimitClass>(RATE_LIMIT_CLASS, handler) ?? 'default');
    }
  }
  document.components = {
    ...document.components,
    responses: { ...document.components?.responses, ...SHARED_RESPONSES },
  };
  const environment = options.environment === 'development' ? 'local development' : options.environment;
  const server: ServerObject & { 'x-internal': boolean } = {
    url: options.publicBaseUrl,
    description: `This ${environment} deployment (PUBLIC_BASE_URL)`,
    // Published to the institutions and certification bodies that connect their own tools.
    'x-internal': false,
  };
  document.servers = [server];
  return document;
}
