import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;

const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value.trim()) : value;

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const normalized = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(normalized)) return true;
  if (['false', '0', 'no'].includes(normalized)) return false;
  return value;
};

const MFA_ROLE_PATTERN =
  'institution_admin|institution_member|certifier_admin|rater|committee_member|secretariat_admin|secretariat_officer';

export const NODE_ENVIRONMENTS = ['development', 'production', 'test'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
/** Where certificate and report PDFs are rendered: in the API process, or by the worker pool (render queue). */
export const PDF_RENDERING_MODES = ['inline', 'worker'] as const;

/**
 * Every environment variable the product reads, validated once at boot.
 * Names are the deployment contract of API.md; values arrive as strings and are converted here.
 */
export class Environment {
  @IsOptional()
  @IsIn(NODE_ENVIRONMENTS)
  NODE_ENV: (typeof NODE_ENVIRONMENTS)[number] = 'development';

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// connection URL' })
  DATABASE_URL?: string;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(120000)
  DATABASE_CONNECT_TIMEOUT_MS = 5000;

  /** Longest statement before PostgreSQL cancels it (57014 → 503); 0 turns the limit off. */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(3600000)
  DATABASE_STATEMENT_TIMEOUT_MS = 15000;

  /** Longest wait for a row or table lock (55P03 → 503); 0 turns the limit off. */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(3600000)
  DATABASE_LOCK_TIMEOUT_MS = 5000;

  /** A transaction left idle this long is ended by the server, releasing its locks; 0 turns it off. */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(3600000)
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS = 30000;

  @IsString()
  @MinLength(1)
  EMBEDDED_DATABASE_DIR = 'var/pgdata';

  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be a valid S3 bucket name' })
  S3_BUCKET?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  S3_ENDPOINT?: string;

  @IsString()
  @Matches(/^[a-z0-9-]+$/, { message: 'must be an AWS region name such as eu-west-1' })
  S3_REGION = 'us-east-1';

  @IsOptional()
  @IsString()
  @MinLength(1)
  S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  S3_SECRET_ACCESS_KEY?: string;

  @Transform(toBoolean)
  @IsBoolean()
  S3_FORCE_PATH_STYLE = false;

  @IsString()
  @MinLength(1)
  EVIDENCE_DIR = 'var/evidence';

  @Transform(toInteger)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024 * 1024)
  EVIDENCE_MAX_BYTES = 1024 * 1024 * 1024;

  /** The evidence one case may hold, every version counted; default 20 GiB. */
  @Transform(toInteger)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024 * 1024 * 1024)
  EVIDENCE_QUOTA_BYTES = 20 * 1024 * 1024 * 1024;

  @IsString()
  @MinLength(1)
  CHROMIUM_PATH = '/usr/bin/chromium';

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(32)
  PDF_PAGE_POOL_SIZE = 4;

  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  @Max(300000)
  PDF_RENDER_TIMEOUT_MS = 20000;

  /** `worker`: the API queues renders for the workers and needs no Chromium (a PostgreSQL server required). */
  @IsIn(PDF_RENDERING_MODES)
  PDF_RENDERING: (typeof PDF_RENDERING_MODES)[number] = 'inline';

  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(128)
  ADMIN_PASSWORD?: string;

  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL = 'http://localhost:3000';

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInteger)
  @IsInt()
  @Min(60)
  @Max(24 * 3600)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_MAX_FAILURES = 5;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(86400)
  LOGIN_FAILURE_WINDOW_SECONDS = 900;

  /** Requests per minute per user (or per client address when anonymous); 0 turns the limit off. */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 600;

  /** The share of decided cases the worker samples for a QA review (0–1), beside every flagged case. */
  @Transform(toNumber)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  QA_SAMPLE_SHARE = 0.1;

  /** Roles that must use a second factor, comma-separated, or `none`. */
  @Matches(new RegExp(`^(none|(${MFA_ROLE_PATTERN})(,(${MFA_ROLE_PATTERN}))*)$`), {
    message: `must be none or roles separated by commas, among ${MFA_ROLE_PATTERN.split('|').join(', ')}`,
  })
  MFA_REQUIRED_ROLES = 'rater,committee_member,certifier_admin,secretariat_admin,secretariat_officer';

  @IsString()
  @MinLength(1)
  STANDARDS_DIR = 'standards';

  /** Public holidays that do not count as working days, e.g. `2026-12-25,2027-01-01`. */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}(,\d{4}-\d{2}-\d{2})*$/, {
    message: 'must be dates YYYY-MM-DD separated by commas',
  })
  HOLIDAYS?: string;

  /** SMTP server for notification e-mail, e.g. `smtp://user:pass@mail.example.org:587`; absent: in-app only. */
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['smtp', 'smtps'] },
    { message: 'must be an smtp:// or smtps:// URL such as smtp://user:password@mail.example.org:587' },
  )
  SMTP_URL?: string;

  /** Sender of notification e-mail: an address, optionally with a name. */
  @IsOptional()
  @Matches(/^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
    message: 'must be an e-mail address, optionally with a name: Certification <noreply@example.org>',
  })
  MAIL_FROM?: string;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /**
   * Proxies whose X-Forwarded-For is believed (Express `trust proxy`): `loopback` (default), `uniquelocal`
   * (private networks, e.g. a reverse proxy on a Docker network), addresses or CIDRs, comma-separated.
   */
  @Matches(
    /^(?:loopback|linklocal|uniquelocal|[0-9a-f.:]+(?:\/\d{1,3})?)(?:\s*,\s*(?:loopback|linklocal|uniquelocal|[0-9a-f.:]+(?:\/\d{1,3})?))*$/i,
    {
      message: 'must be loopback, linklocal, uniquelocal or addresses/CIDRs, comma-separated',
    },
  )
  TRUST_PROXY = 'loopback';

  /** `auto`: human-readable (pino-pretty) when stdout is a terminal and NODE_ENV is not production, JSON otherwise. */
  @IsIn(LOG_FORMATS)
  LOG_FORMAT: (typeof LOG_FORMATS)[number] = 'auto';
}
