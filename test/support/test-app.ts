import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import { type AppConfig, type EnvironmentSource, loadConfiguration } from '@app/config';
import { type DatabaseConnection, openDatabaseConnection } from '@app/database';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApiApplication } from '../../apps/api/src/api-application';
import { type OpenApiDocument, validateResponsesOf } from './response-validation';
import { createFileDatabase, dropDatabase, serverUrl, withDatabase } from './test-database';

export const ADMIN_EMAIL = 'root-admin@secretariat.test';
export const ADMIN_PASSWORD = 'root-admin-password-1';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  dataSource: DataSource;
  /** The file's own database: on the server, or the embedded in-memory one. */
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * The whole API on a fresh database of its own: a copy of the migrated template on the PostgreSQL
 * server when DATABASE_URL is set, an in-memory embedded PostgreSQL otherwise.
 */
export async function startTestApp(overrides: EnvironmentSource = {}): Promise<TestApp> {
  const server = serverUrl();
  const template = process.env.TEST_TEMPLATE_DATABASE;
  const database = server && template ? await createFileDatabase(server, template) : undefined;
  const workDirectory = mkdtempSync(join(tmpdir(), 'cpc-test-'));
  const config = loadConfiguration({
    ...process.env,
    DATABASE_URL: server && database ? withDatabase(server, database) : undefined,
    EMBEDDED_DATABASE_DIR: join(workDirectory, 'pgdata'),
    EVIDENCE_DIR: join(workDirectory, 'evidence'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    // High enough that no test but the rate limit's own is ever throttled; the counting still runs.
    RATE_LIMIT_PER_MINUTE: '100000',
    // The second factor is off unless a test turns it on.
    MFA_REQUIRED_ROLES: 'none',
    ...overrides,
  });
  let connection: DatabaseConnection | undefined;
  try {
    connection = await openDatabaseConnection(config.database, { inMemory: true });
    const { app } = await createApiApplication(config, connection);
    // Every answer is checked against the document the app serves.
    const served = await request(app.getHttpServer()).get('/api/docs-json');
    if (served.status !== 200) throw new Error(`GET /api/docs-json answered ${served.status}`);
    validateResponsesOf(app.getHttpServer(), served.body as OpenApiDocument);
    const openConnection = connection;
    return {
      app,
      config,
      dataSource: app.get<DataSource>(getDataSourceToken()),
      databaseUrl: openConnection.url,
      close: async () => {
        await app.close();
        await openConnection.close();
        if (server && database) await dropDatabase(server, database);
        rmSync(workDirectory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await connection?.close();
    if (server && database) await dropDatabase(server, database);
    throw error;
  }
}
