'use strict';
// Benchmark of certificate PDFs: warm render latency and throughput through the API, beside the same
// template rendered by puppeteer-core straight to Chromium in the same run, and Chromium's process
// count before and after 500 renders.
//
// Every measured request asks for a certificate and language not rendered before, so that it is a
// real render (a repeat is served from storage; that is measured separately as "stored").
const { randomBytes } = require('node:crypto');
const { mkdtempSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const { median, percentile, ROOT, stopApi } = require('./bench-support');
const { line, startSeededApi } = require('./registry-bench');

const CERTIFICATES = 1000;
const SEQUENTIAL = Number(process.env.BENCH_PDF_SEQUENTIAL ?? 60);
const RENDERS = Number(process.env.BENCH_PDF_RENDERS ?? 500);
const CONCURRENT = 8;
const POOL_SIZE = 4; // PDF_PAGE_POOL_SIZE's default: the API and the baseline render as many at once
const LANGUAGES = ['en', 'fr', 'es'];
const ADMIN = { email: 'bench-admin@secretariat.bench', password: 'bench-admin-password-1' };
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Processes descended from `pid` (Chromium's browser, zygotes, renderers, GPU and utility processes). */
function descendants(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  const found = [];
  const queue = [pid];
  while (queue.length)
    for (const child of children.get(queue.shift()) ?? []) (found.push(child), queue.push(child));
  return found.length;
}

/**
 * The steady number of processes under `pid`: the median of 5 counts 200 ms apart, since Chromium
 * starts short-lived helper processes now and then that are not growth.
 */
async function settledDescendants(pid) {
  const counts = [];
  for (let sample = 0; sample < 5; sample += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    counts.push(descendants(pid));
  }
  return median(counts);
}

/** `count` jobs run by `concurrency` loops; resolves to each job's latency and the elapsed time. */
async function run(count, concurrency, job) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  const loop = async () => {
    while (next < count) {
      const index = next++;
      const begun = performance.now();
      await job(index);
      latencies.push(performance.now() - begun);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/** The certificate template of the built product, rendered with a model like the API's. */
async function baselineHtml(number, lang) {
  const Handlebars = require('handlebars');
  const { toString: qrCodeSvg } = require('qrcode');
  const { CERTIFICATE_TEMPLATE } = require(
    join(ROOT, 'dist/libs/certificates/src/documents/certificate-template'),
  );
  const { CERTIFICATE_MESSAGES } = require(
    join(ROOT, 'dist/libs/certificates/src/documents/certificate-messages'),
  );
  const url = `http://localhost:3000/registry/${number}`;
  return Handlebars.compile(CERTIFICATE_TEMPLATE)({
    lang,
    t: CERTIFICATE_MESSAGES[lang],
    verificationUrl: url,
    qrSvg: await qrCodeSvg(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }),
    notice: null,
    certificate: {
      number,
      institution: `Cooperativa Andina ${number.slice(-4)}`,
      country: 'Peru',
      certifier: 'Andes Social Rating',
      edition: 'Client Protection Standards 2022 (v3.0)',
      level: 'Gold',
      isTiered: true,
      issuedOn: '23 November 2026',
      validUntil: '22 November 2029',
      checkInDueOn: null,
      packageSha256: randomBytes(32).toString('hex'),
    },
  });
}

/** puppeteer-core straight to Chromium: the same flags, a pool of pages kept open, no API. */
async function baseline(sequentialCount, renderCount) {
  const puppeteer = require('puppeteer-core');
  // The flags PdfRenderer launches Chromium with.
  const { CHROMIUM_ARGS } = require(join(ROOT, 'dist/libs/documents/src/chromium-args'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const pages = await Promise.all(Array.from({ length: POOL_SIZE }, () => browser.newPage()));
    for (const page of pages) await page.setJavaScriptEnabled(false);
    const free = [...pages];
    const waiting = [];
    const render = async (index) => {
      const html = await baselineHtml(`CPC-2026-${String(index).padStart(4, '0')}`, LANGUAGES[index % 3]);
      const page = free.pop() ?? (await new Promise((resolve) => waiting.push(resolve)));
      try {
        await page.setContent(html, { waitUntil: 'load' });
        await page.pdf({ format: 'A4', landscape: true, printBackground: true, preferCSSPageSize: true });
      } finally {
        const next = waiting.shift();
        if (next) next(page);
        else free.push(page);
      }
    };
    await run(3, 1, render);
    const sequential = await run(sequentialCount, 1, render);
    const concurrent = await run(renderCount, CONCURRENT, render);
    return { sequential, concurrent };
  } finally {
    await browser.close();
  }
}

async function benchDocuments() {
  const seeded = await startSeededApi('documents', CERTIFICATES, {
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // The bench signs in with a password alone (the secretariat's admins need a second factor by default).
    MFA_REQUIRED_ROLES: 'none',
    PDF_PAGE_POOL_SIZE: String(POOL_SIZE),
  });
  const { api } = seeded;
  try {
    const login = await fetch(`${api.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const { accessToken } = await login.json();
    if (!accessToken) throw new Error(`bench admin sign-in failed: ${login.status}`);
    const headers = { authorization: `Bearer ${accessToken}` };
    const numbers = [];
    for (let page = 1; numbers.length < CERTIFICATES; page += 1) {
      const listed = await (
        await fetch(`${api.base}/api/v1/certificates?pageSize=100&page=${page}`, { headers })
      ).json();
      if (!listed.items?.length) break;
      numbers.push(...listed.items.map((item) => item.certificateNumber));
    }
    let used = 0;
    const fresh = () => {
      const index = used++;
      if (index >= numbers.length * LANGUAGES.length)
        throw new Error('not enough certificates for fresh renders');
      return `/api/v1/certificates/${numbers[index % numbers.length]}/pdf?lang=${LANGUAGES[Math.floor(index / numbers.length)]}`;
    };
    const get = async (path) => {
      const response = await fetch(`${api.base}${path}`, { headers });
      const body = Buffer.from(await response.arrayBuffer());
      if (response.status !== 200 || body.subarray(0, 5).toString() !== '%PDF-')
        throw new Error(`GET ${path}: ${response.status} ${body.subarray(0, 300).toString()}`);
    };

    // Warm: Chromium started, the whole pool of pages open (one renderer process each), templates compiled.
    const warmPaths = Array.from({ length: 2 * CONCURRENT }, fresh);
    await run(warmPaths.length, CONCURRENT, (index) => get(warmPaths[index]));
    const sequentialPaths = Array.from({ length: SEQUENTIAL }, fresh);
    const sequential = await run(SEQUENTIAL, 1, (index) => get(sequentialPaths[index]));
    const stored = await run(SEQUENTIAL, 1, (index) => get(sequentialPaths[index]));
    const before = await settledDescendants(api.child.pid);
    const concurrentPaths = Array.from({ length: RENDERS }, fresh);
    const concurrent = await run(RENDERS, CONCURRENT, (index) => get(concurrentPaths[index]));
    const after = await settledDescendants(api.child.pid);
    await stopApi(api);

    const direct = await baseline(SEQUENTIAL, RENDERS);

    console.log(
      `\nCertificate PDFs (${seeded.isEmbedded ? 'embedded PGlite' : 'PostgreSQL server'}, local-disk storage, Chromium ${CHROMIUM_PATH}, ` +
        `pool of ${POOL_SIZE} pages): each API request renders a certificate/language not rendered before`,
    );
    const p50 = percentile(sequential.latencies, 50);
    const directP50 = percentile(direct.sequential.latencies, 50);
    line(
      'warm render through the API, p50',
      p50,
      'ms',
      'puppeteer-core direct, p50',
      directP50,
      p50 / directP50,
      `goal ≤ 150 ms: ${p50 <= 150 ? 'met' : 'NOT met'}`,
    );
    line(
      'warm render through the API, p95',
      percentile(sequential.latencies, 95),
      'ms',
      'puppeteer-core direct, p95',
      percentile(direct.sequential.latencies, 95),
      percentile(sequential.latencies, 95) / percentile(direct.sequential.latencies, 95),
    );
    const storedP50 = percentile(stored.latencies, 50);
    line(
      'the same PDFs again (from storage), p50',
      storedP50,
      'ms',
      'warm render through the API',
      p50,
      storedP50 / p50,
    );
    const perSecond = RENDERS / concurrent.seconds;
    const directPerSecond = RENDERS / direct.concurrent.seconds;
    line(
      `${RENDERS} renders, ${CONCURRENT} concurrent, PDFs/s`,
      perSecond,
      'PDF/s',
      'puppeteer-core direct, PDFs/s',
      directPerSecond,
      perSecond / directPerSecond,
      `goal ≥ 10: ${perSecond >= 10 ? 'met' : 'NOT met'}`,
    );
    line(
      `  p99 latency at ${CONCURRENT} concurrent`,
      percentile(concurrent.latencies, 99),
      'ms',
      'puppeteer-core direct, p99',
      percentile(direct.concurrent.latencies, 99),
      percentile(concurrent.latencies, 99) / percentile(direct.concurrent.latencies, 99),
    );
    console.log(
      `${'Chromium processes under the API (settled)'.padEnd(44)} before ${before}, after ${RENDERS} renders ${after}   goal: no growth: ${after <= before ? 'met' : 'NOT met'}`,
    );
  } finally {
    await seeded.close();
  }
}

module.exports = { benchDocuments };
