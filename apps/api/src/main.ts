import { runProcess } from '@app/common';
import { type AppConfig, loadConfigurationOrExit, readProcessEnvironment } from '@app/config';
import { openDatabaseConnection } from '@app/database';
import { createApiApplication } from './api-application';
import { UPLOAD_REQUEST_TIMEOUT_MS } from './http/request-deadline';
import { DemoJourney } from './operations/demo-journey';
import type { DemoCredentials } from './operations/demo-seeder';

function printBanner(
  config: AppConfig,
  port: number,
  readyInMs: number,
  demo?: DemoCredentials & { certificateNumber?: string },
): void {
  const base = `http://localhost:${port}`;
  const lines = [
    '',
    `Client protection certification API ready in ${readyInMs} ms`,
    `  API          ${base}/api/v1`,
    `  Swagger UI   ${base}/api/docs   (OpenAPI: ${base}/api/docs-json)`,
    `  Health       ${base}/health/ready`,
    `  Registry     ${base}/registry   (JSON: ${base}/api/v1/registry)`,
    `  Database     ${config.database.isEmbedded ? `embedded PGlite in ${config.database.embeddedDirectory}` : 'DATABASE_URL'}`,
    `  Evidence     ${config.storage.s3 ? `S3 bucket ${config.storage.s3.bucket}` : `local disk in ${config.storage.localDirectory}`}`,
  ];
  if (demo) {
    lines.push('', `Demo accounts (password for all: ${demo.password})`);
    for (const account of demo.accounts) {
      lines.push(`  ${account.role.padEnd(20)} ${account.email.padEnd(28)} ${account.organization}`);
    }
    if (demo.certificateNumber) {
      const number = demo.certificateNumber;
      lines.push(
        '',
        `Demo certificate ${number}: ${base}/registry/${number}`,
        `  PDF (signed in as admin@sahel.demo)  ${base}/api/v1/certificates/${number}/pdf?lang=fr`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

runProcess('API', async () => {
  const seedDemo = process.argv.includes('--seed-demo');
  // The demo's users sign in with a password only, unless MFA_REQUIRED_ROLES says otherwise.
  const config = loadConfigurationOrExit(
    seedDemo ? { MFA_REQUIRED_ROLES: 'none', ...readProcessEnvironment() } : readProcessEnvironment(),
  );
  const connection = await openDatabaseConnection(config.database);
  const { app, demo } = await createApiApplication(config, connection, {
    seedDemo,
  });
  // The upload deadline; every other route is held to REQUEST_TIMEOUT_MS by the requestDeadline middleware.
  app.getHttpServer().requestTimeout = UPLOAD_REQUEST_TIMEOUT_MS;
  await app.listen(config.http.port);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const readyInMs = Math.round(process.uptime() * 1000);
  // The demo certification is played through the API itself, as the demo users would; the API keeps
  // serving if it fails.
  const certificateNumber = demo
    ? await new DemoJourney(`http://127.0.0.1:${port}`).play().catch((error: unknown) => {
        process.stderr.write(`The demo certification could not be played: ${String(error)}\n`);
        return undefined;
      })
    : undefined;
  printBanner(config, port, readyInMs, demo && { ...demo, certificateNumber });
  return async () => {
    await app.close();
    await connection.close();
  };
});
