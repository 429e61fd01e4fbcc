import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { ConfigurationError, loadConfiguration } from '@app/config';
import { openDatabaseConnection } from '@app/database';
import type { DataSource } from 'typeorm';
import { ApiModule } from './api.module';
import { DemoSeeder } from './operations/demo-seeder';
import { StartupService } from './operations/startup.service';

const USAGE = `Usage: cli <command>
  migration:run              apply pending migrations
  migration:revert           revert the last applied migration
  migration:generate <Name>  write migrations/<timestamp>-<Name>.ts from the difference between entities and schema
  seed-demo                  load the catalog and the demo organizations and users, print the credentials
  audit:verify               verify the audit hash chain; exits 1 when it is broken`;

function renderMigration(name: string, timestamp: number, up: string[], down: string[]): string {
  const statement = (query: string): string => `    await queryRunner.query(${JSON.stringify(query)});`;
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  async up(queryRunner: QueryRunner): Promise<void> {
${up.map(statement).join('\n')}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${down.map(statement).join('\n')}
  }
}
`;
}

async function generateMigration(dataSource: DataSource, name: string | undefined): Promise<number> {
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    process.stderr.write('migration:generate needs a PascalCase name, e.g. AddEvidenceTables\n');
    return 2;
  }
  const sql = await dataSource.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) {
    process.stdout.write('The schema matches the entities; no migration written\n');
    return 0;
  }
  const timestamp = Date.now();
  const file = `${timestamp}-${name}`;
  writeFileSync(
    join(process.cwd(), 'migrations', `${file}.ts`),
    renderMigration(
      name,
      timestamp,
      sql.upQueries.map((query) => query.query),
      sql.downQueries.reverse().map((query) => query.query),
    ),
  );
  const indexFile = join(process.cwd(), 'migrations', 'index.ts');
  const index = readFileSync(indexFile, 'utf8')
    .replace(/((?:^import [^\n]*\n)+)/m, `$1import { ${name}${timestamp} } from './${file}';\n`)
    .replace(/export const MIGRATIONS = \[([^]*?)\];/, (_, list: string) => {
      const entries = list
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      return `export const MIGRATIONS = [${[...entries, `${name}${timestamp}`].join(', ')}];`;
    });
  writeFileSync(indexFile, index);
  process.stdout.write(`Wrote migrations/${file}.ts; review it before committing\n`);
  return 0;
}

async function run(command: string | undefined, argument: string | undefined): Promise<number> {
  if (
    !command ||
    !['migration:run', 'migration:revert', 'migration:generate', 'seed-demo', 'audit:verify'].includes(
      command,
    )
  ) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfiguration();
  const connection = await openDatabaseConnection(config.database);
  // Creating the context applies pending migrations (migration:run is that alone).
  const context = await NestFactory.createApplicationContext(ApiModule.forRoot(config, connection), {
    logger: ['error', 'warn'],
  });
  try {
    const dataSource = context.get<DataSource>(getDataSourceToken());
    switch (command) {
      case 'migration:run':
        process.stdout.write('Migrations are up to date\n');
        return 0;
      case 'migration:revert':
        await dataSource.undoLastMigration({ transaction: 'each' });
        process.stdout.write('Reverted the last migration\n');
        return 0;
      case 'migration:generate':
        return await generateMigration(dataSource, argument);
      case 'seed-demo': {
        await context.get(StartupService).prepare();
        const demo = await context.get(DemoSeeder).seed();
        process.stdout.write(`Demo accounts (password for all: ${demo.password})\n`);
        for (const account of demo.accounts)
          process.stdout.write(`  ${account.role.padEnd(20)} ${account.email}\n`);
        return 0;
      }
      case 'audit:verify': {
        const result = await context.get(AuditService).verifyChain();
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return result.valid ? 0 : 1;
      }
      default:
        return 2;
    }
  } finally {
    await context.close();
    await connection.close();
  }
}

run(process.argv[2], process.argv[3])
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(
      error instanceof ConfigurationError
        ? `${error.message}\n`
        : `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
