import type { DataSourceOptions, MixedList } from 'typeorm';
import type { DatabaseConnection } from './database-connection';
import { SnakeNamingStrategy } from './snake-naming.strategy';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity and migration lists
type ClassList = MixedList<Function | string>;

export function buildDataSourceOptions(
  connection: DatabaseConnection,
  entities: ClassList,
  migrations: ClassList,
): DataSourceOptions {
  return {
    type: 'postgres',
    url: connection.url,
    entities,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsRun: false,
    synchronize: false,
    // PGlite has no uuid-ossp; gen_random_uuid() is built into PostgreSQL 13 and later.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: {
      max: connection.poolSize,
      connectionTimeoutMillis: connection.connectTimeoutMs,
      idleTimeoutMillis: 30000,
      application_name: 'cp-certification',
      // Sent in each connection's startup packet, so every session has them from its first statement
      // (0 is PostgreSQL's "no limit"). Migrations lift them on their own connection.
      ...(connection.timeouts
        ? {
            statement_timeout: connection.timeouts.statementTimeoutMs,
            lock_timeout: connection.timeouts.lockTimeoutMs,
            idle_in_transaction_session_timeout: connection.timeouts.idleInTransactionTimeoutMs,
          }
        : {}),
    },
  };
}
