import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppConfig } from './app-config';
import { ConfigurationError } from './configuration.error';
import { type EnvironmentSource, loadConfiguration } from './load-configuration';

const SECRET = 's'.repeat(40);

/** An explicit environment with a JWT secret, so that no development secret is ever written. */
const env = (overrides: EnvironmentSource = {}): EnvironmentSource => ({ JWT_SECRET: SECRET, ...overrides });

function configurationErrorOf(source: EnvironmentSource): ConfigurationError {
  try {
    loadConfiguration(source);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

const invalidNames = (source: EnvironmentSource): string[] =>
  configurationErrorOf(source)
    .invalidVariables.map((entry) => entry.variable)
    .sort();

describe(loadConfiguration.name, () => {
  describe('defaults', () => {
    it('builds the documented defaults from an environment holding only a JWT secret', () => {
      const config = loadConfiguration(env());
      expect(config).toBeInstanceOf(AppConfig);
      expect(config.environment).toBe('development');
      expect(config.http.port).toBe(3000);
      expect(config.http.publicBaseUrl).toBe('http://localhost:3000');
      expect(config.database.url).toBeUndefined();
      expect(config.database.isEmbedded).toBe(true);
      expect(config.database.embeddedDirectory).toBe(resolve(process.cwd(), 'var/pgdata'));
      expect(config.database.poolSize).toBe(10);
      expect(config.storage.s3).toBeUndefined();
      expect(config.storage.localDirectory).toBe(resolve(process.cwd(), 'var/evidence'));
      expect(config.storage.evidenceMaxBytes).toBe(1024 * 1024 * 1024);
      expect(config.storage.evidenceQuotaBytes).toBe(20 * 1024 * 1024 * 1024);
      expect(config.rateLimit.perMinute).toBe(600);
      expect(config.qa.sampleShare).toBe(0.1);
      expect(config.documents.chromiumPath).toBe('/usr/bin/chromium');
      expect(config.auth.jwtSecret).toBe(SECRET);
      expect(config.auth.accessTokenTtlSeconds).toBe(900);
      expect(config.auth.loginMaxFailures).toBe(5);
      expect(config.bootstrap).toEqual({ adminEmail: undefined, adminPassword: undefined });
      expect(config.standards.directory).toBe(resolve(process.cwd(), 'standards'));
      expect(config.logging.level).toBe('info');
    });

    it('treats blank values as absent', () => {
      const config = loadConfiguration(env({ PORT: '  ', DATABASE_URL: '', S3_BUCKET: ' ' }));
      expect(config.http.port).toBe(3000);
      expect(config.database.isEmbedded).toBe(true);
      expect(config.storage.s3).toBeUndefined();
    });

    it('converts numbers and trims the trailing slash of PUBLIC_BASE_URL', () => {
      const config = loadConfiguration(
        env({ PORT: '8080', EVIDENCE_MAX_BYTES: '1048576', PUBLIC_BASE_URL: 'https://cert.example.org//' }),
      );
      expect(config.http.port).toBe(8080);
      expect(config.storage.evidenceMaxBytes).toBe(1048576);
      expect(config.http.publicBaseUrl).toBe('https://cert.example.org');
    });

    it('reads QA_SAMPLE_SHARE as a share and refuses one outside 0–1', () => {
      expect(loadConfiguration(env({ QA_SAMPLE_SHARE: '0.25' })).qa.sampleShare).toBe(0.25);
      expect(loadConfiguration(env({ QA_SAMPLE_SHARE: '1' })).qa.sampleShare).toBe(1);
      expect(() => loadConfiguration(env({ QA_SAMPLE_SHARE: '1.5' }))).toThrow(/QA_SAMPLE_SHARE/);
      expect(() => loadConfiguration(env({ QA_SAMPLE_SHARE: 'ten' }))).toThrow(/QA_SAMPLE_SHARE/);
    });

    it('lower-cases ADMIN_EMAIL', () => {
      const config = loadConfiguration(
        env({ ADMIN_EMAIL: 'Root@Example.ORG', ADMIN_PASSWORD: 'long-enough-password' }),
      );
      expect(config.bootstrap).toEqual({
        adminEmail: 'root@example.org',
        adminPassword: 'long-enough-password',
      });
    });
  });

  describe('invalid values', () => {
    it('names every invalid variable in one ConfigurationError (PORT and EVIDENCE_MAX_BYTES together)', () => {
      const error = configurationErrorOf(env({ PORT: 'abc', EVIDENCE_MAX_BYTES: '-1' }));
      expect(error.name).toBe('ConfigurationError');
      expect(error.invalidVariables.map((entry) => entry.variable).sort()).toEqual([
        'EVIDENCE_MAX_BYTES',
        'PORT',
      ]);
      expect(error.message).toContain('PORT');
      expect(error.message).toContain('EVIDENCE_MAX_BYTES');
      for (const entry of error.invalidVariables) expect(entry.problems.length).toBeGreaterThan(0);
    });

    it('lists field problems and cross-field problems together', () => {
      expect(
        invalidNames(
          env({ PORT: '70000', LOG_LEVEL: 'loud', NODE_ENV: 'staging', ADMIN_EMAIL: 'root@example.org' }),
        ),
      ).toEqual(['ADMIN_PASSWORD', 'LOG_LEVEL', 'NODE_ENV', 'PORT']);
    });

    it.each(['mysql://root@localhost/db', 'http://localhost:5432/db', 'localhost:5432', 'postgres://'])(
      'rejects DATABASE_URL %s',
      (url) => {
        const error = configurationErrorOf(env({ DATABASE_URL: url }));
        expect(error.invalidVariables).toEqual([
          { variable: 'DATABASE_URL', problems: [expect.stringMatching(/postgres/)] },
        ]);
      },
    );

    it.each(['postgres://user:secret@db:5432/cpc', 'postgresql://db/cpc?sslmode=require'])(
      'accepts DATABASE_URL %s',
      (url) => {
        const config = loadConfiguration(env({ DATABASE_URL: url }));
        expect(config.database.url).toBe(url);
        expect(config.database.isEmbedded).toBe(false);
      },
    );

    it.each([
      ['auto', 'development', true, true],
      ['auto', 'test', true, true],
      ['auto', 'development', false, false],
      ['auto', 'production', true, false],
      ['json', 'development', true, false],
      ['pretty', 'development', false, true],
      ['pretty', 'production', false, true],
    ] as const)(
      'LOG_FORMAT=%s with NODE_ENV=%s and stdout a terminal: %s gives pretty logs: %s',
      (format, nodeEnv, terminal, pretty) => {
        const production = nodeEnv === 'production' ? { JWT_SECRET: 'x'.repeat(40) } : {};
        const config = loadConfiguration(env({ LOG_FORMAT: format, NODE_ENV: nodeEnv, ...production }), {
          stdoutIsTerminal: terminal,
        });
        expect(config.logging.isPretty).toBe(pretty);
      },
    );

    it('takes TRUST_PROXY as Express trust names or addresses, loopback by default', () => {
      expect(loadConfiguration(env({})).http.trustProxy).toBe('loopback');
      expect(loadConfiguration(env({ TRUST_PROXY: 'uniquelocal' })).http.trustProxy).toBe('uniquelocal');
      expect(loadConfiguration(env({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' })).http.trustProxy).toBe(
        '10.0.0.0/8, 127.0.0.1',
      );
      expect(invalidNames(env({ TRUST_PROXY: 'everyone' }))).toEqual(['TRUST_PROXY']);
    });

    it('renders PDFs inline by default; worker only with a PostgreSQL server to share with the workers', () => {
      expect(loadConfiguration(env()).documents.rendering).toBe('inline');
      expect(
        loadConfiguration(env({ PDF_RENDERING: 'worker', DATABASE_URL: 'postgres://db/cpc' })).documents
          .rendering,
      ).toBe('worker');
      expect(invalidNames(env({ PDF_RENDERING: 'worker' }))).toEqual(['PDF_RENDERING']);
      expect(invalidNames(env({ PDF_RENDERING: 'remote', DATABASE_URL: 'postgres://db/cpc' }))).toEqual([
        'PDF_RENDERING',
      ]);
    });

    it('rejects an unknown LOG_FORMAT', () => {
      expect(invalidNames(env({ LOG_FORMAT: 'xml' }))).toEqual(['LOG_FORMAT']);
    });

    it('rejects ADMIN_EMAIL without ADMIN_PASSWORD', () => {
      const error = configurationErrorOf(env({ ADMIN_EMAIL: 'root@example.org' }));
      expect(error.invalidVariables).toEqual([
        { variable: 'ADMIN_PASSWORD', problems: ['must be set when ADMIN_EMAIL is set'] },
      ]);
    });

    it('rejects ADMIN_PASSWORD without ADMIN_EMAIL', () => {
      expect(invalidNames(env({ ADMIN_PASSWORD: 'long-enough-password' }))).toEqual(['ADMIN_EMAIL']);
    });

    it('rejects a short ADMIN_PASSWORD and a malformed ADMIN_EMAIL', () => {
      expect(invalidNames(env({ ADMIN_EMAIL: 'not-an-email', ADMIN_PASSWORD: 'short' }))).toEqual([
        'ADMIN_EMAIL',
        'ADMIN_PASSWORD',
      ]);
    });

    it('rejects production without JWT_SECRET', () => {
      const error = configurationErrorOf({ NODE_ENV: 'production' });
      expect(error.invalidVariables).toEqual([
        { variable: 'JWT_SECRET', problems: ['must be set in production'] },
      ]);
    });

    it('rejects a JWT_SECRET shorter than 32 characters', () => {
      expect(invalidNames({ JWT_SECRET: 'too-short' })).toEqual(['JWT_SECRET']);
    });

    it('rejects an S3 access key without its secret', () => {
      expect(invalidNames(env({ S3_BUCKET: 'evidence', S3_ACCESS_KEY_ID: 'key' }))).toEqual([
        'S3_SECRET_ACCESS_KEY',
      ]);
    });

    it.each([
      ['S3_BUCKET', 'Not_A_Bucket'],
      ['S3_ENDPOINT', 'minio:9000'],
      ['S3_FORCE_PATH_STYLE', 'maybe'],
      ['S3_REGION', 'EU WEST'],
      ['PUBLIC_BASE_URL', 'ftp://example.org'],
      ['EVIDENCE_MAX_BYTES', '12.5'],
      ['DATABASE_POOL_SIZE', '0'],
      ['DATABASE_STATEMENT_TIMEOUT_MS', '-1'],
      ['DATABASE_LOCK_TIMEOUT_MS', '5s'],
      ['DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', '3600001'],
    ])('names %s=%s', (variable, value) => {
      expect(invalidNames(env({ [variable]: value }))).toEqual([variable]);
    });
  });

  describe('database timeouts', () => {
    it('defaults to a 15 s statement, 5 s lock wait and 30 s idle transaction', () => {
      expect(loadConfiguration(env({})).database.timeouts).toEqual({
        statementTimeoutMs: 15000,
        lockTimeoutMs: 5000,
        idleInTransactionTimeoutMs: 30000,
      });
    });

    it('takes each from its variable, 0 meaning no limit', () => {
      const config = loadConfiguration(
        env({
          DATABASE_STATEMENT_TIMEOUT_MS: '60000',
          DATABASE_LOCK_TIMEOUT_MS: '0',
          DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '120000',
        }),
      );
      expect(config.database.timeouts).toEqual({
        statementTimeoutMs: 60000,
        lockTimeoutMs: 0,
        idleInTransactionTimeoutMs: 120000,
      });
    });
  });

  describe('S3 settings', () => {
    it('builds typed S3 settings when S3_BUCKET is set', () => {
      const config = loadConfiguration(
        env({
          S3_BUCKET: 'cpc-evidence',
          S3_ENDPOINT: 'http://127.0.0.1:9000',
          S3_REGION: 'eu-west-1',
          S3_ACCESS_KEY_ID: 'access',
          S3_SECRET_ACCESS_KEY: 'secret',
          S3_FORCE_PATH_STYLE: 'true',
        }),
      );
      expect(config.storage.s3).toEqual({
        bucket: 'cpc-evidence',
        endpoint: 'http://127.0.0.1:9000',
        region: 'eu-west-1',
        accessKeyId: 'access',
        secretAccessKey: 'secret',
        forcePathStyle: true,
      });
    });

    it.each([
      ['true', true],
      ['TRUE', true],
      ['1', true],
      ['yes', true],
      ['false', false],
      ['0', false],
      ['no', false],
    ])('reads S3_FORCE_PATH_STYLE=%s as %s', (value, expected) => {
      const config = loadConfiguration(env({ S3_BUCKET: 'cpc-evidence', S3_FORCE_PATH_STYLE: value }));
      expect(config.storage.s3?.forcePathStyle).toBe(expected);
    });

    it('defaults to us-east-1 and virtual-hosted style', () => {
      const config = loadConfiguration(env({ S3_BUCKET: 'cpc-evidence' }));
      expect(config.storage.s3).toMatchObject({ region: 'us-east-1', forcePathStyle: false });
    });
  });

  describe('notification e-mail', () => {
    it('is off without SMTP_URL and MAIL_FROM', () => {
      expect(loadConfiguration(env()).mail.smtp).toBeUndefined();
    });

    it('builds SMTP settings from SMTP_URL and MAIL_FROM', () => {
      const config = loadConfiguration(
        env({
          SMTP_URL: 'smtp://mailer:p%40ss@mail.example.org:587',
          MAIL_FROM: 'Certification <noreply@example.org>',
        }),
      );
      expect(config.mail.smtp).toEqual({
        url: 'smtp://mailer:p%40ss@mail.example.org:587',
        from: 'Certification <noreply@example.org>',
      });
    });

    it('rejects SMTP_URL without MAIL_FROM, and MAIL_FROM without SMTP_URL', () => {
      expect(configurationErrorOf(env({ SMTP_URL: 'smtp://mail:25' })).invalidVariables).toEqual([
        { variable: 'MAIL_FROM', problems: ['must be set when SMTP_URL is set'] },
      ]);
      expect(invalidNames(env({ MAIL_FROM: 'noreply@example.org' }))).toEqual(['SMTP_URL']);
    });

    it.each([
      ['SMTP_URL', 'mail.example.org:587'],
      ['SMTP_URL', 'https://mail.example.org'],
      ['MAIL_FROM', 'noreply'],
      ['MAIL_FROM', 'Certification <noreply>'],
    ])('names %s=%s', (variable, value) => {
      const valid = { SMTP_URL: 'smtps://mail.example.org', MAIL_FROM: 'noreply@example.org' };
      expect(invalidNames(env({ ...valid, [variable]: value }))).toEqual([variable]);
    });
  });

  describe('development JWT secret', () => {
    let workDirectory: string;
    let originalDirectory: string;

    beforeEach(() => {
      originalDirectory = process.cwd();
      workDirectory = mkdtempSync(join(tmpdir(), 'cpc-config-'));
      process.chdir(workDirectory);
    });

    afterEach(() => {
      process.chdir(originalDirectory);
      rmSync(workDirectory, { recursive: true, force: true });
    });

    it('generates a secret once under var/jwt-secret and reuses it', () => {
      const first = loadConfiguration({});
      const file = join(workDirectory, 'var', 'jwt-secret');
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8').trim()).toBe(first.auth.jwtSecret);
      expect(first.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
      expect(loadConfiguration({}).auth.jwtSecret).toBe(first.auth.jwtSecret);
    });
  });
});
