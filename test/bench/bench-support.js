'use strict';
// What every benchmark shares: statistics, the built API as a child process, and admin SQL.
const { spawn } = require('node:child_process');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const API = join(ROOT, 'dist/apps/api/src/main.js');
const PORT_PATTERN = /API\s+http:\/\/localhost:(\d+)\/api\/v1/;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The nearest-rank percentile `p` (0–100) of `values`. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** `url` with its database name replaced by `name`. */
function withDatabase(url, name) {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Runs `sql` on `url` over a connection of its own. */
async function onServer(url, sql) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Spawns `node args` (from the repository's root, with `env` over this process's) and resolves, within
 * 120 s, once `readyAt(output)` answers the base URL of the ready process; `what` names it in errors.
 */
async function spawnUntilReady(args, env, readyAt, what) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 120000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited:\n${output}`);
    const base = await readyAt(output);
    if (base) return { child, base, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`${what} not ready within 120 s:\n${output}`);
}

/**
 * Starts the built API with `args` and resolves once it prints its port, answers /health/ready and,
 * when given, has printed `readyPattern` too.
 */
function startApi(env, { args = [], readyPattern } = {}) {
  // BENCH_NODE_ARGS: extra Node flags for the API under measurement, e.g. `--cpu-prof` to profile it.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return spawnUntilReady(
    [...nodeArgs, API, ...args],
    env,
    async (output) => {
      const port = output.match(PORT_PATTERN)?.[1];
      if (!port || (readyPattern && !readyPattern.test(output))) return undefined;
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
      return response?.status === 200 ? `http://127.0.0.1:${port}` : undefined;
    },
    'API',
  );
}

/** Stops an API started by `startApi` (SIGTERM, then SIGKILL after 15 s); a stopped one is left as is. */
async function stopApi(api) {
  const child = api?.child;
  if (!child || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * The environment every bench gives the API it measures: any free port, evidence under `directory`,
 * a fixed JWT secret, warnings only in the log, local disk rather than S3; `overrides` add or replace.
 */
function benchApiEnv(directory, overrides = {}) {
  return {
    PORT: '0',
    EVIDENCE_DIR: join(directory, 'evidence'),
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00',
    LOG_LEVEL: 'warn',
    S3_BUCKET: '',
    ...overrides,
  };
}

module.exports = {
  API,
  benchApiEnv,
  median,
  onServer,
  percentile,
  PORT_PATTERN,
  ROOT,
  spawnUntilReady,
  startApi,
  stopApi,
  withDatabase,
};
