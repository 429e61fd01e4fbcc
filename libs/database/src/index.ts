export { buildDataSourceOptions } from './data-source-options';
export { openDatabaseConnection, type DatabaseConnection } from './database-connection';
export { isUniqueViolation } from './database.errors';
export { DatabaseModule } from './database.module';
export { DATABASE_CONNECTION } from './database.tokens';
export { EmbeddedPostgres } from './embedded-postgres';
export { IdempotencyRecordEntity } from './entities/idempotency-record.entity';
export { type IdempotencyClaim, IdempotencyStore } from './idempotency.store';
export { runPendingMigrations } from './run-migrations';
export { SnakeNamingStrategy } from './snake-naming.strategy';
export {
  DATABASE_RETRY_AFTER_SECONDS,
  DatabaseUnavailableError,
  isDatabaseUnavailable,
} from './database-unavailable';
