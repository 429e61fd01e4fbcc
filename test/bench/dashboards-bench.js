'use strict';
// `npm run bench -- dashboards`: the benchmark (dashboard) queries on 50,000 decided cases seeded by SQL:
// p95 latency of GET /api/v1/benchmarks?by=… as the secretariat (every case, every cell checked against
// the anonymity threshold; read from the summary, after a first read that builds it, timed apart), beside a plain `SELECT count(*)` of the same decided cases run on the same
// database in the same run, as a ratio. Needs DATABASE_URL (a PostgreSQL server): the count runs on a
// connection of its own while the API holds its pool.
//
// BENCH_DASHBOARD_CASES (50000), BENCH_DASHBOARD_RUNS (30 per query).
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const { benchApiEnv, onServer, percentile, startApi, stopApi, withDatabase } = require('./bench-support');

const CASES = Number(process.env.BENCH_DASHBOARD_CASES ?? 50000);
const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 30);
const INSTITUTIONS = Math.max(1, Math.round(CASES / 20));
const INDICATORS_PER_CASE = 12;
const COUNTRIES = 'PE BO EC CO MX GT HN NI SN ML BF CI BJ TG KE UG TZ RW IN BD PH KH MA TN'.split(' ');
const ADMIN_EMAIL = 'bench-admin@secretariat.bench';
const ADMIN_PASSWORD = 'bench-admin-password-1';
const SEED_USER = '00000000-0000-4000-8000-000000000002';
const STATES = ['submitted', 'desk_review', 'onsite', 'findings_issued', 'committee_review', 'decided'];

function seedScript() {
  const states = `ARRAY[${STATES.map((state) => `'${state}'`).join(',')}]`;
  return `
BEGIN;
INSERT INTO user_account (id, organization_id, email, name, role, password_hash, password_changed_at, is_active)
  SELECT '${SEED_USER}', id, 'seed@secretariat.bench', 'Bench seed', 'secretariat_officer', '!', now(), false
  FROM organization WHERE kind = 'secretariat' LIMIT 1;
INSERT INTO organization (id, kind, name, country, license_valid_from, license_valid_until)
  SELECT md5('certifier-' || n)::uuid, 'certifier', 'Bench Rating ' || n, 'US', DATE '2015-01-01', DATE '2035-12-31'
  FROM generate_series(0, 5) AS n;
INSERT INTO organization (id, kind, name, country, profile)
  SELECT md5('institution-' || n)::uuid, 'institution', 'Bench Institution ' || n,
         (ARRAY[${COUNTRIES.map((country) => `'${country}'`).join(',')}])[1 + n % ${COUNTRIES.length}], '{}'::jsonb
  FROM generate_series(0, ${INSTITUTIONS - 1}) AS n;
INSERT INTO certification_case (id, type, status, institution_id, certifier_id, edition_id, status_changed_at,
                                created_by, outcome, decided_at, submitted_at)
  SELECT md5('case-' || i)::uuid, 'certification', 'closed', md5('institution-' || i % ${INSTITUTIONS})::uuid,
         md5('certifier-' || i % 6)::uuid, CASE WHEN i % 3 = 0 THEN 'cps-2022' ELSE 'cps-2016' END,
         decided, '${SEED_USER}', CASE WHEN i % 5 = 0 THEN 'not_certified' ELSE 'certified' END,
         decided, decided - interval '120 days'
  FROM (SELECT i, timestamptz '2016-01-01' + (i % 3650) * interval '1 day' AS decided
        FROM generate_series(0, ${CASES - 1}) AS i) AS dated;
INSERT INTO indicator_rating (case_id, indicator_code, rating, version, rated_by, rated_at)
  SELECT md5('case-' || i)::uuid, (1 + k / 4) || '.' || (1 + k % 4) || '.1',
         CASE WHEN (i + k) % 9 = 0 THEN 'not_met' WHEN (i + k) % 13 = 0 THEN 'not_applicable' ELSE 'met' END,
         1, '${SEED_USER}', now()
  FROM generate_series(0, ${CASES - 1}) AS i, generate_series(0, ${INDICATORS_PER_CASE - 1}) AS k;
INSERT INTO finding (case_id, indicator_codes, severity, description, recommendation, created_by)
  SELECT md5('case-' || i)::uuid, ARRAY[(1 + i % 3) || '.' || (1 + i % 4) || '.1'],
         (ARRAY['major', 'minor', 'observation'])[1 + i % 3], 'Bench finding', 'Bench recommendation', '${SEED_USER}'
  FROM generate_series(0, ${CASES - 1}, 4) AS i;
INSERT INTO audit_event (id, occurred_at, actor_name, entity_type, entity_id, case_id, action, from_status, to_status, hash)
  SELECT md5('event-' || i || '-' || s)::uuid,
         timestamptz '2016-01-01' + (i % 3650) * interval '1 day' - interval '120 days' + s * interval '20 days',
         'bench', 'case', md5('case-' || i)::uuid::text, md5('case-' || i)::uuid, 'case.bench',
         CASE WHEN s > 1 THEN (${states})[s - 1] END, (${states})[s], md5('event-' || i || '-' || s) || md5('h' || i)
  FROM generate_series(0, ${CASES - 1}) AS i, generate_series(1, ${STATES.length}) AS s;
COMMIT;
ANALYZE;
`;
}

async function benchDashboards() {
  const server = process.env.DATABASE_URL;
  if (!server) {
    console.log('\nDashboards: skipped, needs DATABASE_URL (a PostgreSQL server)');
    return;
  }
  const directory = mkdtempSync(join(tmpdir(), 'cpc-bench-dashboards-'));
  const database = `cpc_bench_dashboards_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(server, database);
  const env = benchApiEnv(directory, {
    DATABASE_URL: url,
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    MFA_REQUIRED_ROLES: 'none',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  let api;
  const { Client } = require('pg');
  const counter = new Client({ connectionString: url });
  try {
    await onServer(withDatabase(server, 'postgres'), `CREATE DATABASE "${database}"`);
    api = await startApi(env);
    const seedStarted = performance.now();
    await onServer(url, seedScript());
    const seedMs = performance.now() - seedStarted;
    const login = await fetch(`${api.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    const { accessToken } = await login.json();
    if (!accessToken) throw new Error(`login failed: ${login.status}`);
    await counter.connect();
    const countSql =
      'SELECT count(*) FROM certification_case c WHERE c.decided_at IS NOT NULL AND c.outcome IS NOT NULL';
    const decided = Number((await counter.query(countSql)).rows[0].count);
    if (decided !== CASES) throw new Error(`seeding went wrong: ${decided} decided cases`);

    const timeCount = async () => {
      const started = performance.now();
      await counter.query(countSql);
      return performance.now() - started;
    };
    const timeRoute = async (path) => {
      const started = performance.now();
      const response = await fetch(`${api.base}${path}`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      });
      const body = await response.json();
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
      return performance.now() - started;
    };
    console.log(
      `\nDashboards on ${CASES.toLocaleString('en')} decided cases of ${INSTITUTIONS.toLocaleString('en')} institutions ` +
        `(${(CASES * INDICATORS_PER_CASE).toLocaleString('en')} ratings, ${(CASES * STATES.length).toLocaleString('en')} state changes; seeded in ${(seedMs / 1000).toFixed(1)} s), ` +
        `${RUNS} runs each, alternating with count(*) of the same decided cases`,
    );
    // The first read finds no summary yet and waits for it to be built over the whole seeded field (the
    // worker rebuilds it every 10 minutes after that); the runs below read the summary.
    const firstReadMs = await timeRoute('/api/v1/benchmarks?by=country');
    const firstCountMs = await timeCount();
    console.log(
      `  first read, building the summary: ${firstReadMs.toFixed(0)} ms   count(*) ${firstCountMs.toFixed(1)} ms   ratio ${(firstReadMs / firstCountMs).toFixed(1)}×`,
    );
    for (const by of ['country', 'edition', 'year', 'standard', 'indicator']) {
      const path = `/api/v1/benchmarks?by=${by}`;
      await timeRoute(path);
      await timeCount();
      const route = [];
      const count = [];
      for (let run = 0; run < RUNS; run += 1) {
        route.push(await timeRoute(path));
        count.push(await timeCount());
      }
      const routeP95 = percentile(route, 95);
      const countP95 = percentile(count, 95);
      console.log(
        `  GET ${path.padEnd(34)} p95 ${routeP95.toFixed(1).padStart(8)} ms   count(*) p95 ${countP95.toFixed(1).padStart(6)} ms   ratio ${(routeP95 / countP95).toFixed(1)}×`,
      );
    }
  } finally {
    await counter.end().catch(() => undefined);
    await stopApi(api);
    await onServer(
      withDatabase(server, 'postgres'),
      `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`,
    ).catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
  }
}

module.exports = { benchDashboards };
