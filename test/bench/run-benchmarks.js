#!/usr/bin/env node
// `npm run bench`: each measurement is printed beside a baseline measured in the same run, as a ratio.
// Runs on the built product (dist/) with nothing else needed: the embedded database, local disk.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const { mkdtempSync, readFileSync, realpathSync, rmSync } = require('node:fs');
const http = require('node:http');
const { randomBytes } = require('node:crypto');
const { Readable } = require('node:stream');
const { availableParallelism, tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const { benchAssessment } = require('./assessment-bench');
const { benchDashboards } = require('./dashboards-bench');
const { benchDocuments } = require('./documents-bench');
const { benchRegistry } = require('./registry-bench');
const { benchWorkbook } = require('./workbook-bench');
const { benchScale } = require('./scale-bench');
const { benchJobs } = require('./jobs-bench');
const { benchAudit } = require('./audit-bench');

const { API, median, percentile, PORT_PATTERN, ROOT } = require('./bench-support');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

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

/** Milliseconds as printed: a tenth below 100 ms, so that a ratio of small figures can be checked by hand. */
const ms = (value) => value.toFixed(value < 100 ? 1 : 0);

function report(name, value, baselineName, baseline, goal) {
  const ratio = value / baseline;
  console.log(
    `${name.padEnd(44)} ${ms(value).padStart(7)} ms   ${baselineName.padEnd(34)} ${ms(baseline).padStart(6)} ms   ratio ${ratio.toFixed(1).padStart(6)}×${goal ? `   ${goal}` : ''}`,
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

// ---------------------------------------------------------------------------------------------------
// upload: a large evidence file streamed through the API to S3 (s3rver on loopback), with the API
// process's memory sampled throughout, against a direct @aws-sdk/lib-storage upload of the same bytes.

const MIB = 1024 * 1024;
const UPLOAD_BYTES = Number(process.env.BENCH_UPLOAD_BYTES ?? 1024 * MIB);
const UPLOAD_DEADLINE_MS = 10 * 60 * 1000;
const BUCKET = 'cpc-bench-evidence';
const S3_SERVER = [
  '-e',
  "const S3rver=require('s3rver');const s=new S3rver({address:'127.0.0.1',port:0,silent:true,directory:process.argv[1]});" +
    "s.run().then(({port})=>console.log('S3 port '+port));process.on('SIGTERM',()=>s.close().then(()=>process.exit(0)))",
];

/** Spawns a node process and resolves once `pattern` appears in its output, with the match. */
function spawnUntil(args, env, pattern, what) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} not ready within 120 s:\n${output}`)), 120000);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}):\n${output}`));
    });
  });
}

async function stopChild(child) {
  if (!child || child.exitCode !== null) return;
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
  await new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 10000);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The API's resident memory in MiB, from /proc (Linux). */
function rssMiB(pid) {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return match ? Number(match[1]) / 1024 : NaN;
}

const PDF_HEADER = Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n', 'latin1');
// One random block, written again and again: the bytes are made on the fly, never held whole.
const BLOCK = randomBytes(MIB);

/** `size` bytes of a PDF-headed file, as a stream of 1 MiB chunks made when read. */
function generatedFile(size) {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return this.push(null);
      const length = Math.min(MIB, size - sent);
      const chunk =
        sent === 0
          ? Buffer.concat([PDF_HEADER, BLOCK.subarray(PDF_HEADER.length, length)])
          : BLOCK.subarray(0, length);
      sent += length;
      this.push(chunk);
    },
  });
}

async function api(base, method, path, token, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Streams the generated file as multipart (fields first) with a known Content-Length. */
function uploadThroughApi(port, token, caseId, size) {
  const boundary = `bench${randomBytes(8).toString('hex')}`;
  const field = (name, value) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head = Buffer.from(
    field('title', 'Benchmark recording') +
      field('indicatorCodes', '1.1.1') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/api/v1/cases/${caseId}/evidence`,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': String(head.length + size + tail.length),
      },
    });
    request.on('response', (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () =>
        response.statusCode === 201
          ? resolve(JSON.parse(text))
          : reject(new Error(`upload: ${response.statusCode} ${text}`)),
      );
    });
    request.on('error', reject);
    request.write(head);
    const file = generatedFile(size);
    file.on('data', (chunk) => {
      if (!request.write(chunk)) {
        file.pause();
        request.once('drain', () => file.resume());
      }
    });
    file.on('end', () => request.end(tail));
  });
}

async function uploadDirect(endpoint, size) {
  const { S3Client } = require('@aws-sdk/client-s3');
  const { Upload } = require('@aws-sdk/lib-storage');
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    const started = performance.now();
    await new Upload({
      client,
      params: {
        Bucket: BUCKET,
        Key: 'bench/direct',
        Body: generatedFile(size),
        ContentType: 'application/pdf',
      },
      partSize: 8 * MIB,
      queueSize: 4,
    }).done();
    return performance.now() - started;
  } finally {
    client.destroy();
  }
}

async function createBucket(endpoint) {
  const { CreateBucketCommand, S3Client } = require('@aws-sdk/client-s3');
  const client = new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  client.destroy();
}

async function benchUpload() {
  const directory = mkdtempSync(join(tmpdir(), 'cpc-bench-upload-'));
  let s3;
  let apiChild;
  const deadline = setTimeout(() => {
    console.error(`upload bench aborted after ${UPLOAD_DEADLINE_MS / 60000} minutes`);
    for (const child of [apiChild, s3]) child?.kill('SIGKILL');
    rmSync(directory, { recursive: true, force: true });
    process.exit(1);
  }, UPLOAD_DEADLINE_MS);
  try {
    const started = await spawnUntil([...S3_SERVER, join(directory, 's3')], {}, /S3 port (\d+)/, 's3rver');
    s3 = started.child;
    const endpoint = `http://127.0.0.1:${started.match[1]}`;
    await createBucket(endpoint);

    const env = {
      ...embeddedEnv(directory),
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      EVIDENCE_MAX_BYTES: String(Math.max(4 * 1024 * MIB, UPLOAD_BYTES + MIB)),
      ADMIN_EMAIL: 'bench-admin@secretariat.bench',
      ADMIN_PASSWORD: 'bench-admin-password-1',
    };
    const apiStarted = await spawnUntil([API, '--seed-demo'], env, PORT_PATTERN, 'API');
    apiChild = apiStarted.child;
    const port = Number(apiStarted.match[1]);
    const base = `http://127.0.0.1:${port}`;

    const { accessToken } = await api(base, 'POST', '/api/v1/auth/login', undefined, {
      email: 'admin@esperanza.demo',
      password: 'demo-password-2026',
    });
    const certifiers = await api(base, 'GET', '/api/v1/organizations?kind=certifier', accessToken);
    const certifier = certifiers.items.find((organization) => organization.name === 'Andes Social Rating');
    if (!certifier) throw new Error('The demo certifier Andes Social Rating is missing');
    const opened = await api(base, 'POST', '/api/v1/cases', accessToken, {
      // The 2016 edition no longer takes new initial certifications.
      editionId: 'cps-2022',
      certifierId: certifier.id,
      type: 'certification',
    });

    const before = [];
    for (let sample = 0; sample < 20; sample += 1) {
      before.push(rssMiB(apiChild.pid));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const baselineRss = median(before);
    let peakRss = baselineRss;
    const sampler = setInterval(() => {
      try {
        peakRss = Math.max(peakRss, rssMiB(apiChild.pid));
      } catch {
        // the process is gone; the upload reports it
      }
    }, 50);
    let apiMs;
    let uploaded;
    try {
      const uploadStarted = performance.now();
      uploaded = await uploadThroughApi(port, accessToken, opened.id, UPLOAD_BYTES);
      apiMs = performance.now() - uploadStarted;
    } catch (error) {
      console.error(`API output:\n${apiStarted.output().slice(-4000)}`);
      throw error;
    } finally {
      clearInterval(sampler);
    }
    if (uploaded.size !== UPLOAD_BYTES)
      throw new Error(`stored ${uploaded.size} bytes, sent ${UPLOAD_BYTES}`);
    const directMs = await uploadDirect(endpoint, UPLOAD_BYTES);

    const sizeMiB = UPLOAD_BYTES / MIB;
    const apiThroughput = sizeMiB / (apiMs / 1000);
    const directThroughput = sizeMiB / (directMs / 1000);
    const growth = peakRss - baselineRss;
    const ratio = apiThroughput / directThroughput;
    console.log(`\nEvidence upload of ${sizeMiB.toFixed(0)} MiB through the API to S3 (s3rver on loopback)`);
    console.log(
      `${'API peak RSS growth during the upload'.padEnd(44)} ${growth.toFixed(1).padStart(7)} MiB  (RSS ${baselineRss.toFixed(0)} → ${peakRss.toFixed(0)} MiB)   goal < 100 MiB: ${growth < 100 ? 'met' : 'NOT met'}`,
    );
    console.log(
      `${'API multipart upload throughput'.padEnd(44)} ${apiThroughput.toFixed(1).padStart(7)} MiB/s ${'direct lib-storage Upload'.padEnd(28)} ${directThroughput.toFixed(1).padStart(6)} MiB/s   ratio ${ratio.toFixed(2).padStart(5)}   goal ≥ 0.7: ${ratio >= 0.7 ? 'met' : 'NOT met'}`,
    );
  } finally {
    clearTimeout(deadline);
    await stopChild(apiChild);
    await stopChild(s3);
    rmSync(directory, { recursive: true, force: true });
  }
}

async function main() {
  const only = process.argv.slice(2);
  const benches = {
    startup: benchStartup,
    upload: benchUpload,
    assessment: () => benchAssessment(report),
    registry: benchRegistry,
    documents: benchDocuments,
    workbook: () => benchWorkbook(report),
    scale: benchScale,
    dashboards: benchDashboards,
    jobs: benchJobs,
    audit: benchAudit,
  };
  for (const [name, bench] of Object.entries(benches)) {
    if (only.length === 0 || only.includes(name)) await bench();
  }
}

/**
 * BENCH_NODE runs the whole bench, load generator and every process it starts, on another Node:
 * `24` for the npm registry's Node 24 (the current LTS, the Docker image's Node; test/support/node24-path.sh),
 * or a path to a `node` binary. Unset: the Node that runs this script (the machine's).
 */
function benchNode() {
  const wanted = process.env.BENCH_NODE;
  if (!wanted) return undefined;
  if (wanted === '24')
    return execFileSync('bash', [join(ROOT, 'test/support/node24-path.sh')], { encoding: 'utf8' }).trim();
  return wanted;
}

const node = benchNode();
if (node && realpathSync(node) !== realpathSync(process.execPath)) {
  const child = spawn(node, [__filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
} else {
  console.log(`Node ${process.version} (${process.execPath}), ${availableParallelism()} CPUs`);
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
