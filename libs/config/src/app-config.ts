export class HttpConfig {
  constructor(
    readonly port: number,
    readonly publicBaseUrl: string,
    /** Express's `trust proxy`: which proxies' X-Forwarded-For names the client address. */
    readonly trustProxy: string = 'loopback',
  ) {}
}

/** Limits set on every connection to a PostgreSQL server, in milliseconds (0: no limit). */
export interface DatabaseTimeouts {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

export class DatabaseConfig {
  constructor(
    /** Absent: the embedded PostgreSQL (PGlite) keeps its data in `embeddedDirectory`. */
    readonly url: string | undefined,
    readonly embeddedDirectory: string,
    readonly poolSize: number,
    readonly connectTimeoutMs: number,
    readonly timeouts: DatabaseTimeouts,
  ) {}

  get isEmbedded(): boolean {
    return this.url === undefined;
  }
}

export interface S3Settings {
  bucket: string;
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

export class StorageConfig {
  constructor(
    /** Absent: evidence is kept on local disk under `localDirectory`. */
    readonly s3: S3Settings | undefined,
    readonly localDirectory: string,
    readonly evidenceMaxBytes: number,
    /** The bytes of evidence one case may hold, all versions counted. */
    readonly evidenceQuotaBytes: number = 20 * 1024 ** 3,
  ) {}
}

export class AuthConfig {
  constructor(
    readonly jwtSecret: string,
    readonly accessTokenTtlSeconds: number,
    readonly refreshTokenTtlDays: number,
    readonly loginMaxFailures: number,
    readonly loginFailureWindowSeconds: number,
    /** Roles that must sign in with a second factor (TOTP); empty: none. */
    readonly mfaRequiredRoles: readonly string[] = [],
  ) {}
}

/**
 * The general request budget per user (signed in) or client address (anonymous), per minute; 0 turns
 * it off. Costly routes get a share of it.
 */
export class RateLimitConfig {
  constructor(readonly perMinute: number) {}

  get isEnabled(): boolean {
    return this.perMinute > 0;
  }
}

export class BootstrapConfig {
  constructor(
    readonly adminEmail: string | undefined,
    readonly adminPassword: string | undefined,
  ) {}
}

/**
 * PDF rendering by a headless Chromium: one browser per process, a bounded pool of pages; `worker`: the
 * API queues each render (pg-boss) for the worker pool and waits for it up to `renderTimeoutMs`.
 */
export class DocumentsConfig {
  constructor(
    readonly chromiumPath: string,
    readonly pagePoolSize: number,
    readonly renderTimeoutMs: number,
    readonly rendering: 'inline' | 'worker' = 'inline',
  ) {}
}

/** Where notification e-mail goes out: an SMTP server and the sender address. */
export interface SmtpSettings {
  url: string;
  from: string;
}

export class MailConfig {
  constructor(
    /** Absent: notifications stay in-app only. */
    readonly smtp: SmtpSettings | undefined,
  ) {}
}

export class StandardsConfig {
  constructor(readonly directory: string) {}
}

/** Working days for case deadlines: Monday to Friday except these holidays. */
export class CalendarConfig {
  constructor(readonly holidays: readonly string[]) {}
}

export class LoggingConfig {
  constructor(
    readonly level: string,
    readonly isPretty: boolean,
  ) {}
}

/** Quality assurance: the share of decided cases sampled at random (by a hash of the case), 0–1. */
export class QaConfig {
  constructor(readonly sampleShare: number) {}
}

/** The validated configuration, one typed object per area. */
export class AppConfig {
  constructor(
    readonly environment: 'development' | 'production' | 'test',
    readonly http: HttpConfig,
    readonly database: DatabaseConfig,
    readonly storage: StorageConfig,
    readonly auth: AuthConfig,
    readonly bootstrap: BootstrapConfig,
    readonly documents: DocumentsConfig,
    readonly standards: StandardsConfig,
    readonly logging: LoggingConfig,
    readonly calendar: CalendarConfig,
    readonly mail: MailConfig,
    readonly rateLimit: RateLimitConfig = new RateLimitConfig(0),
    readonly qa: QaConfig = new QaConfig(0.1),
  ) {}
}
