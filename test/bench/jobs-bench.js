'use strict';
// `npm run bench -- jobs`: the job queue. pg-boss 10 (as the worker configures it: on the product's pool
// through the same executor) beside the hand-made scheduler it replaced (rows claimed one at a time with
// `FOR UPDATE SKIP LOCKED` and a lease, the e-mail outbox's SQL before pg-boss), in the same run, on a
// PostgreSQL server (DATABASE_URL, default the local one) and on the embedded PGlite over pglite-socket.
// Both poll every 0.5 s (pg-boss's shortest interval; pg-boss waits it after every fetch, so it takes
// batches of 20 as the e-mail queue does), one handler each; a handler does nothing,
// so the figures are the queue's own cost.
const { performance } = require('node:perf_hooks');
const { join } = require('node:path');
const { median, percentile, ROOT, onServer, withDatabase } = require('./bench-support');

const BURST = Number(process.env.BENCH_JOBS ?? 2000);
const PACED = Number(process.env.BENCH_JOBS_PACED ?? 100);
// Below what either sustains (the hand-made one took about 12 jobs/s here), so latency is not backlog.
const PACE_MS = 200;
const POLL_SECONDS = 0.5;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** pg-boss on `pool`, through the product's executor (dist/libs/database/src/job-queue.js). */
async function pgBossQueue(pool) {
  const PgBoss = require('pg-boss');
  const { pgBossExecutor } = require(join(ROOT, 'dist/libs/database/src/job-queue.js'));
  const boss = new PgBoss({
    db: pgBossExecutor(() => pool.connect()),
    schema: 'pgboss',
    supervise: false,
    schedule: false,
  });
  boss.on('error', (error) => console.error('pg-boss:', error.message));
  await boss.start();
  await boss.createQueue('bench', { name: 'bench', retryLimit: 2, retryDelay: 60, retryBackoff: true });
  return {
    name: 'pg-boss 10.4.2',
    send: (sentAt) => boss.send('bench', { sentAt }),
    work: (handle) =>
      // As the e-mail queue: batches of 20, each job handled in turn.
      boss.work('bench', { pollingIntervalSeconds: POLL_SECONDS, batchSize: 20 }, async (jobs) => {
        for (const job of jobs) await handle(job.data.sentAt);
      }),
    stop: () => boss.stop({ graceful: true, wait: true, close: false }),
  };
}

/** The hand-made outbox: the claim/lease/mark SQL the e-mail outbox used before pg-boss. */
async function handMadeQueue(pool) {
  await pool.query('DROP TABLE IF EXISTS bench_outbox');
  await pool.query(`CREATE TABLE bench_outbox (
    id bigserial PRIMARY KEY, payload jsonb NOT NULL, status text NOT NULL DEFAULT 'pending',
    attempts integer NOT NULL DEFAULT 0, next_attempt_at timestamptz NOT NULL DEFAULT now())`);
  await pool.query(
    `CREATE INDEX bench_outbox_due ON bench_outbox (next_attempt_at) WHERE status = 'pending'`,
  );
  let stopped = false;
  let loop;
  const claim = async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `SELECT id, payload FROM bench_outbox WHERE status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      if (rows[0]) {
        await client.query(
          `UPDATE bench_outbox SET attempts = attempts + 1, next_attempt_at = now() + interval '300 seconds' WHERE id = $1`,
          [rows[0].id],
        );
      }
      await client.query('COMMIT');
      return rows[0];
    } finally {
      client.release();
    }
  };
  return {
    name: 'hand-made (SKIP LOCKED outbox)',
    send: (sentAt) => pool.query('INSERT INTO bench_outbox (payload) VALUES ($1)', [{ sentAt }]),
    work: async (handle) => {
      loop = (async () => {
        while (!stopped) {
          const row = await claim();
          if (!row) {
            await sleep(POLL_SECONDS * 1000);
            continue;
          }
          await handle(row.payload.sentAt);
          await pool.query(`UPDATE bench_outbox SET status = 'sent' WHERE id = $1 AND status = 'pending'`, [
            row.id,
          ]);
        }
      })();
    },
    stop: async () => {
      stopped = true;
      await loop;
      await pool.query('DROP TABLE IF EXISTS bench_outbox');
    },
  };
}

/** Burst: N jobs sent back to back, then drained (jobs/s from the first send to the last handled). Paced: one every 25 ms; latency send → handler. */
async function measure(queue) {
  let handled = 0;
  let latencies = [];
  let done;
  let expected = BURST;
  let finished = new Promise((resolve) => (done = resolve));
  await queue.work(async (sentAt) => {
    latencies.push(performance.timeOrigin + performance.now() - sentAt);
    handled += 1;
    if (handled === expected) done();
  });
  const started = performance.now();
  for (let index = 0; index < BURST; index += 1) await queue.send(performance.timeOrigin + performance.now());
  await finished;
  const burstSeconds = (performance.now() - started) / 1000;
  const burst = { perSecond: BURST / burstSeconds, p50: median(latencies) };

  handled = 0;
  latencies = [];
  expected = PACED;
  finished = new Promise((resolve) => (done = resolve));
  for (let index = 0; index < PACED; index += 1) {
    await queue.send(performance.timeOrigin + performance.now());
    await sleep(PACE_MS);
  }
  await finished;
  await queue.stop();
  return { burst, paced: { p50: median(latencies), p99: percentile(latencies, 99) } };
}

function print(where, boss, baseline) {
  const row = (what, value, base, unit, digits) =>
    console.log(
      `${`${where}: ${what}`.padEnd(52)} pg-boss ${value.toFixed(digits).padStart(8)} ${unit.padEnd(6)} hand-made ${base
        .toFixed(digits)
        .padStart(8)} ${unit.padEnd(6)} ratio ${(value / base).toFixed(2)}×`,
    );
  row(`burst of ${BURST}, jobs/s`, boss.burst.perSecond, baseline.burst.perSecond, 'jobs/s', 0);
  row(`paced (1 per ${PACE_MS} ms), latency p50`, boss.paced.p50, baseline.paced.p50, 'ms', 1);
  row(`paced (1 per ${PACE_MS} ms), latency p99`, boss.paced.p99, baseline.paced.p99, 'ms', 1);
}

async function onPool(url, max, run) {
  const { Pool } = require('pg');
  const pool = new Pool({ connectionString: url, max });
  try {
    return await run(pool);
  } finally {
    await pool.end();
  }
}

async function benchJobs() {
  console.log(
    `\njobs: ${BURST} jobs in a burst, then ${PACED} paced; one handler; idle poll ${POLL_SECONDS} s`,
  );
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `bench_jobs_${process.pid}`;
  await onServer(serverUrl, `CREATE DATABASE ${database}`);
  try {
    const url = withDatabase(serverUrl, database);
    const baseline = await onPool(url, 10, async (pool) => measure(await handMadeQueue(pool)));
    const boss = await onPool(url, 10, async (pool) => measure(await pgBossQueue(pool)));
    print('PostgreSQL', boss, baseline);
  } finally {
    await onServer(serverUrl, `DROP DATABASE ${database} WITH (FORCE)`);
  }

  // The embedded database as the quick start runs it: PGlite served over one socket connection.
  const { PGlite } = require('@electric-sql/pglite');
  const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');
  const embedded = async (run) => {
    const db = await PGlite.create('memory://');
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
    await server.start();
    try {
      return await onPool(
        `postgres://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`,
        1,
        run,
      );
    } finally {
      await server.stop();
      await db.close();
    }
  };
  const baseline = await embedded(async (pool) => measure(await handMadeQueue(pool)));
  const boss = await embedded(async (pool) => measure(await pgBossQueue(pool)));
  print('PGlite', boss, baseline);
}

module.exports = { benchJobs };
