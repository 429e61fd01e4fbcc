export { buildDataSourceOptions } from './data-source-options';
export { openDatabaseConnection, type DatabaseConnection } from './database-connection';
export { isUniqueViolation } from './database.errors';
export { DatabaseModule } from './database.module';
export { DATABASE_CONNECTION } from './database.tokens';
export { EmbeddedPostgres } from './embedded-postgres';
export { runPendingMigrations } from './run-migrations';
export { SnakeNamingStrategy } from './snake-naming.strategy';
