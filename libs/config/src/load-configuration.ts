import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  AppConfig,
  AuthConfig,
  BootstrapConfig,
  CalendarConfig,
  DatabaseConfig,
  DocumentsConfig,
  HttpConfig,
  LoggingConfig,
  MailConfig,
  QaConfig,
  RateLimitConfig,
  StandardsConfig,
  StorageConfig,
} from './app-config';
import { ConfigurationError, type InvalidVariable } from './configuration.error';
import { Environment } from './environment';

export type EnvironmentSource = Record<string, string | undefined>;

/** Reads the process environment: the one place in the code base that touches `process.env`. */
export function readProcessEnvironment(): EnvironmentSource {
  return { ...process.env };
}

function blankToUndefined(source: EnvironmentSource): Record<string, string> {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value.trim() !== '') cleaned[key] = value;
  }
  return cleaned;
}

function crossFieldProblems(env: Environment): InvalidVariable[] {
  const problems: InvalidVariable[] = [];
  if (env.ADMIN_EMAIL && !env.ADMIN_PASSWORD) {
    problems.push({ variable: 'ADMIN_PASSWORD', problems: ['must be set when ADMIN_EMAIL is set'] });
  }
  if (env.ADMIN_PASSWORD && !env.ADMIN_EMAIL) {
    problems.push({ variable: 'ADMIN_EMAIL', problems: ['must be set when ADMIN_PASSWORD is set'] });
  }
  if (env.S3_ACCESS_KEY_ID && !env.S3_SECRET_ACCESS_KEY) {
    problems.push({
      variable: 'S3_SECRET_ACCESS_KEY',
      problems: ['must be set when S3_ACCESS_KEY_ID is set'],
    });
  }
  if (env.S3_SECRET_ACCESS_KEY && !env.S3_ACCESS_KEY_ID) {
    problems.push({
      variable: 'S3_ACCESS_KEY_ID',
      problems: ['must be set when S3_SECRET_ACCESS_KEY is set'],
    });
  }
  if (env.SMTP_URL && !env.MAIL_FROM) {
    problems.push({ variable: 'MAIL_FROM', problems: ['must be set when SMTP_URL is set'] });
  }
  if (env.MAIL_FROM && !env.SMTP_URL) {
    problems.push({ variable: 'SMTP_URL', problems: ['must be set when MAIL_FROM is set'] });
  }
  if (env.PDF_RENDERING === 'worker' && !env.DATABASE_URL) {
    problems.push({
      variable: 'PDF_RENDERING',
      problems: [
        'worker needs DATABASE_URL: the embedded database serves one process, so no worker shares it',
      ],
    });
  }
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
    problems.push({ variable: 'JWT_SECRET', problems: ['must be set in production'] });
  }
  return problems;
}

/**
 * Without JWT_SECRET (development only) a random secret is generated once and kept beside the
 * embedded data, so tokens survive a restart of the same installation.
 */
function developmentJwtSecret(dataDirectory: string): string {
  const file = resolve(dataDirectory, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Validates the environment and builds the typed configuration; throws a ConfigurationError naming every bad variable. */
/** What the process's surroundings say beyond its variables: whether stdout is a terminal. */
export interface ProcessSurroundings {
  stdoutIsTerminal: boolean;
}

export function loadConfiguration(
  source: EnvironmentSource = readProcessEnvironment(),
  surroundings: ProcessSurroundings = { stdoutIsTerminal: process.stdout.isTTY === true },
): AppConfig {
  const env = plainToInstance(Environment, blankToUndefined(source), { exposeDefaultValues: true });
  const invalid: InvalidVariable[] = validateSync(env, { whitelist: false }).map((error) => ({
    variable: error.property,
    problems: Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message.slice(error.property.length).trim() : message,
    ),
  }));
  invalid.push(...crossFieldProblems(env));
  if (invalid.length > 0) throw new ConfigurationError(invalid);

  const cwd = process.cwd();
  const embeddedDirectory = resolve(cwd, env.EMBEDDED_DATABASE_DIR);
  const s3 = env.S3_BUCKET
    ? {
        bucket: env.S3_BUCKET,
        endpoint: env.S3_ENDPOINT,
        region: env.S3_REGION,
        accessKeyId: env.S3_ACCESS_KEY_ID,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY,
        forcePathStyle: env.S3_FORCE_PATH_STYLE,
      }
    : undefined;

  return new AppConfig(
    env.NODE_ENV,
    new HttpConfig(env.PORT, env.PUBLIC_BASE_URL.replace(/\/+$/, ''), env.TRUST_PROXY),
    new DatabaseConfig(
      env.DATABASE_URL,
      embeddedDirectory,
      env.DATABASE_POOL_SIZE,
      env.DATABASE_CONNECT_TIMEOUT_MS,
      {
        statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
        lockTimeoutMs: env.DATABASE_LOCK_TIMEOUT_MS,
        idleInTransactionTimeoutMs: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      },
    ),
    new StorageConfig(s3, resolve(cwd, env.EVIDENCE_DIR), env.EVIDENCE_MAX_BYTES, env.EVIDENCE_QUOTA_BYTES),
    new AuthConfig(
      env.JWT_SECRET ?? developmentJwtSecret(resolve(cwd, 'var')),
      env.JWT_ACCESS_TTL_SECONDS,
      env.REFRESH_TOKEN_TTL_DAYS,
      env.LOGIN_MAX_FAILURES,
      env.LOGIN_FAILURE_WINDOW_SECONDS,
      env.MFA_REQUIRED_ROLES === 'none' ? [] : env.MFA_REQUIRED_ROLES.split(','),
    ),
    new BootstrapConfig(env.ADMIN_EMAIL?.toLowerCase(), env.ADMIN_PASSWORD),
    new DocumentsConfig(
      env.CHROMIUM_PATH,
      env.PDF_PAGE_POOL_SIZE,
      env.PDF_RENDER_TIMEOUT_MS,
      env.PDF_RENDERING,
    ),
    new StandardsConfig(resolve(cwd, env.STANDARDS_DIR)),
    new LoggingConfig(
      env.LOG_LEVEL,
      env.LOG_FORMAT === 'pretty' ||
        (env.LOG_FORMAT === 'auto' && env.NODE_ENV !== 'production' && surroundings.stdoutIsTerminal),
    ),
    new CalendarConfig(env.HOLIDAYS ? env.HOLIDAYS.split(',') : []),
    new MailConfig(env.SMTP_URL && env.MAIL_FROM ? { url: env.SMTP_URL, from: env.MAIL_FROM } : undefined),
    new RateLimitConfig(env.RATE_LIMIT_PER_MINUTE),
    new QaConfig(env.QA_SAMPLE_SHARE),
  );
}
