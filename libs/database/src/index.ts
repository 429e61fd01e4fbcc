export { buildDataSourceOptions } from './data-source-options';
export { openDatabaseConnection, type DatabaseConnection } from './database-connection';
export { DatabaseNotifications, type NotificationSubscriber } from './database-notifications';
export {
  isStatementChecksFailed,
  isTransientConflict,
  isUniqueViolation,
  sqlStateOf,
  STATEMENT_CHECKS_FAILED,
} from './database.errors';
export { DatabaseModule } from './database.module';
export { DATABASE_CONNECTION } from './database.tokens';
export { EmbeddedPostgres } from './embedded-postgres';
export { IdempotencyRecordEntity } from './entities/idempotency-record.entity';
export {
  IDEMPOTENCY_LEASE_RENEW_MS,
  IDEMPOTENCY_LEASE_SECONDS,
  type IdempotencyClaim,
  IdempotencyStore,
} from './idempotency.store';
export { JOB_SCHEMA, JobQueue, type JobQueueStartOptions, pgBossExecutor } from './job-queue';
export { type FailureBackOff, RateCounterStore, type WindowCount } from './rate-counter.store';
export { runPendingMigrations } from './run-migrations';
export { SnakeNamingStrategy } from './snake-naming.strategy';
export { runUseCaseTransaction, type TransactionRetryOptions } from './use-case-transaction';
export {
  DATABASE_RETRY_AFTER_SECONDS,
  DatabaseUnavailableError,
  isDatabaseUnavailable,
} from './database-unavailable';
export { PreparedQueries } from './prepared-queries';
export { ClearOnCommitSubscriber } from './clear-on-commit.subscriber';
