'use strict';
// Benchmarks of the offline rating workbook on a 150-indicator case: export, import as a dry run and
// import applied, each p50 beside PUT /ratings of the same 150 rows in the same run; and the API
// process's memory (RSS growth, sampled from /proc) while it imports a 10 MB workbook.
// Needs a PostgreSQL server (DATABASE_URL, default the local one), like the assessment benchmark.
const { randomBytes } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const ExcelJS = require('exceljs');

const { call, onsiteCase } = require('./assessment-bench');
const { benchApiEnv, onServer, percentile, startApi, stopApi, withDatabase } = require('./bench-support');

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20);

async function request(base, method, path, token, body, headers = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...headers },
    body,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${bytes.toString()}`);
  return bytes;
}

const exportWorkbook = (base, caseId, token) =>
  request(base, 'GET', `/api/v1/cases/${caseId}/rating-workbook`, token);

function importWorkbook(base, caseId, token, bytes, query) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), 'workbook.xlsx');
  return request(base, 'POST', `/api/v1/cases/${caseId}/rating-workbook?${query}`, token, form);
}

/** Fills every indicator row of the exported workbook with `rating` (and a justification when needed). */
async function fill(bytes, rating, extraSheet) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes);
  workbook.worksheets[1].eachRow((row, number) => {
    if (number === 1 || row.outlineLevel !== 2) return;
    row.getCell(6).value = rating;
    row.getCell(7).value = rating === 'met' ? null : 'Partially applied in the branches visited';
  });
  if (extraSheet) extraSheet(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+)/)[1]) * 1024;
}

async function benchWorkbook(report) {
  const server = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `cpc_bench_${randomBytes(4).toString('hex')}`;
  const directory = mkdtempSync(join(tmpdir(), 'cpc-bench-workbook-'));
  await onServer(withDatabase(server, 'postgres'), `CREATE DATABASE "${database}"`);
  const api = await startApi(benchApiEnv(directory, { DATABASE_URL: withDatabase(server, database) }), {
    args: ['--seed-demo'],
    readyPattern: /Demo accounts/,
  });
  const { base } = api;
  try {
    const { caseId, rater } = await onsiteCase(base, 'bench-workbook-150');
    const codes = (await call(base, 'GET', `/api/v1/cases/${caseId}/ratings`, rater)).ratings.map(
      (rating) => rating.indicatorCode,
    );

    // Export, and import as a dry run, of the same workbook with all 150 rows filled.
    const exportTimes = [];
    for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
      const started = performance.now();
      await exportWorkbook(base, caseId, rater);
      exportTimes.push(performance.now() - started);
    }
    const filled = await fill(await exportWorkbook(base, caseId, rater), 'met');
    const dryTimes = [];
    for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
      const started = performance.now();
      await importWorkbook(base, caseId, rater, filled, 'mode=override&dryRun=true');
      dryTimes.push(performance.now() - started);
    }

    // Applied imports and PUT /ratings, interleaved, each changing all 150 rows: the import sets every
    // row to met, PUT sets every row back to partially met with the versions it reads.
    const applyTimes = [];
    const putTimes = [];
    for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
      const workbook = await fill(await exportWorkbook(base, caseId, rater), 'met');
      let started = performance.now();
      await importWorkbook(base, caseId, rater, workbook, 'mode=override&dryRun=false');
      applyTimes.push(performance.now() - started);
      const current = await call(base, 'GET', `/api/v1/cases/${caseId}/ratings`, rater);
      const body = JSON.stringify({
        ratings: current.ratings.map((rating) => ({
          indicatorCode: rating.indicatorCode,
          rating: 'partially_met',
          justification: 'Partially applied in the branches visited',
          version: rating.version,
        })),
      });
      started = performance.now();
      await request(base, 'PUT', `/api/v1/cases/${caseId}/ratings`, rater, body, {
        'content-type': 'application/json',
      });
      putTimes.push(performance.now() - started);
    }

    // A 10 MB workbook: the rating rows plus a notes sheet of incompressible text.
    const big = await fill(await exportWorkbook(base, caseId, rater), 'met', (workbook) => {
      const notes = workbook.addWorksheet('Notes');
      for (let i = 0; i < 4500; i += 1) notes.addRow([i, randomBytes(2150).toString('base64')]);
    });
    const idle = rssOf(api.child.pid);
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(api.child.pid));
    }, 5);
    const started = performance.now();
    await importWorkbook(base, caseId, rater, big, 'mode=override&dryRun=true');
    const bigTime = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, rssOf(api.child.pid));

    console.log(
      `\nOffline rating workbook (${codes.length} indicators, ${ITERATIONS} iterations, PostgreSQL server)`,
    );
    const putP50 = percentile(putTimes, 50);
    report(
      'export the rating workbook, p50',
      percentile(exportTimes, 50),
      'PUT /ratings, same 150 rows, p50',
      putP50,
    );
    report(
      'import, dry run, 150 rows filled, p50',
      percentile(dryTimes, 50),
      'PUT /ratings, same 150 rows, p50',
      putP50,
    );
    report(
      'import, applied, 150 rows changed, p50',
      percentile(applyTimes, 50),
      'PUT /ratings, same 150 rows, p50',
      putP50,
    );
    console.log(
      `import of a ${(big.length / 1024 / 1024).toFixed(1)} MB workbook (dry run): ${bigTime.toFixed(0)} ms, ` +
        `API RSS ${(idle / 1024 / 1024).toFixed(0)} MB idle → peak ${(peak / 1024 / 1024).toFixed(0)} MB ` +
        `(growth ${((peak - idle) / 1024 / 1024).toFixed(0)} MB)`,
    );
  } finally {
    await stopApi(api);
    await onServer(
      withDatabase(server, 'postgres'),
      `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`,
    ).catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
  }
}

module.exports = { benchWorkbook };
