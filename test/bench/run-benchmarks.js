#!/usr/bin/env node
// `npm run bench`: each measurement is printed beside a baseline measured in the same run, as a ratio.
// Runs on the built product (dist/) with nothing else needed: the embedded database, local disk.
'use strict';
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = join(__dirname, '..', '..');
const API = join(ROOT, 'dist/apps/api/src/main.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Spawns a process that prints its port, then polls `path` until it answers 200; resolves to ms from spawn. */
async function timeUntilReady(args, env, path, portPattern) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  try {
    const deadline = started + 60000;
    let port;
    while (performance.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`exited early:\n${output}`);
      port ??= output.match(portPattern)?.[1];
      if (port) {
        try {
          const response = await fetch(`http://127.0.0.1:${port}${path}`);
          if (response.status === 200) return performance.now() - started;
        } catch {
          // not listening yet
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`not ready within 60 s:\n${output}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
  }
}

function embeddedEnv(directory) {
  const env = {
    PORT: '0',
    EMBEDDED_DATABASE_DIR: join(directory, 'pgdata'),
    EVIDENCE_DIR: join(directory, 'evidence'),
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00',
    LOG_LEVEL: 'warn',
  };
  return { ...env, DATABASE_URL: '', S3_BUCKET: '' };
}

const HTTP_BASELINE = [
  '-e',
  "const s=require('node:http').createServer((q,r)=>r.end('ok')).listen(0,()=>console.log('API http://localhost:'+s.address().port+'/api/v1'));process.on('SIGTERM',()=>process.exit(0))",
];
const PORT_PATTERN = /API\s+http:\/\/localhost:(\d+)\/api\/v1/;

function report(name, value, baselineName, baseline, goal) {
  const ratio = value / baseline;
  console.log(
    `${name.padEnd(44)} ${value.toFixed(0).padStart(7)} ms   ${baselineName.padEnd(34)} ${baseline.toFixed(0).padStart(6)} ms   ratio ${ratio.toFixed(1).padStart(6)}×${goal ? `   ${goal}` : ''}`,
  );
}

async function benchStartup() {
  const directory = mkdtempSync(join(tmpdir(), 'cpc-bench-'));
  try {
    const env = embeddedEnv(directory);
    const cold = await timeUntilReady([API, '--seed-demo'], env, '/health/ready', PORT_PATTERN);
    const warm = [];
    const baseline = [];
    for (let run = 0; run < RUNS; run += 1) {
      baseline.push(await timeUntilReady(HTTP_BASELINE, {}, '/', PORT_PATTERN));
      warm.push(await timeUntilReady([API], env, '/health/ready', PORT_PATTERN));
    }
    console.log(
      `\nStart to ready on the embedded default (${RUNS} runs, median; p95 of warm starts ${percentile(warm, 95).toFixed(0)} ms)`,
    );
    report(
      'first start (initdb, migrations, catalog, demo)',
      cold,
      'bare Node HTTP server ready',
      median(baseline),
    );
    report(
      'start to /health/ready 200',
      median(warm),
      'bare Node HTTP server ready',
      median(baseline),
      `goal < 5000 ms: ${median(warm) < 5000 ? 'met' : 'NOT met'}`,
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function main() {
  const only = process.argv.slice(2);
  const benches = { startup: benchStartup };
  for (const [name, bench] of Object.entries(benches)) {
    if (only.length === 0 || only.includes(name)) await bench();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
