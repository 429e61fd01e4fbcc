/**
 * Breaking changes between two OpenAPI 3.0 documents, as a client generated from the older one would
 * feel them (README, "API versioning"). A focused comparison: no diff library on npm that runs on Node 20
 * handles OpenAPI 3.0 documents as @nestjs/swagger writes them.
 */
type Json = Record<string, unknown>;
interface OpenApi {
  info: { version: string };
  paths: Record<string, Record<string, Json>>;
  components?: { schemas?: Record<string, Json>; responses?: Record<string, Json> };
}

const VERBS = ['get', 'put', 'post', 'delete', 'patch'];

function resolve(document: OpenApi, node: unknown): Json | undefined {
  let current = node as Json | undefined;
  for (let depth = 0; current && typeof current.$ref === 'string' && depth < 20; depth += 1) {
    const [, section, name] = /^#\/components\/(schemas|responses)\/(.+)$/.exec(current.$ref) ?? [];
    current = section ? document.components?.[section as 'schemas' | 'responses']?.[name] : undefined;
  }
  return current;
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const typeOf = (schema: Json): string | undefined =>
  typeof schema.type === 'string' ? schema.type : schema.properties ? 'object' : undefined;

/** Compares a schema as both sides use it: what a client sends (request) or reads (response). */
function compareSchemas(
  before: OpenApi,
  after: OpenApi,
  oldNode: unknown,
  newNode: unknown,
  direction: 'request' | 'response',
  where: string,
  problems: string[],
  seen: Set<string>,
): void {
  const key = `${direction}|${JSON.stringify(oldNode)}|${JSON.stringify(newNode)}`;
  if (seen.has(key)) return;
  seen.add(key);
  const oldSchema = resolve(before, oldNode);
  const newSchema = resolve(after, newNode);
  if (!oldSchema || !newSchema) return;
  const oldType = typeOf(oldSchema);
  const newType = typeOf(newSchema);
  if (oldType && newType && oldType !== newType) {
    problems.push(`${where}: type changed from ${oldType} to ${newType}`);
    return;
  }
  if (oldSchema.nullable === true && newSchema.nullable !== true && direction === 'request') {
    problems.push(`${where}: null no longer accepted`);
  }
  if (oldSchema.nullable !== true && newSchema.nullable === true && direction === 'response') {
    problems.push(`${where}: may now be null`);
  }
  const oldEnum = asArray(oldSchema.enum);
  const newEnum = asArray(newSchema.enum);
  if (direction === 'request') {
    if (newEnum.length > 0 && oldEnum.length === 0) {
      problems.push(`${where}: now limited to ${newEnum.map(String).join(', ')}`);
    } else if (newEnum.length > 0) {
      const removed = oldEnum.filter((value) => !newEnum.includes(value));
      if (removed.length > 0)
        problems.push(`${where}: enum narrowed (no longer ${removed.map(String).join(', ')})`);
    }
    const narrower = (keyword: string, tighter: (o: number, n: number) => boolean) => {
      const oldValue = oldSchema[keyword] as number | undefined;
      const newValue = newSchema[keyword] as number | undefined;
      if (newValue !== undefined && (oldValue === undefined || tighter(oldValue, newValue))) {
        problems.push(`${where}: ${keyword} ${oldValue ?? 'none'} → ${newValue}`);
      }
    };
    narrower('maxLength', (o, n) => n < o);
    narrower('maxItems', (o, n) => n < o);
    narrower('maximum', (o, n) => n < o);
    narrower('minLength', (o, n) => n > o);
    narrower('minItems', (o, n) => n > o);
    narrower('minimum', (o, n) => n > o);
    if (typeof newSchema.pattern === 'string' && newSchema.pattern !== oldSchema.pattern) {
      problems.push(`${where}: pattern changed to ${newSchema.pattern}`);
    }
    if (typeof newSchema.format === 'string' && newSchema.format !== oldSchema.format) {
      problems.push(`${where}: format changed to ${newSchema.format}`);
    }
  }
  const oldProperties = (oldSchema.properties ?? {}) as Json;
  const newProperties = (newSchema.properties ?? {}) as Json;
  const oldRequired = asArray(oldSchema.required);
  const newRequired = asArray(newSchema.required);
  for (const name of Object.keys(oldProperties)) {
    if (!(name in newProperties)) {
      // Unknown fields of a request are refused (forbidNonWhitelisted); a response field a client reads is gone.
      problems.push(`${where}.${name}: removed`);
      continue;
    }
    if (direction === 'response' && oldRequired.includes(name) && !newRequired.includes(name)) {
      problems.push(`${where}.${name}: no longer always present`);
    }
    compareSchemas(
      before,
      after,
      oldProperties[name],
      newProperties[name],
      direction,
      `${where}.${name}`,
      problems,
      seen,
    );
  }
  if (direction === 'request') {
    for (const name of newRequired) {
      if (!oldRequired.includes(name)) problems.push(`${where}.${String(name)}: now required`);
    }
  }
  if (oldSchema.items && newSchema.items) {
    compareSchemas(before, after, oldSchema.items, newSchema.items, direction, `${where}[]`, problems, seen);
  }
}

function parametersOf(operation: Json): Map<string, Json> {
  return new Map(
    asArray(operation.parameters).map((parameter) => {
      const p = parameter as Json;
      return [`${String(p.in)}:${String(p.name).toLowerCase()}`, p];
    }),
  );
}

function contentSchema(document: OpenApi, node: unknown): Map<string, unknown> {
  const content = (resolve(document, node)?.content ?? {}) as Record<string, Json>;
  return new Map(Object.entries(content).map(([type, media]) => [type, media.schema]));
}

/** Every breaking change from `before` to `after`, one line each. */
export function breakingChanges(before: OpenApi, after: OpenApi): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [path, oldItem] of Object.entries(before.paths)) {
    for (const verb of VERBS) {
      const oldOperation = oldItem[verb] as Json | undefined;
      if (!oldOperation) continue;
      const name = `${verb.toUpperCase()} ${path}`;
      const newOperation = after.paths[path]?.[verb] as Json | undefined;
      if (!newOperation) {
        problems.push(`${name}: operation removed`);
        continue;
      }
      const oldSecurity = asArray(oldOperation.security);
      const newSecurity = asArray(newOperation.security);
      if (Array.isArray(oldOperation.security) && oldSecurity.length === 0 && newSecurity.length > 0) {
        problems.push(`${name}: now requires authentication`);
      }
      const oldParameters = parametersOf(oldOperation);
      for (const [key, parameter] of parametersOf(newOperation)) {
        const old = oldParameters.get(key);
        if (!old && parameter.required === true) problems.push(`${name} ${key}: new required parameter`);
        if (old && old.required !== true && parameter.required === true) {
          problems.push(`${name} ${key}: parameter made required`);
        }
        if (old)
          compareSchemas(
            before,
            after,
            old.schema,
            parameter.schema,
            'request',
            `${name} ${key}`,
            problems,
            seen,
          );
      }
      for (const key of oldParameters.keys()) {
        if (!parametersOf(newOperation).has(key) && !key.startsWith('header:')) {
          problems.push(`${name} ${key}: parameter removed`);
        }
      }
      const oldBody = resolve(before, oldOperation.requestBody);
      const newBody = resolve(after, newOperation.requestBody);
      if (!oldBody && newBody?.required === true) problems.push(`${name}: request body now required`);
      if (oldBody && newBody) {
        const newMedia = contentSchema(after, newBody);
        for (const [type, schema] of contentSchema(before, oldBody)) {
          if (!newMedia.has(type)) problems.push(`${name}: request media type ${type} no longer accepted`);
          else
            compareSchemas(
              before,
              after,
              schema,
              newMedia.get(type),
              'request',
              `${name} body`,
              problems,
              seen,
            );
        }
      }
      const oldResponses = (oldOperation.responses ?? {}) as Json;
      const newResponses = (newOperation.responses ?? {}) as Json;
      for (const [status, oldResponse] of Object.entries(oldResponses)) {
        if (!status.startsWith('2')) continue;
        if (!(status in newResponses)) {
          problems.push(`${name}: success status ${status} removed`);
          continue;
        }
        const newMedia = contentSchema(after, newResponses[status]);
        for (const [type, schema] of contentSchema(before, oldResponse)) {
          if (!newMedia.has(type)) problems.push(`${name} ${status}: response media type ${type} removed`);
          else
            compareSchemas(
              before,
              after,
              schema,
              newMedia.get(type),
              'response',
              `${name} ${status}`,
              problems,
              seen,
            );
        }
      }
    }
  }
  return problems;
}

export const majorOf = (version: string): number => Number(version.split('.')[0]);
