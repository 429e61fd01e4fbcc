import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { completeOpenApiDocument, type OpenApiContractOptions } from './http/openapi-contract';
import { correctResponseSchemas } from './openapi-responses';

/**
 * The document's version (see README, "API versioning"): the major moves with every breaking change,
 * the minor with every addition, the patch with corrections of the document alone.
 */
export const API_DOCUMENT_VERSION = '1.0.0';

export function buildOpenApiDocument(app: INestApplication, options: OpenApiContractOptions): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Client protection certification API')
    .setDescription(
      'System of record for client protection certification: institutions apply, certification bodies ' +
        'evaluate and decide, the secretariat publishes the registry. Errors always have the shape ' +
        '{ statusCode, code, message, details, requestId }.',
    )
    .setVersion(API_DOCUMENT_VERSION)
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        'Access token from POST /api/v1/auth/login: a JWS signed with HS256 only (the algorithm is pinned, ' +
        '"none" and others are refused), short-lived, renewed through POST /api/v1/auth/refresh; handled ' +
        'as RFC8725 (JSON Web Token Best Current Practices) recommends.',
    })
    .build();
  // The answers' corrections first, so that the contract's rate-limit headers reach every answer they add.
  return completeOpenApiDocument(
    app,
    correctResponseSchemas(documentRequestContent(SwaggerModule.createDocument(app, config))),
    options,
  );
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The extension an operation declares (`@ApiExtension`) when each media type of its body has its own schema. */
export const REQUEST_CONTENT_EXTENSION = 'x-request-content';

/**
 * An operation taking one body in several media types (a JSON document or a multipart workbook): Nest's
 * explorer gives every media type the same schema, so the operation declares each one's in
 * `x-request-content`, which becomes its request body's content here.
 */
function documentRequestContent(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as (typeof item)[typeof method] & Record<string, unknown>;
      const content = operation?.[REQUEST_CONTENT_EXTENSION] as Record<string, object> | undefined;
      if (!operation || !content) continue;
      const body = (operation.requestBody ?? {}) as { description?: string; required?: boolean };
      operation.requestBody = { description: body.description, required: true, content };
      delete operation[REQUEST_CONTENT_EXTENSION];
    }
  }
  return document;
}

/** Swagger UI at /api/docs, the document at /api/docs-json. */
export function mountOpenApi(app: INestApplication, options: OpenApiContractOptions): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app, options), {
    jsonDocumentUrl: 'api/docs-json',
  });
}
