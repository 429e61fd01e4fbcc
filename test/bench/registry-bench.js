'use strict';
// `npm run bench -- registry`: the public registry with 10,000 certificates. Requests per second and
// p99 latency of filtered registry pages at 50 concurrent requests, each beside GET /health/live
// measured in the same run with the same closed-loop load generator (keep-alive, one request in
// flight per loop), in alternating rounds so that both sides see the same machine.
//
// The database: a fresh one on the PostgreSQL server of DATABASE_URL when it is set (created for the
// bench and dropped after), otherwise the embedded default (PGlite) in a temporary folder. Either way
// the API is started once to migrate and load the bundled editions, stopped, the organizations, cases
// and certificates are inserted with one SQL script (PGlite is single-session: nothing else may hold
// it while we write), and the API is started again on a registry of that size.
//
// BENCH_CERTIFICATES (10000), BENCH_CONCURRENCY (50), BENCH_DURATION_MS (5000 per side and route),
// BENCH_WARM_UP_MS (1000).
const { randomBytes } = require('node:crypto');
const http = require('node:http');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const {
  benchApiEnv,
  onServer,
  percentile,
  spawnUntilReady,
  startApi,
  stopApi,
  withDatabase,
} = require('./bench-support');

const CERTIFICATES = Number(process.env.BENCH_CERTIFICATES ?? 10000);
const INSTITUTIONS = Math.max(1, Math.round(CERTIFICATES / 4));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const WARM_UP_MS = Number(process.env.BENCH_WARM_UP_MS ?? 1000);
const ROUNDS = 5;
const RATIO_GOAL = 0.5;
const P99_GOAL_MS = 50;

// Institution n is in COUNTRIES[n % 24]: about 420 of the 10,000 certificates are Peruvian.
const COUNTRIES = 'PE BO EC CO MX GT HN NI SN ML BF CI BJ TG KE UG TZ RW IN BD PH KH MA TN'.split(' ');
// 7 name prefixes against 24 countries: every prefix occurs in every country.
const PREFIXES = ['Banco', 'Caja', 'Cooperativa', 'Financiera', 'Caisse', 'Fondation', 'Sacco'];
const PLACES = [
  'Andina',
  'del Sur',
  'Norte',
  'Solidaria',
  'Rural',
  'Unida',
  'Popular',
  'Central',
  'Mutual',
  'Nueva',
];
const CERTIFIERS = [
  ['Andes Social Rating', 'PE'],
  ['Sahel Rating Partners', 'SN'],
  ['Lakes Microfinance Rating', 'KE'],
  ['Mekong Rating House', 'KH'],
  ['Atlas Certification', 'MA'],
  ['Bench Rating Global', 'US'],
];

const SECRETARIAT_ID = '00000000-0000-4000-8000-000000000001';
const USER_ID = '00000000-0000-4000-8000-000000000002';

const sqlArray = (values) => `ARRAY[${values.map((value) => `'${value.replace(/'/g, "''")}'`).join(', ')}]`;

/**
 * One SQL script, for PostgreSQL and PGlite alike: the organizations, a closed certified case per
 * certificate (certificate.case_id is a unique foreign key) and the certificates, numbered CPC-YYYY-NNNN
 * over 2016–2026, under both bundled editions, in every status, and the yearly counters that the next
 * publication continues from.
 */
function seedScript(count) {
  return `
BEGIN;
INSERT INTO organization (id, kind, name, country)
  VALUES ('${SECRETARIAT_ID}', 'secretariat', 'Bench Secretariat', 'CH');
INSERT INTO user_account (id, organization_id, email, name, role, password_hash, password_changed_at, is_active)
  VALUES ('${USER_ID}', '${SECRETARIAT_ID}', 'seed@secretariat.bench', 'Bench seed', 'secretariat_admin', '!', now(), false);
INSERT INTO organization (id, kind, name, country, license_valid_from, license_valid_until)
  SELECT md5('certifier-' || n)::uuid, 'certifier', (${sqlArray(CERTIFIERS.map(([name]) => name))})[n + 1],
         (${sqlArray(CERTIFIERS.map(([, country]) => country))})[n + 1], DATE '2015-01-01', DATE '2035-12-31'
  FROM generate_series(0, ${CERTIFIERS.length - 1}) AS n;
INSERT INTO organization (id, kind, name, country, profile)
  SELECT md5('institution-' || n)::uuid, 'institution',
         (${sqlArray(PREFIXES)})[1 + n % ${PREFIXES.length}] || ' ' ||
           (${sqlArray(PLACES)})[1 + (n / ${PREFIXES.length}) % ${PLACES.length}] || ' ' || n,
         (${sqlArray(COUNTRIES)})[1 + n % ${COUNTRIES.length}], '{}'::jsonb
  FROM generate_series(0, ${INSTITUTIONS - 1}) AS n;
CREATE TEMP TABLE bench_certificate AS
  SELECT i, year, seq,
         'CPC-' || year || '-' || lpad(seq::text, greatest(4, length(seq::text)), '0') AS number,
         issued_on, edition_id, level,
         (issued_on + make_interval(months => CASE WHEN edition_id = 'cps-2016' THEN 48 ELSE 36 END))::date - 1 AS valid_until,
         CASE WHEN edition_id = 'cps-2016' THEN (issued_on + interval '24 months')::date END AS check_in_due_on
  FROM (
    SELECT i, year, seq, least(make_date(year, 1 + i % 12, 1 + i % 28), current_date) AS issued_on,
           CASE WHEN year >= 2022 AND i % 2 = 0 THEN 'cps-2022' ELSE 'cps-2016' END AS edition_id,
           CASE WHEN year >= 2022 AND i % 2 = 0 THEN (ARRAY['bronze', 'silver', 'gold'])[1 + i % 3] END AS level
    FROM (SELECT i, 2016 + i % 11 AS year, i / 11 + 1 AS seq FROM generate_series(0, ${count - 1}) AS i) AS numbered
  ) AS dated;
INSERT INTO certification_case (id, type, status, institution_id, certifier_id, edition_id, certificate_number,
                                status_changed_at, created_by, outcome, level, decided_at, decision_accepted_at)
  SELECT md5('case-' || i)::uuid, CASE WHEN i < ${INSTITUTIONS} THEN 'certification' ELSE 'renewal' END, 'closed',
         md5('institution-' || i % ${INSTITUTIONS})::uuid, md5('certifier-' || i % ${CERTIFIERS.length})::uuid,
         edition_id, number, issued_on, '${USER_ID}', 'certified', level, issued_on, issued_on
  FROM bench_certificate;
INSERT INTO certificate (number, case_id, institution_id, certifier_id, edition_id, level, issued_on,
                         check_in_due_on, valid_until, package_sha256, status, status_reason,
                         holder_name, holder_country, decided_on, published_on)
  SELECT number, md5('case-' || i)::uuid, md5('institution-' || i % ${INSTITUTIONS})::uuid,
         md5('certifier-' || i % ${CERTIFIERS.length})::uuid, edition_id, level, issued_on, check_in_due_on,
         valid_until, md5('package-' || i) || md5('sealed-' || i), status,
         CASE WHEN status IN ('suspended', 'revoked') THEN 'Benchmark' END,
         (SELECT name FROM organization WHERE id = md5('institution-' || i % ${INSTITUTIONS})::uuid),
         (SELECT country FROM organization WHERE id = md5('institution-' || i % ${INSTITUTIONS})::uuid),
         issued_on, issued_on
  FROM (
    SELECT *, CASE
      WHEN valid_until < current_date THEN CASE WHEN i % 3 = 0 THEN 'superseded' ELSE 'expired' END
      WHEN i % 20 = 0 THEN 'suspended'
      WHEN i % 20 = 1 THEN 'revoked'
      ELSE 'active' END AS status
    FROM bench_certificate
  ) AS with_status;
INSERT INTO certificate_counter (year, last_number)
  SELECT year, max(seq) FROM bench_certificate GROUP BY year
  ON CONFLICT (year) DO UPDATE SET last_number = greatest(certificate_counter.last_number, EXCLUDED.last_number);
DROP TABLE bench_certificate;
COMMIT;
ANALYZE;
`;
}

/**
 * Closed-loop load: `concurrency` loops, each sending its next request as soon as the previous answer
 * has been read, over keep-alive connections, for `durationMs`. Any status but 200 fails the bench.
 */
async function load(base, path, { concurrency, durationMs }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const { hostname, port } = new URL(base);
  const latencies = [];
  const request = () =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const outgoing = http.get({ host: hostname, port, path, agent }, (response) => {
        response.on('data', () => undefined);
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`GET ${path}: ${response.statusCode}`));
          else resolve(performance.now() - started);
        });
        response.on('error', reject);
      });
      outgoing.on('error', reject);
    });
  const started = performance.now();
  const deadline = started + durationMs;
  const loop = async () => {
    while (performance.now() < deadline) latencies.push(await request());
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, loop));
  } finally {
    agent.destroy();
  }
  return { latencies, elapsedMs: performance.now() - started };
}

/**
 * The route and the /health/live baseline in alternating rounds, so that both see the same machine
 * (other processes come and go during a run); requests, time and latencies are summed per side.
 * `healthBase` is the server whose /health/live is the route's baseline: the API's own by default.
 */
async function measureAgainstHealth(base, path, healthBase = base) {
  const options = { concurrency: CONCURRENCY, durationMs: DURATION_MS / ROUNDS };
  await load(healthBase, '/health/live', { concurrency: CONCURRENCY, durationMs: WARM_UP_MS });
  await load(base, path, { concurrency: CONCURRENCY, durationMs: WARM_UP_MS });
  const sides = { route: [], health: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    sides.health.push(await load(healthBase, '/health/live', options));
    sides.route.push(await load(base, path, options));
  }
  const combine = (rounds) => {
    const latencies = rounds.flatMap((result) => result.latencies).sort((a, b) => a - b);
    const seconds = rounds.reduce((sum, result) => sum + result.elapsedMs, 0) / 1000;
    return {
      perSecond: latencies.length / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  };
  return { route: combine(sides.route), health: combine(sides.health) };
}

function line(name, value, unit, baselineName, baseline, ratio, goal) {
  console.log(
    `${name.padEnd(44)} ${value.toFixed(unit === 'ms' ? 1 : 0).padStart(7)} ${unit.padEnd(5)} ${baselineName.padEnd(28)} ${baseline.toFixed(unit === 'ms' ? 1 : 0).padStart(6)} ${unit.padEnd(5)} ratio ${ratio.toFixed(2).padStart(5)}${goal ? `   ${goal}` : ''}`,
  );
}

/** test/bench/bare-express.js started on a free port; stopped with stopApi. */
function startBareExpress() {
  return spawnUntilReady(
    [join(__dirname, 'bare-express.js')],
    {},
    (output) => {
      const port = output.match(/port (\d+)/)?.[1];
      return port && `http://127.0.0.1:${port}`;
    },
    'bare Express',
  );
}

/**
 * A database of its own with `count` seeded certificates and the built API started on it: a fresh
 * database on the PostgreSQL server of DATABASE_URL when it is set, else the embedded default in a
 * temporary folder. The API starts once to migrate and load the catalog and stops; the certificates
 * are inserted with plain SQL (PGlite is single-session, so nothing else may hold it meanwhile); the
 * API starts again. `close` stops it and removes the database.
 */
async function startSeededApi(name, count, extraEnv = {}) {
  const server = process.env.DATABASE_URL || undefined;
  const directory = mkdtempSync(join(tmpdir(), `cpc-bench-${name}-`));
  const database = `cpc_bench_${name}_${randomBytes(4).toString('hex')}`;
  const url = server ? withDatabase(server, database) : undefined;
  const env = benchApiEnv(directory, {
    DATABASE_URL: url ?? '',
    EMBEDDED_DATABASE_DIR: join(directory, 'pgdata'),
    // The general rate limit runs (its cost is in every figure) but never refuses the load generator.
    RATE_LIMIT_PER_MINUTE: '1000000',
    ...extraEnv,
  });
  const seeded = { api: undefined, isEmbedded: !url, seedMs: 0 };
  seeded.close = async () => {
    await stopApi(seeded.api);
    if (server)
      await onServer(
        withDatabase(server, 'postgres'),
        `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`,
      ).catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
  };
  try {
    if (server) await onServer(withDatabase(server, 'postgres'), `CREATE DATABASE "${database}"`);
    // First start: migrations and the bundled editions, which the seeded cases refer to.
    seeded.api = await startApi(env);
    await stopApi(seeded.api);
    const seedStarted = performance.now();
    if (url) {
      await onServer(url, seedScript(count));
    } else {
      const { PGlite } = require('@electric-sql/pglite');
      const embedded = await PGlite.create(env.EMBEDDED_DATABASE_DIR);
      try {
        await embedded.exec(seedScript(count));
      } finally {
        await embedded.close();
      }
    }
    seeded.seedMs = performance.now() - seedStarted;
    seeded.api = await startApi(env);
    return seeded;
  } catch (error) {
    await seeded.close();
    throw error;
  }
}

async function benchRegistry() {
  const seeded = await startSeededApi('registry', CERTIFICATES);
  const { api, seedMs } = seeded;
  try {
    const filtered = '/api/v1/registry?country=PE&status=all&page=2&pageSize=20';
    const searched = '/api/v1/registry?q=cooperativa&country=PE&status=all&page=2&pageSize=20';
    const check = await (await fetch(`${api.base}${filtered}`)).json();
    const checkSearched = await (await fetch(`${api.base}${searched}`)).json();
    const all = await (await fetch(`${api.base}/api/v1/registry?status=all&pageSize=1`)).json();
    const htmlSearched = '/registry?q=cooperativa&country=PE&status=all&page=2&lang=fr';
    const htmlPage = await fetch(`${api.base}${htmlSearched}`);
    const htmlText = await htmlPage.text();
    if (
      htmlPage.status !== 200 ||
      !checkSearched.items.every((item) => htmlText.includes(item.certificateNumber))
    )
      throw new Error(
        `the searched HTML page (${htmlPage.status}) does not list the searched JSON page's certificates`,
      );
    if (all.total !== CERTIFICATES || check.items.length === 0 || checkSearched.items.length === 0)
      throw new Error(
        `seeding went wrong: ${all.total} certificates, filtered page has ${check.items.length} rows, searched ${checkSearched.items.length}`,
      );

    const routes = [
      ['filtered (country, status=all, page 2)', filtered, true],
      ['filtered + name search', searched, true],
      ['default (active, newest first)', '/api/v1/registry', false],
      // The HTML page is the one people open (issue 16): the same goals as the JSON.
      ['HTML page, filtered', '/registry?country=PE&status=all&page=2&lang=fr', true],
      ['HTML page, filtered + name search', htmlSearched, true],
    ];
    const results = [];
    for (const [name, path, hasGoal] of routes)
      results.push([name, await measureAgainstHealth(api.base, path), hasGoal]);
    // The machine's floor: the API's /health/live beside a bare Express app's under the same load.
    const bare = await startBareExpress();
    let floor;
    try {
      floor = await measureAgainstHealth(api.base, '/health/live', bare.base);
    } finally {
      await stopApi(bare);
    }

    console.log(
      `\nPublic registry with ${CERTIFICATES.toLocaleString('en')} certificates (${seeded.isEmbedded ? 'embedded PGlite' : 'PostgreSQL server'}; seeded in ${(seedMs / 1000).toFixed(1)} s), ` +
        `${CONCURRENCY} concurrent; each route alternates with GET /health/live, ${ROUNDS} rounds, ${DURATION_MS / 1000} s per side`,
    );
    console.log(`  filtered: GET ${filtered} (${check.total} matches)`);
    console.log(`  searched: GET ${searched} (${checkSearched.total} matches)`);
    for (const [name, { route, health }, hasGoal] of results) {
      const ratio = route.perSecond / health.perSecond;
      line(
        `${name}, req/s`,
        route.perSecond,
        'req/s',
        'GET /health/live, req/s',
        health.perSecond,
        ratio,
        hasGoal ? `goal ≥ ${RATIO_GOAL}: ${ratio >= RATIO_GOAL ? 'met' : 'NOT met'}` : '',
      );
      line(
        `${name}, p99`,
        route.p99,
        'ms',
        'GET /health/live, p99',
        health.p99,
        route.p99 / health.p99,
        hasGoal ? `goal < ${P99_GOAL_MS} ms: ${route.p99 < P99_GOAL_MS ? 'met' : 'NOT met'}` : '',
      );
    }
    console.log(
      "  the machine's floor: the API's GET /health/live beside a bare Express app (no Nest, no middleware)",
    );
    line(
      'API GET /health/live, req/s',
      floor.route.perSecond,
      'req/s',
      'bare Express, req/s',
      floor.health.perSecond,
      floor.route.perSecond / floor.health.perSecond,
    );
    line(
      'API GET /health/live, p99',
      floor.route.p99,
      'ms',
      'bare Express, p99',
      floor.health.p99,
      floor.route.p99 / floor.health.p99,
    );
  } finally {
    await seeded.close();
  }
}

module.exports = { benchRegistry, line, seedScript, startSeededApi };
