import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '@app/config';
import type { DatabaseConnection } from '@app/database';
import { Logger } from 'nestjs-pino';
import { ApiModule } from './api.module';
import { jsonBodyGuard } from './http/json-body-guard';
import { requestDeadline } from './http/request-deadline';
import { requestIdMiddleware } from './http/request-id';
import { installRequestSizeLimits, requestSizeLimits } from './http/request-size-limits';
import { securityHeaders } from './http/security-headers';
import { mountOpenApi } from './openapi';
import { DemoSeeder, type DemoCredentials } from './operations/demo-seeder';
import { StartupService } from './operations/startup.service';

export const JSON_BODY_LIMIT = '5mb';

export interface ApiApplicationOptions {
  seedDemo?: boolean;
}

export interface ApiApplication {
  app: NestExpressApplication;
  demo?: DemoCredentials;
}

/** Builds the API on a database connection: middleware, docs, migrations, catalog, first admin. */
export async function createApiApplication(
  config: AppConfig,
  connection: DatabaseConnection,
  options: ApiApplicationOptions = {},
): Promise<ApiApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config, connection), {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxy);
  installRequestSizeLimits(app.getHttpServer());
  app.use(requestIdMiddleware);
  app.use(securityHeaders(config.http));
  app.use(requestSizeLimits);
  app.use(requestDeadline);
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.use(jsonBodyGuard);
  mountOpenApi(app, { publicBaseUrl: config.http.publicBaseUrl, environment: config.environment });
  await app.init();
  await app.get(StartupService).prepare();
  const demo = options.seedDemo ? await app.get(DemoSeeder).seed() : undefined;
  return { app, demo };
}
