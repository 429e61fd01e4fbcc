'use strict';
// `npm run bench -- audit`: GET /audit/verify over a chain of BENCH_AUDIT_EVENTS (default 1,000,000)
// events seeded on their own (no cases, ratings or evidence), beside baselines from the same run:
// `SELECT count(*)`, a raw stream of the same rows without hashing, and the walk as it was before
// (entity-shaped rows with Date and JSON parsing, canonicalJson over the whole event) over a prefix.
// Then one event deep in the chain is changed behind the product's back and the walk must name it.
const { createHash, randomBytes } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

const { benchApiEnv, onServer, ROOT, startApi, stopApi, withDatabase } = require('./bench-support');

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1000000);
const OLD_EVENTS = Math.min(EVENTS, Number(process.env.BENCH_AUDIT_OLD_EVENTS ?? 200000));
const PASSWORD = 'Bench-password-1';
const SEED_BATCH = 10000;
const READ_BATCH = 5000;

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

function rssMiB(pid) {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return match ? Number(match[1]) / 1024 : NaN;
}

function uuidOf(text) {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Appends EVENTS events after the API's own, hashed by the built hashAuditEvent, 10,000 per INSERT. */
async function seed(client) {
  const { hashAuditEvent } = require(join(ROOT, 'dist/libs/audit/src/audit-hash.util.js'));
  const {
    rows: [last],
  } = await client.query('SELECT hash FROM audit_event ORDER BY sequence DESC LIMIT 1');
  let previousHash = last?.hash ?? null;
  const started = Date.now() - EVENTS;
  const cases = Array.from({ length: 50000 }, (_, n) => uuidOf(`case-${n}`));
  const actors = Array.from({ length: 40 }, (_, n) => uuidOf(`user-${n}`));
  for (let from = 0; from < EVENTS; from += SEED_BATCH) {
    const columns = Array.from({ length: 12 }, () => []);
    for (let n = from; n < Math.min(EVENTS, from + SEED_BATCH); n += 1) {
      const caseId = cases[n % 50000];
      const event = {
        id: uuidOf(`event-${n}`),
        occurredAt: new Date(started + n),
        actorId: actors[n % 40],
        actorName: 'Lead rater',
        entityType: 'case',
        entityId: caseId,
        caseId,
        action: n % 10 ? 'ratings.saved' : 'case.transitioned',
        fromStatus: null,
        toStatus: null,
        reason: n % 10 ? null : `Step ${n}: reviewed`,
        data: n % 10 ? { count: n % 97, indicators: ['1.1.1', '2.3.4'] } : { version: n % 7 },
        previousHash,
      };
      event.hash = hashAuditEvent(event);
      previousHash = event.hash;
      [
        event.id,
        event.occurredAt.toISOString(),
        event.actorId,
        event.actorName,
        event.entityType,
        event.entityId,
        event.caseId,
        event.action,
        event.reason,
        JSON.stringify(event.data),
        event.previousHash,
        event.hash,
      ].forEach((value, index) => columns[index].push(value));
    }
    await client.query(
      `INSERT INTO audit_event (id, occurred_at, actor_id, actor_name, entity_type, entity_id, case_id, action, reason,
                                data, previous_hash, hash)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::uuid[],
                            $8::text[], $9::text[], $10::jsonb[], $11::text[], $12::text[])`,
      columns,
    );
  }
}

const RAW_TEXT = { getTypeParser: () => (value) => value };

/** Baseline: the rows verifyChain reads, same SQL and batches, as raw text, without hashing. */
async function rawStream(client) {
  let after = '0';
  let count = 0;
  for (;;) {
    const { rows } = await client.query({
      text: `SELECT audit_event.sequence::text AS after, id::text,
               to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), actor_id::text, actor_name,
               entity_type, entity_id, case_id::text, action, from_status, to_status, reason, data::text,
               previous_hash::text, hash::text
             FROM audit_event WHERE audit_event.sequence > $1 ORDER BY audit_event.sequence LIMIT ${READ_BATCH}`,
      values: [after],
      rowMode: 'array',
      types: RAW_TEXT,
    });
    count += rows.length;
    if (rows.length < READ_BATCH) return count;
    after = rows[rows.length - 1][0];
  }
}

/** Baseline: the walk as it was before this change (commit 7f32697), over the first `limit` events. */
async function previousWalk(client, limit) {
  const { canonicalJson } = require(join(ROOT, 'dist/libs/common/src/canonical-json.util.js'));
  const hashBefore = (event) =>
    createHash('sha256')
      .update(canonicalJson({ ...event, occurredAt: event.occurredAt.toISOString() }))
      .digest('hex');
  let previousHash = null;
  let after = '0';
  let count = 0;
  while (count < limit) {
    const { rows } = await client.query(
      `SELECT id, sequence::text AS sequence, occurred_at, actor_id, actor_name, entity_type, entity_id, case_id,
              action, from_status, to_status, reason, data, previous_hash, hash
       FROM audit_event WHERE audit_event.sequence > $1 ORDER BY audit_event.sequence LIMIT $2`,
      [after, 1000],
    );
    for (const row of rows) {
      count += 1;
      const hash = hashBefore({
        id: row.id,
        occurredAt: row.occurred_at,
        actorId: row.actor_id,
        actorName: row.actor_name,
        entityType: row.entity_type,
        entityId: row.entity_id,
        caseId: row.case_id,
        action: row.action,
        fromStatus: row.from_status,
        toStatus: row.to_status,
        reason: row.reason,
        data: row.data,
        previousHash: row.previous_hash,
      });
      if (row.previous_hash !== previousHash || hash !== row.hash) throw new Error(`broken at ${row.id}`);
      previousHash = row.hash;
    }
    if (rows.length < 1000) break;
    after = rows[rows.length - 1].sequence;
  }
  return count;
}

/** GET /audit/verify, with the API's RSS sampled every 50 ms. */
async function verifyThroughApi(api, token) {
  const pid = api.child.pid;
  const before = rssMiB(pid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 50);
  const started = performance.now();
  try {
    const response = await fetch(`${api.base}/api/v1/audit/verify`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(900000),
    });
    const body = await response.json();
    if (response.status !== 200)
      throw new Error(`GET /audit/verify: ${response.status} ${JSON.stringify(body)}`);
    return { body, seconds: (performance.now() - started) / 1000, before, after: rssMiB(pid), peak };
  } finally {
    clearInterval(sampler);
  }
}

async function timed(what, run) {
  const started = performance.now();
  const value = await run();
  return { what, value, seconds: (performance.now() - started) / 1000 };
}

function line(label, events, seconds, note = '') {
  const perSecond = events / seconds;
  console.log(
    `${label.padEnd(52)} ${perSecond.toFixed(0).padStart(9)} ev/s  ${events.toLocaleString('en').padStart(9)} in ${seconds.toFixed(1).padStart(5)} s  ${note}`,
  );
  return perSecond;
}

async function benchAudit() {
  const server = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  // BENCH_AUDIT_DATABASE: keep the seeded database under this name and reuse it on the next run.
  const kept = process.env.BENCH_AUDIT_DATABASE || undefined;
  const database = kept ?? `cpc_bench_audit_${randomBytes(4).toString('hex')}`;
  const url = withDatabase(server, database);
  const directory = mkdtempSync(join(tmpdir(), 'cpc-bench-audit-'));
  const env = benchApiEnv(directory, {
    DATABASE_URL: url,
    ADMIN_EMAIL: 'secretariat@audit.bench',
    ADMIN_PASSWORD: PASSWORD,
    MFA_REQUIRED_ROLES: 'none',
  });
  const { Client } = require('pg');
  let api;
  let client;
  try {
    await onServer(withDatabase(server, 'postgres'), `CREATE DATABASE "${database}"`);
    api = await startApi(env); // migrates, seeds the admin and the reference data
    await stopApi(api);
    client = new Client({ connectionString: url });
    await client.connect();
    console.log(`\nAudit chain: seeding ${EVENTS.toLocaleString('en')} events (load average ${load()})`);
    const seeded = await timed('seed', () => seed(client));
    await client.query('VACUUM ANALYZE audit_event');
    const total = Number((await client.query('SELECT count(*) AS n FROM audit_event')).rows[0].n);
    console.log(
      `  seeded in ${seeded.seconds.toFixed(1)} s; ${total.toLocaleString('en')} events in the chain`,
    );

    api = await startApi(env);
    const { accessToken } = await (
      await fetch(`${api.base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: env.ADMIN_EMAIL, password: PASSWORD }),
      })
    ).json();

    console.log(`\nGET /audit/verify over ${total.toLocaleString('en')} events (load average ${load()})`);
    const count = await timed('count', () => client.query('SELECT count(*) FROM audit_event'));
    line('baseline: SELECT count(*)', total, count.seconds);
    const raw = await timed('raw', () => rawStream(client));
    line('baseline: raw stream of the same rows, no hashing', raw.value, raw.seconds, '(bench process)');
    const previous = await timed('previous', () => previousWalk(client, OLD_EVENTS));
    const previousPerSecond = line(
      'baseline: the walk before this change, a prefix',
      previous.value,
      previous.seconds,
      '(bench process)',
    );
    const walk = await verifyThroughApi(api, accessToken);
    if (!walk.body.valid || walk.body.events !== total)
      throw new Error(`verify: ${JSON.stringify(walk.body)}, expected ${total} events, intact`);
    const perSecond = line(
      'GET /audit/verify (API process)',
      total,
      walk.seconds,
      `${(total / walk.seconds / previousPerSecond).toFixed(1)}× the walk before; goal ≥ 100000: ${total / walk.seconds >= 100000 ? 'met' : 'NOT met'}`,
    );
    console.log(
      `${'API RSS before / after / peak during the walk'.padEnd(52)} ${walk.before.toFixed(0)} / ${walk.after.toFixed(0)} / ${walk.peak.toFixed(0)} MiB (growth ${(walk.peak - walk.before).toFixed(1)} MiB)`,
    );

    // One event deep in the chain changed behind the product's back: the walk must name it.
    const {
      rows: [target],
    } = await client.query(
      `SELECT id, sequence, data::text AS data FROM audit_event ORDER BY sequence OFFSET $1 LIMIT 1`,
      [Math.floor(total * 0.9)],
    );
    const tamper = async (sql, values) => {
      await client.query('BEGIN');
      await client.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only');
      await client.query(sql, values);
      await client.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only');
      await client.query('COMMIT');
    };
    await tamper(`UPDATE audit_event SET data = data || '{"count": 0}' WHERE id = $1`, [target.id]);
    const tampered = await verifyThroughApi(api, accessToken);
    await tamper('UPDATE audit_event SET data = $1::jsonb WHERE id = $2', [target.data, target.id]);
    const caught = !tampered.body.valid && tampered.body.firstBrokenEventId === target.id;
    line(
      `GET /audit/verify, event #${Number(target.sequence).toLocaleString('en')} changed`,
      Math.floor(total * 0.9),
      tampered.seconds,
      caught ? 'named the changed event' : `NOT caught: ${JSON.stringify(tampered.body)}`,
    );
    console.log(
      `${'API RSS before / after / peak, second walk'.padEnd(52)} ${tampered.before.toFixed(0)} / ${tampered.after.toFixed(0)} / ${tampered.peak.toFixed(0)} MiB (a leak would grow past the first walk's peak)`,
    );
    if (!caught) throw new Error('the changed event was not named');
    console.log(`  (load average at the end ${load()}; ${perSecond.toFixed(0)} ev/s)`);
  } finally {
    await client?.end();
    await stopApi(api);
    if (!kept)
      await onServer(withDatabase(server, 'postgres'), `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    rmSync(directory, { recursive: true, force: true });
  }
}

module.exports = { benchAudit };
