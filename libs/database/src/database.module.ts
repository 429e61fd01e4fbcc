import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions, type MixedList } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';
import type { DatabaseConnection } from './database-connection';
import { DatabaseNotifications } from './database-notifications';
import { DATABASE_CONNECTION } from './database.tokens';
import { IdempotencyRecordEntity } from './entities/idempotency-record.entity';
import { IdempotencyStore } from './idempotency.store';
import { JobQueue } from './job-queue';
import { PreparedQueries } from './prepared-queries';
import { RateCounterStore } from './rate-counter.store';
import { runPendingMigrations } from './run-migrations';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration lists
type MigrationList = MixedList<Function | string>;

/**
 * TypeORM on the given connection. Entities come from each lib's `TypeOrmModule.forFeature`; pending
 * migrations are applied before the first query is served (schema synchronisation is never used).
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(connection: DatabaseConnection, migrations: MigrationList): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...buildDataSourceOptions(connection, [], migrations),
            autoLoadEntities: true,
            retryAttempts: 3,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (options?: DataSourceOptions) => {
            if (!options) throw new Error('Missing data source options');
            const dataSource = await new DataSource(options).initialize();
            await runPendingMigrations(dataSource, connection.isEmbedded);
            return dataSource;
          },
        }),
        TypeOrmModule.forFeature([IdempotencyRecordEntity]),
      ],
      providers: [
        { provide: DATABASE_CONNECTION, useValue: connection },
        DatabaseNotifications,
        IdempotencyStore,
        RateCounterStore,
        JobQueue,
        PreparedQueries,
      ],
      exports: [
        DATABASE_CONNECTION,
        DatabaseNotifications,
        IdempotencyStore,
        RateCounterStore,
        JobQueue,
        PreparedQueries,
      ],
    };
  }
}
