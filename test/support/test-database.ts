import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server of the test run (DATABASE_URL), or undefined for the embedded database. */
export function serverUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  return url && url.trim() !== '' ? url : undefined;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates a fresh database for one test file from the migrated template made by the global setup. */
export async function createFileDatabase(url: string, template: string): Promise<string> {
  const name = `cpc_test_${randomBytes(6).toString('hex')}`;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await adminQuery(url, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return name;
    } catch (error) {
      // Another test file may be copying the template at this very moment.
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  await adminQuery(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
