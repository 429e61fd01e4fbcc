import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { correctResponseSchemas } from './openapi-responses';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Client protection certification API')
    .setDescription(
      'System of record for client protection certification: institutions apply, certification bodies ' +
        'evaluate and decide, the secretariat publishes the registry. Errors always have the shape ' +
        '{ statusCode, code, message, details, requestId }.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return correctResponseSchemas(documentRateLimit(SwaggerModule.createDocument(app, config)));
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every route but the health probes is under the general rate limit: each documents its 429. */
function documentRateLimit(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    if (path.startsWith('/health')) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation || operation.responses['429']) continue;
      operation.responses['429'] = {
        description:
          'RATE_LIMITED: over RATE_LIMIT_PER_MINUTE for the caller (user, or client address); see Retry-After',
        headers: {
          'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
          'RateLimit-Limit': { description: 'Requests allowed in the window', schema: { type: 'integer' } },
          'RateLimit-Remaining': { description: 'Requests left in the window', schema: { type: 'integer' } },
          'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
        },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } },
      };
    }
  }
  return document;
}

/** Swagger UI at /api/docs, the document at /api/docs-json. */
export function mountOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
}
