import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  ReferenceObject,
  ResponseObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * Corrections to the answers' side of the generated document, so that a client generated from it
 * reads what the API really sends (checked by the e2e suite, which validates every answer against
 * the document, and by the generated-client test):
 * - an error is JSON whatever the operation produces on success (`@ApiProduces` of a download
 *   otherwise applies to its error answers too), an HTML page's error is an HTML page (or JSON);
 * - a GET may answer 304 (Express's ETag), any operation 500;
 * - a `nullable` enum lists `null` among its values (OpenAPI 3.0: `nullable` widens `type` only);
 * - the refusals any request may get before its handler runs, where an operation does not state them:
 *   400 (a malformed parameter or body, where it takes one), and for a body 413 (over the size limit) and 415 (not JSON,
 *   or not multipart where a file is expected), and 503 where the database is busy or down (every
 *   operation but the liveness probe).
 */
export function correctResponseSchemas(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const refusals: [string, string][] = [
        ['500', 'INTERNAL_ERROR: an unexpected failure, logged under the request id'],
      ];
      if (path !== '/health/live')
        refusals.push([
          '503',
          'DATABASE_BUSY (a statement or lock wait over its time; Retry-After) or DATABASE_UNAVAILABLE',
        ]);
      if (operation.requestBody || (operation.parameters ?? []).length > 0)
        refusals.push(['400', 'VALIDATION_FAILED (details name each field path)']);
      if (operation.requestBody) {
        refusals.push(['413', 'PAYLOAD_TOO_LARGE: the body is over its limit']);
        refusals.push(['415', 'UNSUPPORTED_MEDIA_TYPE: the body is not of a media type the operation takes']);
      }
      for (const [status, description] of refusals) {
        operation.responses[status] ??= {
          description,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } },
        };
      }
      // Express answers a conditional GET whose ETag still matches with 304.
      if (method === 'get')
        operation.responses['304'] ??= { description: 'Not modified: the If-None-Match ETag still matches' };
      const isPage = Object.entries(operation.responses).some(
        ([status, answer]) =>
          status.startsWith('2') &&
          answer !== undefined &&
          'content' in answer &&
          'text/html' in (answer.content ?? {}),
      );
      for (const [status, listed] of Object.entries(operation.responses)) {
        // A page's shared error answer (`#/components/responses/…`) becomes its own, to say it is a page.
        const answer = isPage ? resolveResponse(document, listed) : listed;
        operation.responses[status] = answer;
        if (Number(status) < 400 || !answer || !('content' in answer) || !answer.content) continue;
        const errorMedia = Object.values(answer.content).find((media) => isErrorSchema(media.schema));
        if (!errorMedia) continue;
        // A page answers its errors as a page (the error page with the request id), others as JSON.
        answer.content = isPage
          ? { 'text/html': { schema: { type: 'string' } }, 'application/json': errorMedia }
          : { 'application/json': errorMedia };
      }
    }
  }
  addNullToNullableEnums(document);
  // A problem may carry what it is about beside field and message (an indicator code, a workbook's sheet,
  // row and column, a line of an import, a status, a retry delay): the detail object is open.
  const detail = document.components?.schemas?.ErrorDetailDto;
  if (detail && !('$ref' in detail)) {
    detail.additionalProperties = true;
    detail.description ??=
      'One problem: the field it concerns and a message, with what it is about where that helps (e.g. indicatorCode, line, sheet/row/column, status, retryAfterSeconds)';
  }
  return document;
}

/** A response given by reference to the document's shared responses, as a copy of its own. */
function resolveResponse(
  document: OpenAPIObject,
  answer: ResponseObject | ReferenceObject | undefined,
): ResponseObject | ReferenceObject | undefined {
  if (!answer || !('$ref' in answer)) return answer;
  const shared = document.components?.responses?.[answer.$ref.replace('#/components/responses/', '')];
  return shared ? structuredClone(shared) : answer;
}

function isErrorSchema(schema: unknown): boolean {
  return (
    typeof schema === 'object' &&
    schema !== null &&
    (schema as { $ref?: unknown }).$ref === '#/components/schemas/ErrorResponseDto'
  );
}

function addNullToNullableEnums(node: unknown): void {
  if (Array.isArray(node)) {
    for (const child of node) addNullToNullableEnums(child);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as { nullable?: unknown; enum?: unknown };
  if (schema.nullable === true && Array.isArray(schema.enum) && !schema.enum.includes(null)) {
    schema.enum = [...(schema.enum as unknown[]), null];
  }
  for (const child of Object.values(node)) addNullToNullableEnums(child);
}
