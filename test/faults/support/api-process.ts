import { type RunningProcess, startProcess } from '../../smoke/process-runner';

export const API_SCRIPT = 'dist/apps/api/src/main.js';
export const ADMIN = { email: 'fault-admin@secretariat.test', password: 'fault-admin-password-1' };

export interface RunningApi {
  process: RunningProcess;
  base: string;
  pid: number;
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
  ms: number;
}

/** The built API as its own process (as `npm start` runs it), ready once `/health/ready` answers 200. */
export async function startApi(env: Record<string, string | undefined>): Promise<RunningApi> {
  const running = startProcess(API_SCRIPT, [], {
    PORT: '0',
    S3_BUCKET: undefined,
    JWT_SECRET: 'fault-suite-secret-that-is-long-enough-0',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    // The faults are this suite's subject, not the second factor or the rate limit (PDF renders get a
    // twentieth of the budget): the admin signs in with a password and the bursts are not limited.
    MFA_REQUIRED_ROLES: 'none',
    RATE_LIMIT_PER_MINUTE: '0',
    ...env,
  });
  const [, port] = await running.waitFor(/API\s+http:\/\/localhost:(\d+)\/api\/v1/, 90_000);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while ((await call(base, '/health/ready').catch(() => undefined))?.status !== 200) {
    if (Date.now() > deadline) throw new Error(`the API is not ready:\n${running.output().slice(-3000)}`);
    await sleep(100);
  }
  return { process: running, base, pid: running.child.pid ?? 0 };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function call(
  base: string,
  path: string,
  options: { token?: string; method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<Answer> {
  const started = Date.now();
  const response = await fetch(`${base}${path}`, {
    method: options.method ?? 'GET',
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  const text = Buffer.from(await response.arrayBuffer());
  const isJson = response.headers.get('content-type')?.includes('json');
  return {
    status: response.status,
    body: isJson ? JSON.parse(text.toString('utf8')) : text,
    headers: response.headers,
    ms: Date.now() - started,
  };
}

export async function login(base: string, email = ADMIN.email, password = ADMIN.password): Promise<string> {
  const answer = await call(base, '/api/v1/auth/login', { method: 'POST', body: { email, password } });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.accessToken as string;
}
