import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Relative imports: Jest's module name mapping does not apply to the global setup.
import { buildDataSourceOptions } from '../../libs/database/src/data-source-options';
import { MIGRATIONS } from '../../migrations';
import { DataSource } from 'typeorm';
import { RESPONSE_VALIDATION_DIR_VARIABLE } from './response-validation';
import { adminQuery, serverUrl, withDatabase } from './test-database';

/**
 * With DATABASE_URL: migrates one template database; every test file then copies it into its own
 * fresh database. Without: every test file starts its own in-memory embedded database.
 */
export default async function globalSetup(): Promise<void> {
  // The test files' response validation counts (see response-validation.ts), summed by the teardown.
  process.env[RESPONSE_VALIDATION_DIR_VARIABLE] = mkdtempSync(join(tmpdir(), 'cpc-response-validation-'));
  const url = serverUrl();
  if (!url) return;
  const template = `cpc_template_${randomBytes(4).toString('hex')}`;
  await adminQuery(url, `CREATE DATABASE "${template}"`);
  const dataSource = new DataSource(
    buildDataSourceOptions(
      {
        url: withDatabase(url, template),
        isEmbedded: false,
        poolSize: 2,
        connectTimeoutMs: 10000,
        close: () => Promise.resolve(),
      },
      [],
      MIGRATIONS,
    ),
  );
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  process.env.TEST_TEMPLATE_DATABASE = template;
}
