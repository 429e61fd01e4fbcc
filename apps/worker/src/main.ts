import { NestFactory } from '@nestjs/core';
import { type AppConfig, ConfigurationError, loadConfiguration } from '@app/config';
import { openDatabaseConnection } from '@app/database';
import { Logger } from 'nestjs-pino';
import { JobScheduler } from './job-scheduler';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfiguration();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const connection = await openDatabaseConnection(config.database);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, connection), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.get(JobScheduler).start();
  process.stdout.write(
    `Worker started (${config.database.isEmbedded ? 'embedded database' : 'DATABASE_URL'})\n`,
  );

  let isStopping = false;
  const stop = (signal: string): void => {
    if (isStopping) return;
    isStopping = true;
    process.stdout.write(`${signal} received, stopping the worker\n`);
    void app
      .close()
      .then(() => connection.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        process.stderr.write(`Shutdown failed: ${String(error)}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Worker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
