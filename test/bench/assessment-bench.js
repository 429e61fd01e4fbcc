'use strict';
// Benchmarks of the assessment routes: saving 100 ratings through the API beside a raw multi-row
// INSERT … ON CONFLICT of the same rows with pg, and GET /results on a tiered case: once on a synthetic edition
// of 150 indicators (the figure earlier runs were taken on), once on the shipped cps-2022-v3 (153 indicators,
// essential practices, minShare tiers, applicability drivers).
// Needs a PostgreSQL server (DATABASE_URL, default the local one): the raw baseline writes to the same
// database as the API, which the single-session embedded database cannot share.
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const { onServer, percentile, startApi, stopApi, withDatabase } = require('./bench-support');

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);
// Saves on both paths before the measured ones, as the other benches warm up: the API's first saves of a
// case run on a cold JIT and pooled connections that have not prepared their statements yet.
const WARM_UP_ITERATIONS = Number(process.env.BENCH_WARM_UP_ITERATIONS ?? 20);
const PASSWORD = 'demo-password-2026';
// Raters saving at once, each on a case of their own, and how long each side of each round lasts.
const CONCURRENT_SAVERS = Number(process.env.BENCH_CONCURRENT_SAVERS ?? 10);
const CONCURRENT_ROUNDS = 3;
const CONCURRENT_ROUND_MS = Number(process.env.BENCH_CONCURRENT_ROUND_MS ?? 3000);

/** A tiered edition of 5 principles × 5 standards × 6 indicators = 150, levels cycling entry/progress/advanced. */
function benchEdition(id) {
  const levels = ['entry', 'progress', 'advanced'];
  let counter = 0;
  const principles = Array.from({ length: 5 }, (_, p) => ({
    code: `${p + 1}`,
    title: `Principle ${p + 1}`,
    standards: Array.from({ length: 5 }, (__, s) => ({
      code: `${p + 1}.${s + 1}`,
      title: `Standard ${p + 1}.${s + 1}`,
      indicators: Array.from({ length: 6 }, (___, i) => ({
        code: `${p + 1}.${s + 1}.${i + 1}`,
        statement: `The institution applies practice ${p + 1}.${s + 1}.${i + 1}.`,
        guidance: 'Policies, procedures, a sample of files and client interviews.',
        level: levels[counter++ % 3],
      })),
    })),
  }));
  return {
    id,
    title: 'Benchmark edition (tiered, 150 indicators)',
    effectiveFrom: '2026-01-01',
    validityMonths: 36,
    checkInMonths: null,
    scale: {
      ratings: [
        { value: 'met', label: 'Met', compliant: true, requiresJustification: false, notApplicable: false },
        {
          value: 'partially_met',
          label: 'Partially met',
          compliant: false,
          requiresJustification: true,
          notApplicable: false,
        },
        {
          value: 'not_met',
          label: 'Not met',
          compliant: false,
          requiresJustification: true,
          notApplicable: false,
        },
        {
          value: 'not_applicable',
          label: 'Not applicable',
          compliant: false,
          requiresJustification: true,
          notApplicable: true,
        },
      ],
    },
    decisionRule: {
      type: 'tiered',
      tiers: [
        { level: 'bronze', requiredIndicatorLevels: ['entry'] },
        { level: 'silver', requiredIndicatorLevels: ['entry', 'progress'] },
        { level: 'gold', requiredIndicatorLevels: ['entry', 'progress', 'advanced'] },
      ],
    },
    principles,
  };
}

async function call(base, method, path, token, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const login = async (base, email) =>
  (await call(base, 'POST', '/api/v1/auth/login', null, { email, password: PASSWORD })).accessToken;

/** Drives a case of the bench edition to onsite with the demo accounts; returns the ids and tokens. */
async function onsiteCase(base, editionId, { shipped = false } = {}) {
  if (!shipped) {
    const secretariat = await login(base, 'admin@secretariat.demo');
    await call(base, 'POST', '/api/v1/standards', secretariat, benchEdition(editionId));
    await call(base, 'POST', `/api/v1/standards/${editionId}/publish`, secretariat);
  }
  const institution = await login(base, 'admin@esperanza.demo');
  const certifierAdmin = await login(base, 'admin@certifier.demo');
  const rater = await login(base, 'rater@certifier.demo');
  const committee = await login(base, 'committee@certifier.demo');
  const certifiers = await call(base, 'GET', '/api/v1/organizations?kind=certifier', institution);
  const certifierId = certifiers.items.find((item) => item.name === 'Andes Social Rating').id;
  let current = await call(base, 'POST', '/api/v1/cases', institution, {
    editionId,
    certifierId,
    type: 'certification',
  });
  const self = await call(base, 'GET', `/api/v1/cases/${current.id}/self-assessment`, institution);
  await call(base, 'PUT', `/api/v1/cases/${current.id}/self-assessment`, institution, {
    answers: self.answers
      .filter((answer) => answer.applicable)
      .map((answer) => ({ indicatorCode: answer.indicatorCode, rating: 'met' })),
  });
  const transition = async (token, action, data) => {
    const fresh = await call(base, 'GET', `/api/v1/cases/${current.id}`, token);
    current = await call(base, 'POST', `/api/v1/cases/${current.id}/transitions`, token, {
      action,
      version: fresh.version,
      data,
    });
  };
  await transition(institution, 'submit');
  const me = await call(base, 'GET', '/api/v1/me', rater);
  const committeeMe = await call(base, 'GET', '/api/v1/me', committee);
  await transition(certifierAdmin, 'accept', { leadRaterId: me.id });
  current = await call(base, 'PUT', `/api/v1/cases/${current.id}/team`, certifierAdmin, {
    version: current.version,
    leadRaterId: me.id,
    raterIds: [],
    committeeMemberIds: [committeeMe.id],
  });
  await call(base, 'POST', `/api/v1/cases/${current.id}/coi-declarations`, rater, {
    hasConflict: false,
    statement: 'None',
  });
  await call(base, 'POST', `/api/v1/cases/${current.id}/coi-declarations`, committee, {
    hasConflict: false,
    statement: 'None',
  });
  current = await call(base, 'PUT', `/api/v1/cases/${current.id}/mission`, rater, {
    version: current.version,
    startsOn: '2026-12-07',
    endsOn: '2026-12-09',
    branchesVisited: ['Head office'],
    interviews: { clients: 12, staff: 6, management: 3 },
  });
  await transition(rater, 'start_onsite');
  return { caseId: current.id, rater, raterId: me.id };
}

/**
 * The raw baseline's own case: a copy of `caseId` with its ratings, so that both paths update existing rows
 * and the API's versions stay its own.
 */
async function rawCaseOf(url, caseId) {
  const {
    rows: [{ id: rawCaseId }],
  } = await onServer(
    url,
    `INSERT INTO certification_case (type, status, institution_id, certifier_id, edition_id, status_changed_at, created_by, submitted_at)
       SELECT type, status, institution_id, certifier_id, edition_id, now(), created_by, now()
       FROM certification_case WHERE id = '${caseId}' RETURNING id`,
  );
  await onServer(
    url,
    `INSERT INTO indicator_rating (case_id, indicator_code, rating, justification, evidence_ids, version, rated_by, rated_at)
       SELECT '${rawCaseId}', indicator_code, 'met', 'bench', '{}', 1, rated_by, now()
       FROM indicator_rating WHERE case_id = '${caseId}'`,
  );
  return rawCaseId;
}

/** Save number `iteration` of `codes` through the API, every item at `version`: met and partially met in turn. */
const saveBody = (codes, iteration, version) => ({
  ratings: codes.map((indicatorCode) => ({
    indicatorCode,
    rating: iteration % 2 ? 'met' : 'partially_met',
    ...(iteration % 2 ? {} : { justification: 'Partially applied in branches' }),
    version,
  })),
});

/** The same save as one raw multi-row INSERT … ON CONFLICT with pg. */
function rawUpsert(client, { rawCaseId, raterId, codes, iteration }) {
  const values = [];
  const parameters = [rawCaseId, raterId];
  codes.forEach((code, index) => {
    parameters.push(code, iteration % 2 ? 'met' : 'partially_met');
    values.push(`($1, $${3 + index * 2}, $${4 + index * 2}, 'bench', '{}', 1, $2, now())`);
  });
  return client.query(
    `INSERT INTO indicator_rating (case_id, indicator_code, rating, justification, evidence_ids, version, rated_by, rated_at)
       VALUES ${values.join(', ')}
       ON CONFLICT (case_id, indicator_code) DO UPDATE
         SET rating = EXCLUDED.rating, justification = EXCLUDED.justification, version = indicator_rating.version + 1,
             rated_by = EXCLUDED.rated_by, rated_at = EXCLUDED.rated_at`,
    parameters,
  );
}

/** Saves 100 ratings and reads the results of one onsite case of the edition, beside their baselines. */
async function measure({ base, url, raw, report }, { editionId, shipped, label }) {
  const { caseId, rater, raterId } = await onsiteCase(base, editionId, { shipped });
  const codes = (await call(base, 'GET', `/api/v1/cases/${caseId}/ratings`, rater)).ratings
    .filter((rating) => rating.applicable !== false)
    .map((rating) => rating.indicatorCode);
  const hundred = codes.slice(0, 100);
  // First ratings of every applicable indicator, so that both measured paths update existing rows.
  await call(base, 'PUT', `/api/v1/cases/${caseId}/ratings`, rater, {
    ratings: codes.map((indicatorCode) => ({ indicatorCode, rating: 'met' })),
  });

  const rawCaseId = await rawCaseOf(url, caseId);

  // The API and the raw upsert alternate, one save each per iteration, so that both see the same
  // machine (other processes come and go during a run).
  const apiTimes = [];
  const rawTimes = [];
  for (let iteration = 0; iteration < WARM_UP_ITERATIONS + ITERATIONS; iteration += 1) {
    const measured = iteration >= WARM_UP_ITERATIONS;
    const body = saveBody(hundred, iteration, iteration + 1);
    let started = performance.now();
    await call(base, 'PUT', `/api/v1/cases/${caseId}/ratings`, rater, body);
    if (measured) apiTimes.push(performance.now() - started);

    started = performance.now();
    await rawUpsert(raw, { rawCaseId, raterId, codes: hundred, iteration });
    if (measured) rawTimes.push(performance.now() - started);
  }

  const resultsTimes = [];
  for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
    const started = performance.now();
    await call(base, 'GET', `/api/v1/cases/${caseId}/results`, rater);
    resultsTimes.push(performance.now() - started);
  }
  const healthTimes = [];
  for (let iteration = 0; iteration < ITERATIONS; iteration += 1) {
    const started = performance.now();
    await call(base, 'GET', '/health/live');
    healthTimes.push(performance.now() - started);
  }

  console.log(
    `\nAssessment on ${label} (${ITERATIONS} iterations after ${WARM_UP_ITERATIONS} to warm up, PostgreSQL server)`,
  );
  const apiP50 = percentile(apiTimes, 50);
  const rawP50 = percentile(rawTimes, 50);
  report(
    `save 100 ratings through the API (${label}), p50`,
    apiP50,
    'raw INSERT … ON CONFLICT (pg), p50',
    rawP50,
    `goal ≤ 4×: ${apiP50 / rawP50 <= 4 ? 'met' : 'NOT met'}`,
  );
  report(
    `save 100 ratings through the API (${label}), p95`,
    percentile(apiTimes, 95),
    'raw INSERT … ON CONFLICT (pg), p95',
    percentile(rawTimes, 95),
  );
  report(
    `GET /results, ${label}, p50`,
    percentile(resultsTimes, 50),
    'GET /health/live, p50',
    percentile(healthTimes, 50),
  );
  report(
    `GET /results, ${label}, p95`,
    percentile(resultsTimes, 95),
    'GET /health/live, p95',
    percentile(healthTimes, 95),
  );
}

/**
 * Saves of 100 ratings by several raters at once, each on a case of their own (every audited write of
 * the product appends to one hash chain, under one lock): saves/s and latency through the API beside
 * the same number of pg clients upserting the same rows into cases of their own, in alternating rounds.
 */
async function measureConcurrent({ base, url, report }, { editionId, label }) {
  const { Client } = require('pg');
  const savers = [];
  for (let index = 0; index < CONCURRENT_SAVERS; index += 1) {
    const { caseId, rater, raterId } = await onsiteCase(base, editionId, { shipped: true });
    const codes = (await call(base, 'GET', `/api/v1/cases/${caseId}/ratings`, rater)).ratings
      .filter((rating) => rating.applicable !== false)
      .map((rating) => rating.indicatorCode)
      .slice(0, 100);
    await call(base, 'PUT', `/api/v1/cases/${caseId}/ratings`, rater, {
      ratings: codes.map((indicatorCode) => ({ indicatorCode, rating: 'met' })),
    });
    const rawCaseId = await rawCaseOf(url, caseId);
    const raw = new Client({ connectionString: url });
    await raw.connect();
    savers.push({ caseId, rater, raterId, codes, rawCaseId, raw, version: 1, saves: 0 });
  }
  /** Every saver saving as fast as it can for `durationMs`: the latencies of the saves. */
  const round = async (save, durationMs) => {
    const times = [];
    const until = performance.now() + durationMs;
    await Promise.all(
      savers.map(async (saver) => {
        while (performance.now() < until) {
          const started = performance.now();
          await save(saver);
          times.push(performance.now() - started);
        }
      }),
    );
    return times;
  };
  const apiSave = async (saver) => {
    const body = saveBody(saver.codes, saver.saves, saver.version);
    saver.saves += 1;
    await call(base, 'PUT', `/api/v1/cases/${saver.caseId}/ratings`, saver.rater, body);
    saver.version += 1;
  };
  const rawSave = async (saver) => {
    const iteration = saver.saves;
    saver.saves += 1;
    await rawUpsert(saver.raw, { ...saver, iteration });
  };
  try {
    // Warm up both paths, then alternate.
    await round(apiSave, 1000);
    await round(rawSave, 1000);
    const api = [];
    const raw = [];
    let apiMs = 0;
    let rawMs = 0;
    for (let index = 0; index < CONCURRENT_ROUNDS; index += 1) {
      let started = performance.now();
      api.push(...(await round(apiSave, CONCURRENT_ROUND_MS)));
      apiMs += performance.now() - started;
      started = performance.now();
      raw.push(...(await round(rawSave, CONCURRENT_ROUND_MS)));
      rawMs += performance.now() - started;
    }
    const apiRate = (api.length * 1000) / apiMs;
    const rawRate = (raw.length * 1000) / rawMs;
    console.log(
      `\nSaving 100 ratings, ${CONCURRENT_SAVERS} raters at once on ${label}, each on a case of their own (${CONCURRENT_ROUNDS} rounds of ${CONCURRENT_ROUND_MS / 1000} s per side, alternating)`,
    );
    console.log(
      `${'saves through the API, per second'.padEnd(44)} ${apiRate.toFixed(0).padStart(7)}/s    ${'raw INSERT … ON CONFLICT (pg), per second'.padEnd(34)} ${rawRate.toFixed(0).padStart(6)}/s    ratio ${(apiRate / rawRate).toFixed(2).padStart(6)}`,
    );
    report(
      'saves through the API, p50',
      percentile(api, 50),
      'raw INSERT … ON CONFLICT (pg), p50',
      percentile(raw, 50),
    );
    report(
      'saves through the API, p99',
      percentile(api, 99),
      'raw INSERT … ON CONFLICT (pg), p99',
      percentile(raw, 99),
    );
  } finally {
    await Promise.all(savers.map((saver) => saver.raw.end().catch(() => undefined)));
  }
}

async function benchAssessment(report) {
  const server = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `cpc_bench_${randomBytes(4).toString('hex')}`;
  const directory = mkdtempSync(join(tmpdir(), 'cpc-bench-assessment-'));
  await onServer(withDatabase(server, 'postgres'), `CREATE DATABASE "${database}"`);
  const url = withDatabase(server, database);
  const api = await startApi(
    {
      DATABASE_URL: url,
      PORT: '0',
      EVIDENCE_DIR: join(directory, 'evidence'),
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-00',
      LOG_LEVEL: 'warn',
      S3_BUCKET: '',
      RATE_LIMIT_PER_MINUTE: '1000000',
    },
    { args: ['--seed-demo'], readyPattern: /Demo accounts/ },
  );
  const { base } = api;
  const { Client } = require('pg');
  const raw = new Client({ connectionString: url });
  try {
    await raw.connect();
    await measure(
      { base, url, raw, report },
      {
        editionId: 'bench-tiered-150',
        shipped: false,
        label: 'synthetic tiered edition, 150 indicators',
      },
    );
    await measure(
      { base, url, raw, report },
      {
        editionId: 'cps-2022-v3',
        shipped: true,
        label: 'cps-2022-v3, 153 indicators',
      },
    );
    await measureConcurrent({ base, url, report }, { editionId: 'cps-2022-v3', label: 'cps-2022-v3' });
  } finally {
    await raw.end().catch(() => undefined);
    await stopApi(api);
    await onServer(
      withDatabase(server, 'postgres'),
      `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`,
    ).catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
  }
}

module.exports = { benchAssessment, benchEdition, call, onsiteCase };
