import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { parse } from 'yaml';
import { Environment, loadConfiguration } from '@app/config';

const ROOT = resolve(__dirname, '../..');
const DOCKER_DIR = join(ROOT, 'docker');
const ENTRYPOINT = join(DOCKER_DIR, 'entrypoint.sh');

/** The variables API.md ("Configuration that deployments rely on") names as the deployment contract. */
const CONTRACT_VARIABLES = [
  'PORT',
  'DATABASE_URL',
  'S3_BUCKET',
  'S3_ENDPOINT',
  'S3_REGION',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
  'S3_FORCE_PATH_STYLE',
  'EVIDENCE_MAX_BYTES',
  'CHROMIUM_PATH',
  'ADMIN_EMAIL',
  'ADMIN_PASSWORD',
  'PUBLIC_BASE_URL',
];

type EnvironmentValue = string | number | boolean | null;

interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; target?: string };
  environment?: Record<string, EnvironmentValue> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string };
  ports?: string[];
  volumes?: string[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

interface DockerfileStage {
  base: string;
  name?: string;
  instructions: string[];
}

function readCompose(): ComposeFile {
  return parse(readFileSync(join(DOCKER_DIR, 'compose.yaml'), 'utf8')) as ComposeFile;
}

/** Dockerfile instructions with line continuations joined and comments dropped, grouped per FROM. */
function readDockerfileStages(): DockerfileStage[] {
  const text = readFileSync(join(DOCKER_DIR, 'Dockerfile'), 'utf8');
  const lines = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const stages: DockerfileStage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?\s*$/i.exec(line);
    if (from) stages.push({ base: from[1], name: from[2], instructions: [] });
    else if (stages.length > 0) stages[stages.length - 1].instructions.push(line);
  }
  return stages;
}

/** A stage's instructions together with those it inherits from the stages it is built FROM. */
function inheritedInstructions(stages: DockerfileStage[], name: string): string[] {
  const stage = stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`no stage ${name}`);
  const parent = stages.find((candidate) => candidate.name === stage.base);
  return [...(parent ? inheritedInstructions(stages, stage.base) : []), ...stage.instructions];
}

/** The last value an instruction (ENTRYPOINT, CMD, ...) has in a stage, following inheritance. */
function lastInstruction(stages: DockerfileStage[], name: string, keyword: string): string | undefined {
  const pattern = new RegExp(`^${keyword}\\s+(.*)$`, 'i');
  return inheritedInstructions(stages, name)
    .map((instruction) => pattern.exec(instruction)?.[1])
    .filter((value): value is string => value !== undefined)
    .pop();
}

function environmentOf(service: ComposeService): Record<string, string> {
  const raw = service.environment ?? {};
  const entries: [string, string][] = Array.isArray(raw)
    ? raw.map((entry): [string, string] => {
        const index = entry.indexOf('=');
        return index < 0 ? [entry, ''] : [entry.slice(0, index), entry.slice(index + 1)];
      })
    : Object.entries(raw).map(([key, value]): [string, string] => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(entries);
}

/** A plausible value of 48 characters for a variable compose requires from the shell (`${NAME:?message}`). */
function requiredTestValue(name: string): string {
  return `${name.toLowerCase().replace(/_/g, '-')}-test-value-`.padEnd(48, 'x').slice(0, 48);
}

/** Compose interpolation as `docker compose` applies it to a shell that sets only the required variables. */
function interpolate(value: string): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[?-])([^}]*))?\}/g,
    (match, name: string | undefined, operator: string | undefined, argument: string | undefined) => {
      if (match === '$$') return '$';
      if (operator === ':?' || operator === '?') return requiredTestValue(name as string);
      if (operator === ':-' || operator === '-') return argument ?? '';
      return '';
    },
  );
}

function interpolatedEnvironment(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environmentOf(service)).map(([key, value]) => [key, interpolate(value)]),
  );
}

function dependencies(service: ComposeService): Record<string, string | undefined> {
  const raw = service.depends_on ?? {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(raw).map(([name, options]) => [name, options?.condition]));
}

/** Every variable the Environment class declares, including optional ones without an initialiser. */
function environmentVariableNames(): Set<string> {
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(Environment, '', true, false)
    .map((metadata) => metadata.propertyName);
  return new Set([...validated, ...Object.keys(new Environment())]);
}

describe('docker deployment', () => {
  const compose = readCompose();
  const stages = readDockerfileStages();
  const appServices = ['api', 'worker'] as const;

  it('defines the postgres, s3, api and worker services in docker/compose.yaml', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['postgres', 's3', 'api', 'worker']),
    );
    expect(compose.services.postgres.image).toMatch(/^postgres:16/);
    expect(JSON.stringify(compose.services.postgres.healthcheck?.test)).toContain('pg_isready');
  });

  it('runs two API instances of the api image behind an nginx proxy that spreads requests over both', () => {
    const { api, worker, proxy } = compose.services;
    const second = compose.services['api-2'];
    expect(second.build).toEqual(api.build);
    expect(environmentOf(second)).toEqual(environmentOf(api));
    expect(second.depends_on).toEqual(api.depends_on);
    expect(worker.build?.target).toBe('worker');
    // Only the proxy publishes a port; the instances are reached through it.
    expect([api.ports, second.ports, proxy.ports]).toEqual([undefined, undefined, ['3000:80']]);
    expect(proxy.image).toMatch(/^nginx:\d/);
    expect(proxy.volumes).toEqual(['./nginx.conf:/etc/nginx/conf.d/default.conf:ro']);
    expect(proxy.depends_on).toEqual({
      api: { condition: 'service_healthy' },
      'api-2': { condition: 'service_healthy' },
    });
    const nginx = readFileSync(join(DOCKER_DIR, 'nginx.conf'), 'utf8');
    const upstream = /upstream\s+(\S+)\s*\{([^}]*)\}/.exec(nginx);
    expect(upstream).not.toBeNull();
    const servers = [...(upstream?.[2] ?? '').matchAll(/^\s*server\s+([^\s;]+)/gm)].map((match) => match[1]);
    expect(servers).toEqual(['api:3000', 'api-2:3000']);
    expect(nginx).toMatch(new RegExp(`proxy_pass\\s+http://${upstream?.[1]};`));
    expect(nginx).toMatch(/listen\s+80;/);
    // The client address behind the proxy: the API believes X-Forwarded-For from the compose network.
    expect(nginx).toMatch(/proxy_set_header\s+X-Forwarded-For\s+\$proxy_add_x_forwarded_for;/);
    expect(loadConfiguration(interpolatedEnvironment(api)).http.trustProxy).toBe('uniquelocal');
  });

  it('builds api (Chromium-free, api-slim) and worker from docker/Dockerfile with targets that exist as stages', () => {
    const stageNames = stages.map((stage) => stage.name);
    const targets = { api: 'api-slim', worker: 'worker' } as const;
    for (const name of appServices) {
      const build = compose.services[name].build;
      expect(build?.dockerfile).toBe('docker/Dockerfile');
      expect(resolve(DOCKER_DIR, build?.context ?? '.')).toBe(ROOT);
      expect(build?.target).toBe(targets[name]);
      expect(stageNames).toContain(targets[name]);
    }
    expect(compose.services['api-2'].build?.target).toBe('api-slim');
  });

  it('renders PDFs in the worker: the API images of compose carry no Chromium, the worker image does', () => {
    const config = loadConfiguration(interpolatedEnvironment(compose.services.api));
    expect(config.documents.rendering).toBe('worker');
    const slim = inheritedInstructions(stages, 'api-slim').join('\n');
    expect(slim).not.toMatch(/\bchromium\b/);
    expect(inheritedInstructions(stages, 'worker').join('\n')).toMatch(
      /apt-get install[^\n]*--no-install-recommends[^\n]*\bchromium\b/,
    );
    for (const name of ['api-slim', 'api']) {
      expect(lastInstruction(stages, name, 'ENTRYPOINT')).toBe('["/app/docker/entrypoint.sh"]');
      expect(lastInstruction(stages, name, 'CMD')).toBe('["api"]');
      expect(lastInstruction(stages, name, 'USER')).toMatch(/^(?!root\b|0\b)\S+/);
      expect(lastInstruction(stages, name, 'HEALTHCHECK')).toContain('/health/live');
    }
  });

  it('bases every external Dockerfile stage on node:24-bookworm-slim (the current LTS) and installs with npm ci', () => {
    const names = new Set(stages.map((stage) => stage.name));
    const external = stages.filter((stage) => !names.has(stage.base)).map((stage) => stage.base);
    expect(external.length).toBeGreaterThan(0);
    expect(new Set(external)).toEqual(new Set(['node:24-bookworm-slim']));
    const runs = stages.flatMap((stage) => stage.instructions).filter((line) => /^RUN\s/i.test(line));
    expect(runs.some((line) => /\bnpm ci\b/.test(line))).toBe(true);
    expect(runs.filter((line) => /\bnpm install\b/.test(line))).toEqual([]);
  });

  it('declares the Node versions the image and CI run on in engines, and .ci/run installs with npm ci', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toBe('^20.19 || ^22 || ^24');
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    expect(ci).toMatch(/^npm ci && npm test$/m);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('\nnpm ci && npm test\n');
    expect(ci).toMatch(/^npm run test:node24$/m);
  });

  it('copies only paths that exist in the repository into the image', () => {
    const copies = stages
      .flatMap((stage) => stage.instructions)
      .filter((instruction) => /^COPY\s/i.test(instruction) && !/--from=/i.test(instruction));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const words = copy
        .split(/\s+/)
        .slice(1)
        .filter((word) => !word.startsWith('--'));
      for (const source of words.slice(0, -1))
        expect([source, existsSync(join(ROOT, source))]).toEqual([source, true]);
    }
  });

  it('installs chromium with its fonts and runs api and worker through docker/entrypoint.sh as a non-root user', () => {
    const runtime = inheritedInstructions(stages, 'api').join('\n');
    expect(runtime).toMatch(/apt-get install[^\n]*--no-install-recommends[^\n]*\bchromium\b/);
    expect(runtime).toMatch(/apt-get install[^\n]*fonts-liberation[^\n]*/);
    expect(runtime).toMatch(/apt-get install[^\n]*fonts-noto-core/);
    expect(runtime).toMatch(/rm -rf \/var\/lib\/apt\/lists/);
    expect(runtime).toMatch(/CHROMIUM_PATH=\/usr\/bin\/chromium/);
    expect(runtime).toMatch(/^COPY\s+docker\/entrypoint\.sh\s/m);

    for (const name of appServices) {
      expect(lastInstruction(stages, name, 'ENTRYPOINT')).toBe('["/app/docker/entrypoint.sh"]');
      expect(lastInstruction(stages, name, 'CMD')).toBe(`["${name}"]`);
      expect(lastInstruction(stages, name, 'WORKDIR')).toBe('/app');
      expect(lastInstruction(stages, name, 'USER')).toMatch(/^(?!root\b|0\b)\S+/);
    }
    expect(lastInstruction(stages, 'api', 'EXPOSE')).toBe('3000');
    expect(lastInstruction(stages, 'api', 'HEALTHCHECK')).toContain('/health/live');
  });

  it('gives api and worker the same environment, made only of variables of the Environment class', () => {
    const known = environmentVariableNames();
    expect(known.has('DATABASE_URL')).toBe(true); // optional, no initialiser: only the metadata lists it
    for (const name of appServices) {
      const keys = Object.keys(environmentOf(compose.services[name]));
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((key) => !known.has(key))).toEqual([]);
    }
    expect(environmentOf(compose.services.worker)).toEqual(environmentOf(compose.services.api));
  });

  it('sets every deployment contract variable of API.md for the api service', () => {
    const environment = interpolatedEnvironment(compose.services.api);
    const missing = CONTRACT_VARIABLES.filter((name) => !environment[name]);
    expect(missing).toEqual([]);
    expect(environment).toEqual(
      expect.objectContaining({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://cpc:cpc@postgres:5432/cpc',
        S3_ENDPOINT: 'http://s3:9000',
        S3_FORCE_PATH_STYLE: 'true',
        CHROMIUM_PATH: '/usr/bin/chromium',
      }),
    );
  });

  it('requires secrets from the shell instead of shipping defaults', () => {
    const raw = environmentOf(compose.services.api);
    for (const secret of ['ADMIN_PASSWORD', 'JWT_SECRET', 'S3_SECRET_ACCESS_KEY']) {
      expect([secret, raw[secret]]).toEqual([
        secret,
        expect.stringMatching(new RegExp(`^\\$\\{${secret}:\\?[^}]+\\}$`)),
      ]);
    }
  });

  it('gives api an environment that loadConfiguration accepts once interpolated', () => {
    const environment = interpolatedEnvironment(compose.services.api);
    const config = loadConfiguration(environment);
    expect(config.environment).toBe('production');
    expect(config.auth.jwtSecret).toBe(environment.JWT_SECRET);
    expect(config.http.port).toBe(3000);
    expect(config.database.isEmbedded).toBe(false);
    expect(config.storage.s3).toEqual(
      expect.objectContaining({
        bucket: environment.S3_BUCKET,
        endpoint: 'http://s3:9000',
        forcePathStyle: true,
      }),
    );
    expect(config.documents.chromiumPath).toBe('/usr/bin/chromium');
    expect(config.bootstrap.adminEmail).toBe(environment.ADMIN_EMAIL.toLowerCase());
    // SMTP_URL and MAIL_FROM pass through from the shell; left unset they are blank: no e-mail.
    expect([environment.SMTP_URL, environment.MAIL_FROM]).toEqual(['', '']);
    expect(config.mail.smtp).toBeUndefined();
  });

  it('points api and worker at the postgres and s3 services with matching credentials and bucket', () => {
    const api = interpolatedEnvironment(compose.services.api);
    const postgres = interpolatedEnvironment(compose.services.postgres);
    const s3 = interpolatedEnvironment(compose.services.s3);
    const s3Init = interpolatedEnvironment(compose.services['s3-init']);
    const url = new URL(api.DATABASE_URL);
    expect([url.hostname, url.username, url.password, url.pathname]).toEqual([
      'postgres',
      postgres.POSTGRES_USER,
      postgres.POSTGRES_PASSWORD,
      `/${postgres.POSTGRES_DB}`,
    ]);
    expect([s3.MINIO_ROOT_USER, s3.MINIO_ROOT_PASSWORD]).toEqual([
      api.S3_ACCESS_KEY_ID,
      api.S3_SECRET_ACCESS_KEY,
    ]);
    expect(s3Init.S3_BUCKET).toBe(api.S3_BUCKET);
    expect(JSON.stringify(compose.services.s3)).toContain('server /data');
    expect(JSON.stringify(compose.services['s3-init'])).toMatch(/mc mb --ignore-existing/);
  });

  it('starts api and worker only after postgres is healthy and the bucket exists', () => {
    expect(dependencies(compose.services['s3-init'])).toEqual({ s3: 'service_healthy' });
    for (const name of appServices) {
      expect(dependencies(compose.services[name])).toEqual(
        expect.objectContaining({ postgres: 'service_healthy', 's3-init': 'service_completed_successfully' }),
      );
    }
  });

  it('ships an executable POSIX entrypoint that handles api, worker and migrate', () => {
    const script = readFileSync(ENTRYPOINT, 'utf8');
    expect(statSync(ENTRYPOINT).mode & 0o111).toBe(0o111);
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toMatch(/^set -eu$/m);
    for (const command of ['api', 'worker', 'migrate'])
      expect(script).toMatch(new RegExp(`^\\s*${command}\\)`, 'm'));
    expect(spawnSync('sh', ['-n', ENTRYPOINT]).status).toBe(0);
  });

  describe('entrypoint behaviour (run with sh against stand-in node scripts)', () => {
    let appDir: string;
    let log: string;

    const run = (...args: string[]) =>
      spawnSync('sh', [join(appDir, 'docker', 'entrypoint.sh'), ...args], {
        cwd: tmpdir(),
        env: { ...process.env, ENTRYPOINT_TEST_LOG: log },
        encoding: 'utf8',
      });
    const calls = (): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
    const stub = (file: string, label: string, exitCode = 0): void => {
      mkdirSync(join(appDir, file, '..'), { recursive: true });
      writeFileSync(
        join(appDir, file),
        `require('node:fs').appendFileSync(process.env.ENTRYPOINT_TEST_LOG, ` +
          `[${JSON.stringify(label)}, ...process.argv.slice(2)].join(' ') + ' @' + process.cwd() + '\\n');\n` +
          `process.exit(${exitCode});\n`,
      );
    };

    beforeEach(() => {
      appDir = mkdtempSync(join(tmpdir(), 'cpc-entrypoint-'));
      log = join(appDir, 'calls.log');
      mkdirSync(join(appDir, 'docker'));
      copyFileSync(ENTRYPOINT, join(appDir, 'docker', 'entrypoint.sh'));
      chmodSync(join(appDir, 'docker', 'entrypoint.sh'), 0o755);
      stub('dist/apps/api/src/cli.js', 'cli');
      stub('dist/apps/api/src/main.js', 'api');
      stub('dist/apps/worker/src/main.js', 'worker');
    });

    afterEach(() => rmSync(appDir, { recursive: true, force: true }));

    it('api applies migrations, then starts the API from the application directory', () => {
      expect(run('api', '--seed-demo').status).toBe(0);
      expect(calls()).toEqual([`cli migration:run @${appDir}`, `api --seed-demo @${appDir}`]);
    });

    it('worker applies migrations, then starts the worker', () => {
      expect(run('worker').status).toBe(0);
      expect(calls()).toEqual([`cli migration:run @${appDir}`, `worker @${appDir}`]);
    });

    it('migrate only applies migrations', () => {
      expect(run('migrate').status).toBe(0);
      expect(calls()).toEqual([`cli migration:run @${appDir}`]);
    });

    it('does not start the API when the migration fails', () => {
      stub('dist/apps/api/src/cli.js', 'cli', 3);
      expect(run('api').status).toBe(3);
      expect(calls()).toEqual([`cli migration:run @${appDir}`]);
    });

    it('runs any other command as given', () => {
      const result = run('echo', 'hello from the container');
      expect(result.status).toBe(0);
      expect(result.stdout).toBe('hello from the container\n');
      expect(calls()).toEqual([]);
    });
  });
});
