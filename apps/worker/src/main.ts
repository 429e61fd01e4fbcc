import { NestFactory } from '@nestjs/core';
import { runProcess } from '@app/common';
import { loadConfigurationOrExit } from '@app/config';
import { openDatabaseConnection } from '@app/database';
import { Logger } from 'nestjs-pino';
import { JobScheduler } from './job-scheduler';
import { WorkerModule } from './worker.module';

runProcess('worker', async () => {
  const config = loadConfigurationOrExit();
  const connection = await openDatabaseConnection(config.database);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, connection), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  await app.get(JobScheduler).start();
  process.stdout.write(
    `Worker started (${config.database.isEmbedded ? 'embedded database' : 'DATABASE_URL'})\n`,
  );
  return async () => {
    await app.close();
    await connection.close();
  };
});
