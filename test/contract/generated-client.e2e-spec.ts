import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ApiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import type { Session } from '../support/api-client';

const run = promisify(execFile);
const CLIENT = resolve(__dirname, 'journey-client.ts');

/**
 * The journey client imports the generated types, which exist only while this file runs: it is loaded
 * by path, so that the main type-check (tsconfig.json leaves it out) does not follow the import into it.
 * tsc checks it below with the generated types, and its result's shape is checked by the expectations.
 */
interface JourneyModule {
  walkJourney(input: {
    baseUrl: string;
    people: Record<string, string | { token: string; userId: string }>;
    editionId: string;
    certifierId: string;
    missionStartsOn: string;
    missionEndsOn: string;
  }): Promise<{
    statuses: string[];
    deadlinesWhenSubmitted: Record<string, unknown>;
    decided: { outcome: unknown };
    certificateNumber: string;
    verification: Record<string, unknown>;
  }>;
}
const member = (session: Session) => ({ token: session.accessToken, userId: session.userId });
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Issue 17, a generated client in the loop: TypeScript types are generated from the document the API
 * serves (openapi-typescript), the journey client (journey-client.ts, openapi-fetch) is type-checked
 * against them with tsc, then walks apply → onsite → decide → publish → verify against the API.
 */
describe('a client generated from the served OpenAPI document', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let baseUrl: string;
  let workDirectory: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    await testApp.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(testApp.app.getHttpServer().address() as AddressInfo).port}`;
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    workDirectory = mkdtempSync(join(tmpdir(), 'cpc-generated-client-'));
  });

  afterAll(async () => {
    await testApp?.close();
    if (workDirectory) rmSync(workDirectory, { recursive: true, force: true });
  });

  it('generates the types from /api/docs-json with openapi-typescript', async () => {
    const served = await fetch(`${baseUrl}/api/docs-json`);
    expect(served.status).toBe(200);
    writeFileSync(join(workDirectory, 'openapi.json'), await served.text());
    // Its command line, as a client's build would run it (its CommonJS build loads ES modules, which
    // Jest's module system does not).
    const cli = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin', 'cli.js');
    await run(process.execPath, [
      cli,
      join(workDirectory, 'openapi.json'),
      '--output',
      join(workDirectory, 'openapi-types.ts'),
    ]);
    const types = readFileSync(join(workDirectory, 'openapi-types.ts'), 'utf8');
    expect(types).toContain('"/api/v1/cases/{caseId}/transitions"');
  }, 300000);

  it('type-checks the journey client against the generated types', async () => {
    writeFileSync(
      join(workDirectory, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          noUnusedLocals: true,
          module: 'commonjs',
          moduleResolution: 'node',
          target: 'ES2022',
          lib: ['ES2022', 'DOM'],
          types: [],
          skipLibCheck: true,
          esModuleInterop: true,
          baseUrl: workDirectory,
          paths: { '@generated/openapi': ['./openapi-types.ts'] },
        },
        files: [CLIENT],
      }),
    );
    const tsc = require.resolve('typescript/bin/tsc');
    const output = await run(process.execPath, [tsc, '-p', join(workDirectory, 'tsconfig.json')]).then(
      ({ stdout }) => stdout,
      (error: { stdout?: string; message: string }) => error.stdout || error.message,
    );
    expect(output.trim()).toBe('');
  }, 300000);

  it('walks apply → onsite → decide → publish → verify through the typed client', async () => {
    const { sessions } = world;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { walkJourney } = require(CLIENT) as JourneyModule;
    const result = await walkJourney({
      baseUrl,
      people: {
        institutionAdmin: sessions.institution_admin.accessToken,
        certifierAdmin: sessions.certifier_admin.accessToken,
        rater: member(sessions.rater),
        committeeMember: member(sessions.committee_member),
        secretariatOfficer: sessions.secretariat_officer.accessToken,
      },
      editionId: world.openEditionId,
      certifierId: world.certifierId,
      missionStartsOn: '2026-12-07',
      missionEndsOn: '2026-12-11',
    });
    expect(result.statuses).toEqual([
      'draft',
      'submitted',
      'desk_review',
      'onsite',
      'findings_issued',
      'committee_review',
      'decided',
      'decided',
      'closed',
    ]);
    expect(result.deadlinesWhenSubmitted.acceptanceDueOn).toMatch(DATE);
    expect(result.decided.outcome).toBe('certified');
    expect(result.verification).toMatchObject({
      certificateNumber: result.certificateNumber,
      status: 'active',
      valid: true,
    });
  });
});
