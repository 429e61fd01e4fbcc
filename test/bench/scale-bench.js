'use strict';
// `npm run bench -- scale`: the case routes at the size of the whole field. A fresh database on the
// PostgreSQL server of DATABASE_URL (default the local one) is migrated by the API, then seeded by SQL
// (generate_series) with 20,000 institutions, 50,000 cases across every status under one certification
// body (two lead raters share them), the ratings of every indicator of every case past draft (~4.4 M),
// 200,000 evidence rows and 1,000,000 audit events; the API starts again and each route is measured at
// 10 concurrent callers beside GET /health/live, in alternating rounds (see registry-bench.js).
//
// BENCH_SCALE (1) multiplies every count (0.02 for a quick run), BENCH_SCALE_CONCURRENCY (10),
// BENCH_DURATION_MS (5000 per side and route), BENCH_WARM_UP_MS (1000). BENCH_SCALE_DATABASE=<name>
// keeps the seeded database under that name instead of a fresh one dropped after the run: the first run
// seeds it, later runs find it seeded (cases present) and only migrate it (the API's start) and measure,
// which saves the minutes of seeding while iterating on queries. Drop it by hand when done.
const { randomBytes } = require('node:crypto');
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const { join } = require('node:path');
const {
  benchApiEnv,
  onServer,
  percentile,
  ROOT,
  startApi,
  stopApi,
  withDatabase,
} = require('./bench-support');
const { line } = require('./registry-bench');

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const INSTITUTIONS = Math.max(1, Math.round(20000 * SCALE));
const CASES = Math.max(22, Math.round(50000 * SCALE));
const EVIDENCE = Math.round(200000 * SCALE);
const AUDIT_EVENTS = Math.round(1000000 * SCALE);
const CONCURRENCY = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 10);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 5000);
const WARM_UP_MS = Number(process.env.BENCH_WARM_UP_MS ?? 1000);
const ROUNDS = 5;
const LIST_RATIO_GOAL = 0.25;
const CASE_RATIO_GOAL = 0.3;
const P99_GOAL_MS = 50;
const PASSWORD = 'scale-bench-password-1';

const STATUSES = [
  'draft',
  'submitted',
  'desk_review',
  'onsite',
  'findings_issued',
  'committee_review',
  'decided',
  'under_appeal',
  'closed',
  'declined',
  'withdrawn',
];
const CERTIFIER_ID = '00000000-0000-4000-8000-00000000c001';
const USERS = {
  certifierAdmin: ['00000000-0000-4000-8000-0000000000a1', 'certifier_admin', CERTIFIER_ID],
  leadRater: ['00000000-0000-4000-8000-0000000000a2', 'rater', CERTIFIER_ID],
  otherRater: ['00000000-0000-4000-8000-0000000000a3', 'rater', CERTIFIER_ID],
  institution: ['00000000-0000-4000-8000-0000000000a4', 'institution_admin', null],
};
const emailOf = (name) => `${name.toLowerCase()}@scale.bench`;

/** The seed, one statement per step so that progress can be printed. */
function seedSteps(passwordHash) {
  const statuses = `ARRAY[${STATUSES.map((status) => `'${status}'`).join(', ')}]`;
  const institution = (n) => `md5('institution-' || (${n}) % ${INSTITUTIONS})::uuid`;
  const users = Object.entries(USERS)
    .map(
      ([name, [id, role, organization]]) =>
        `('${id}', ${organization ? `'${organization}'::uuid` : institution(0)}, '${emailOf(name)}', '${name}', '${role}', '${passwordHash}', now() - interval '1 day')`,
    )
    .join(',\n');
  return [
    [
      'organizations and users',
      `INSERT INTO organization (id, kind, name, country, license_valid_from, license_valid_until)
         VALUES ('${CERTIFIER_ID}', 'certifier', 'Scale Rating', 'PE', DATE '2015-01-01', DATE '2035-12-31');
       INSERT INTO organization (id, kind, name, country, profile)
         SELECT ${institution('n')}, 'institution', 'Institution ' || n, 'PE', '{}'::jsonb
         FROM generate_series(0, ${INSTITUTIONS - 1}) AS n;
       INSERT INTO user_account (id, organization_id, email, name, role, password_hash, password_changed_at)
         VALUES ${users};`,
    ],
    [
      `${CASES} cases and their teams`,
      `INSERT INTO certification_case (id, type, status, institution_id, certifier_id, edition_id, status_changed_at,
                                       created_by, submitted_at, created_at, updated_at, version)
         SELECT md5('case-' || n)::uuid, 'certification', (${statuses})[1 + n % ${STATUSES.length}],
                ${institution('n')}, '${CERTIFIER_ID}', 'cps-2016', now() - make_interval(mins => n),
                '${USERS.institution[0]}', CASE WHEN n % ${STATUSES.length} = 0 THEN NULL ELSE now() - make_interval(mins => n) END,
                now() - make_interval(mins => n), now() - make_interval(mins => n), 1 + n % 7
         FROM generate_series(0, ${CASES - 1}) AS n;
       INSERT INTO case_team_member (case_id, user_id, team_role)
         SELECT md5('case-' || n)::uuid, CASE WHEN n % 2 = 0 THEN '${USERS.leadRater[0]}'::uuid ELSE '${USERS.otherRater[0]}'::uuid END,
                'lead_rater'
         FROM generate_series(0, ${CASES - 1}) AS n;`,
    ],
    [
      'ratings of every indicator of every case past draft',
      `INSERT INTO indicator_rating (case_id, indicator_code, rating, justification, version, rated_by, rated_at)
         SELECT md5('case-' || n)::uuid, i.code, CASE WHEN n % 5 = 0 AND i.position % 9 = 0 THEN 'not_met' ELSE 'met' END,
                CASE WHEN n % 5 = 0 AND i.position % 9 = 0 THEN 'Seen in the files' END, 1,
                CASE WHEN n % 2 = 0 THEN '${USERS.leadRater[0]}'::uuid ELSE '${USERS.otherRater[0]}'::uuid END, now()
         FROM generate_series(0, ${CASES - 1}) AS n CROSS JOIN standard_indicator AS i
         WHERE i.edition_id = 'cps-2016' AND n % ${STATUSES.length} <> 0;`,
    ],
    [
      `${EVIDENCE} evidence rows`,
      `INSERT INTO evidence_item (id, case_id, title, created_by, created_at)
         SELECT md5('evidence-' || n)::uuid, md5('case-' || n % ${CASES})::uuid, 'Evidence ' || n,
                '${USERS.institution[0]}', now() - make_interval(secs => n)
         FROM generate_series(0, ${EVIDENCE - 1}) AS n;
       INSERT INTO evidence_version (id, evidence_id, version_number, storage_key, file_name, content_type, size, sha256, uploaded_by)
         SELECT md5('evidence-version-' || n)::uuid, md5('evidence-' || n)::uuid, 1, 'bench/' || n, 'scan.pdf',
                'application/pdf', 1024, md5('a' || n) || md5('b' || n), '${USERS.institution[0]}'
         FROM generate_series(0, ${EVIDENCE - 1}) AS n;
       INSERT INTO evidence_indicator (evidence_id, indicator_code)
         SELECT md5('evidence-' || n)::uuid, '1.1.1' FROM generate_series(0, ${EVIDENCE - 1}) AS n;`,
    ],
    [`${AUDIT_EVENTS} audit events, hash-chained after the API's own`, seedAuditChain],
    ['VACUUM ANALYZE', 'VACUUM ANALYZE'],
    // The seed's gigabytes of dirty pages written out now, as pgbench's own runs begin, rather than
    // by the checkpointer during the first routes' measurements.
    ['CHECKPOINT', 'CHECKPOINT'],
  ];
}

/**
 * Appends AUDIT_EVENTS events to the chain, hashed as the product hashes them (the built
 * hashAuditEvent), in batches of one multi-row INSERT each: /audit/verify must find it intact.
 */
async function seedAuditChain(url) {
  const { hashAuditEvent } = require(join(ROOT, 'dist/libs/audit/src/audit-hash.util.js'));
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const {
      rows: [last],
    } = await client.query('SELECT hash FROM audit_event ORDER BY sequence DESC LIMIT 1');
    let previousHash = last?.hash ?? null;
    const started = Date.now() - AUDIT_EVENTS;
    const BATCH = 10000;
    for (let from = 0; from < AUDIT_EVENTS; from += BATCH) {
      const columns = Array.from({ length: 11 }, () => []);
      for (let n = from; n < Math.min(AUDIT_EVENTS, from + BATCH); n += 1) {
        const caseId = caseUuid(n % CASES);
        const event = {
          id: uuidOf(`event-${n}`),
          occurredAt: new Date(started + n),
          actorId: USERS.leadRater[0],
          actorName: 'Lead rater',
          entityType: 'case',
          entityId: caseId,
          caseId,
          action: 'rating.saved',
          fromStatus: null,
          toStatus: null,
          reason: null,
          data: { count: n % 97 },
          previousHash,
        };
        event.hash = hashAuditEvent(event);
        previousHash = event.hash;
        const values = [
          event.id,
          event.occurredAt.toISOString(),
          event.actorId,
          event.actorName,
          event.entityType,
          event.entityId,
          event.caseId,
          event.action,
          JSON.stringify(event.data),
          event.previousHash,
          event.hash,
        ];
        values.forEach((value, index) => columns[index].push(value));
      }
      await client.query(
        `INSERT INTO audit_event (id, occurred_at, actor_id, actor_name, entity_type, entity_id, case_id, action, data,
                                  previous_hash, hash)
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::uuid[],
                              $8::text[], $9::jsonb[], $10::text[], $11::text[])`,
        columns,
      );
    }
  } finally {
    await client.end();
  }
}

/** md5(text)::uuid, as the SQL of the seed writes it. */
function uuidOf(text) {
  const hex = require('node:crypto').createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
const caseUuid = (n) => uuidOf(`case-${n}`);

async function call(base, method, path, token, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Closed-loop load with a bearer token (see registry-bench.js); any status but 200 fails the bench. */
async function load(base, path, token, durationMs) {
  // `path` may be a function of the request's number: a route read across many records in turn.
  let sent = 0;
  const pathOf = typeof path === 'function' ? () => path(sent++) : () => path;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const { hostname, port } = new URL(base);
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const latencies = [];
  const request = () =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const next = pathOf();
      const outgoing = http.get({ host: hostname, port, path: next, agent, headers }, (response) => {
        response.on('data', () => undefined);
        response.on('end', () => {
          if (response.statusCode !== 200) reject(new Error(`GET ${next}: ${response.statusCode}`));
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
    await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  } finally {
    agent.destroy();
  }
  return { latencies, elapsedMs: performance.now() - started };
}

async function measureAgainstHealth(base, path, token) {
  await load(base, '/health/live', null, WARM_UP_MS);
  await load(base, path, token, WARM_UP_MS);
  const sides = { route: [], health: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    sides.health.push(await load(base, '/health/live', null, DURATION_MS / ROUNDS));
    sides.route.push(await load(base, path, token, DURATION_MS / ROUNDS));
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

/** The API's resident memory in MiB, from /proc (Linux). */
function rssMiB(pid) {
  const match = require('node:fs')
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .match(/VmRSS:\s+(\d+) kB/);
  return match ? Number(match[1]) / 1024 : NaN;
}

/** GET /audit/verify over the whole chain: events per second and the API's RSS growth meanwhile. */
async function benchVerify(api, token, events) {
  const pid = api.child.pid;
  const before = rssMiB(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 50);
  const started = performance.now();
  let result;
  try {
    // node:http, not fetch: fetch gives up after 300 s without response headers, which a walk of the
    // whole chain on a loaded machine can take (the answer comes when the walk is done).
    result = await new Promise((resolve, reject) => {
      const { hostname, port } = new URL(api.base);
      const outgoing = http.get(
        { host: hostname, port, path: '/api/v1/audit/verify', headers: { Authorization: `Bearer ${token}` } },
        (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () =>
            response.statusCode === 200
              ? resolve(JSON.parse(text))
              : reject(new Error(`GET /audit/verify: ${response.statusCode} ${text}`)),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
    });
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  if (!result.valid || result.events !== events)
    throw new Error(`verify: ${JSON.stringify(result)}, expected ${events} events, intact`);
  const perSecond = events / seconds;
  console.log(`\nGET /audit/verify over ${events.toLocaleString('en')} events`);
  console.log(
    `${'events verified per second'.padEnd(44)} ${perSecond.toFixed(0).padStart(7)} ev/s  in ${seconds.toFixed(1)} s   goal ≥ 100000: ${perSecond >= 100000 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `${'API peak RSS growth during the walk'.padEnd(44)} ${(peak - before).toFixed(1).padStart(7)} MiB  (RSS ${before.toFixed(0)} → ${peak.toFixed(0)} MiB)`,
  );
}

async function benchScale() {
  const server = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const kept = process.env.BENCH_SCALE_DATABASE || undefined;
  const database = kept ?? `cpc_bench_scale_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(server, database);
  const { mkdtempSync, rmSync } = require('node:fs');
  const { tmpdir } = require('node:os');
  const directory = mkdtempSync(join(tmpdir(), 'cpc-bench-scale-'));
  const env = benchApiEnv(directory, {
    DATABASE_URL: url,
    ADMIN_EMAIL: 'secretariat@scale.bench',
    ADMIN_PASSWORD: PASSWORD,
    MFA_REQUIRED_ROLES: 'none',
    // The limiter runs (its cost is part of every figure) but never refuses the load generator.
    RATE_LIMIT_PER_MINUTE: '1000000',
  });
  let api;
  try {
    const exists =
      kept !== undefined &&
      (
        await onServer(
          withDatabase(server, 'postgres'),
          `SELECT 1 FROM pg_database WHERE datname = '${database}'`,
        )
      ).rowCount > 0;
    if (!exists) await onServer(withDatabase(server, 'postgres'), `CREATE DATABASE "${database}"`);
    api = await startApi(env);
    await stopApi(api);
    const seeded =
      exists &&
      Number((await onServer(url, 'SELECT count(*) AS n FROM certification_case')).rows[0].n) >= CASES;
    const argon2 = require('argon2');
    const hash = await argon2.hash(PASSWORD, {
      type: argon2.argon2id,
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
    });
    const seedStarted = performance.now();
    if (seeded) console.log(`  reusing the seeded database ${database} (BENCH_SCALE_DATABASE)`);
    for (const [what, sql] of seeded ? [] : seedSteps(hash)) {
      const stepStarted = performance.now();
      if (typeof sql === 'function') await sql(url);
      else await onServer(url, sql);
      console.log(`  seeded ${what} in ${((performance.now() - stepStarted) / 1000).toFixed(1)} s`);
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const {
      rows: [counts],
    } = await onServer(
      url,
      `SELECT (SELECT count(*) FROM organization WHERE kind = 'institution') AS institutions,
              (SELECT count(*) FROM certification_case) AS cases,
              (SELECT count(*) FROM indicator_rating) AS ratings,
              (SELECT count(*) FROM evidence_item) AS evidence,
              (SELECT count(*) FROM audit_event) AS events`,
    );
    api = await startApi(env);
    const base = api.base;
    const login = async (email) =>
      (await call(base, 'POST', '/api/v1/auth/login', null, { email, password: PASSWORD })).accessToken;
    const tokens = {
      secretariat: await login(env.ADMIN_EMAIL),
      'certifier admin': await login(emailOf('certifierAdmin')),
      'lead rater': await login(emailOf('leadRater')),
      institution: await login(emailOf('institution')),
    };
    // A case in committee review (n = 5): every indicator rated, the lead rater's.
    const caseId = (await onServer(url, `SELECT md5('case-' || 16)::uuid AS id`)).rows[0].id;

    const routes = [];
    for (const [who, token] of Object.entries(tokens)) {
      for (const page of [1, 200]) {
        routes.push([
          `case list p${page}, desk_review, ${who}`,
          `/api/v1/cases?status=desk_review&page=${page}&pageSize=10`,
          token,
          LIST_RATIO_GOAL,
        ]);
      }
    }
    for (const [what, suffix] of [
      ['one case', ''],
      ['its ratings', '/ratings'],
      ['its results', '/results'],
      ['its history', '/history'],
    ]) {
      routes.push([`${what}`, `/api/v1/cases/${caseId}${suffix}`, tokens.secretariat, CASE_RATIO_GOAL]);
    }
    // The same routes read across 1,000 cases in committee review in turn: every read renders its
    // answer anew (more cases than the rendered answers kept), the cost of a first read. No goal.
    const manyCases = (
      await onServer(
        url,
        `SELECT id FROM certification_case WHERE status = 'committee_review' ORDER BY id LIMIT 1000`,
      )
    ).rows.map((row) => row.id);
    for (const suffix of ['/ratings', '/results']) {
      routes.push([
        `${suffix.slice(1)}, ${manyCases.length} cases in turn`,
        (n) => `/api/v1/cases/${manyCases[n % manyCases.length]}${suffix}`,
        tokens.secretariat,
        undefined,
      ]);
    }
    for (const [, path, token] of routes) {
      await call(base, 'GET', typeof path === 'function' ? path(0) : path, token);
    }

    console.log(
      `\nScale: ${Number(counts.institutions).toLocaleString('en')} institutions, ${Number(counts.cases).toLocaleString('en')} cases, ` +
        `${Number(counts.ratings).toLocaleString('en')} ratings, ${Number(counts.evidence).toLocaleString('en')} evidence rows, ` +
        `${Number(counts.events).toLocaleString('en')} audit events (${seeded ? `reused, seeded before` : `seeded in ${seedSeconds.toFixed(0)} s`}); ${CONCURRENCY} concurrent, ` +
        `each route alternates with GET /health/live, ${ROUNDS} rounds, ${DURATION_MS / 1000} s per side`,
    );
    for (const [name, path, token, ratioGoal] of routes) {
      const { route, health } = await measureAgainstHealth(base, path, token);
      const ratio = route.perSecond / health.perSecond;
      line(
        `${name}, req/s`,
        route.perSecond,
        'req/s',
        'GET /health/live, req/s',
        health.perSecond,
        ratio,
        ratioGoal === undefined ? '' : `goal ≥ ${ratioGoal}: ${ratio >= ratioGoal ? 'met' : 'NOT met'}`,
      );
      line(
        `${name}, p99`,
        route.p99,
        'ms',
        'GET /health/live, p99',
        health.p99,
        route.p99 / health.p99,
        ratioGoal === undefined
          ? ''
          : `goal < ${P99_GOAL_MS} ms: ${route.p99 < P99_GOAL_MS ? 'met' : 'NOT met'}`,
      );
    }
    await benchVerify(api, tokens.secretariat, Number(counts.events));
  } finally {
    await stopApi(api);
    if (!kept)
      await onServer(
        withDatabase(server, 'postgres'),
        `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`,
      ).catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
  }
}

module.exports = { benchScale, seedSteps };
