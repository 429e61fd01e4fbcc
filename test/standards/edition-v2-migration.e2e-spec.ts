import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '@app/common';
import { PasswordHasher } from '@app/identity';
import { convertV1ToV2, type EditionDocument } from '@app/standards';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../libs/database/src/data-source-options';
import { MIGRATIONS } from '../../migrations';
import { EditionDocumentV21796700000000 } from '../../migrations/1796700000000-EditionDocumentV2';
import { ApiClient } from '../support/api-client';
import { anEdition } from '../support/edition-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { adminQuery, serverUrl, withDatabase } from '../support/test-database';

const describeWithServer = serverUrl() ? describe : describe.skip;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const INSTITUTION = '00000000-0000-4000-8000-000000000001';
const CERTIFIER = '00000000-0000-4000-8000-000000000002';
const USER = '00000000-0000-4000-8000-000000000003';
const TIERED_CASE = '00000000-0000-4000-8000-000000000010';
const PASS_FAIL_CASE = '00000000-0000-4000-8000-000000000011';

type Json = Record<string, any>;
const indicatorsOf = (document: Json): Json[] =>
  document.principles.flatMap((principle: Json) =>
    principle.standards.flatMap((standard: Json) => standard.indicators),
  );

/**
 * A database of the current release (every migration before EditionDocumentV2) with v1 editions, decided
 * cases, their ratings and sealed decision packages; migrated; then read through the API.
 */
describeWithServer('the edition document v2 migration on a database in use', () => {
  const url = serverUrl()!;
  const name = `cpc_edition_v2_${randomBytes(4).toString('hex')}`;
  const migration = new EditionDocumentV21796700000000();
  let dataSource: DataSource;
  let testApp: TestApp | undefined;
  const previousTemplate = process.env.TEST_TEMPLATE_DATABASE;

  // v1 editions as the current release stores them: one tiered with a condition, one pass/fail.
  const tiered = anEdition().withId('legacy-tiered').tiered().withShape(2, 2, 3).build();
  indicatorsOf(tiered)[1].appliesWhen = { anyOf: ['offersSavings'] };
  const passFail = anEdition().withId('legacy-pass-fail').withShape(2, 2, 2).build();
  const profile = {
    legalForm: 'NGO',
    offersCredit: true,
    offersSavings: false,
    clientCount: 100,
    branchCount: 1,
  };
  // The tiered case: every applicable indicator met but one advanced one (silver); the pass/fail case: one not met.
  const tieredRatings = indicatorsOf(tiered)
    .filter((_indicator, index) => index !== 1)
    .map((indicator, index) => [
      indicator.code,
      indicator.level === 'advanced' && index < 4 ? 'not_met' : 'met',
    ]);
  const passFailRatings = indicatorsOf(passFail).map((indicator, index) => [
    indicator.code,
    index === 2 ? 'not_met' : 'met',
  ]);
  const packages = new Map<string, { json: string; sha: string }>();

  const run = async (direction: 'up' | 'down') => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await migration[direction](runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
  };

  beforeAll(async () => {
    await adminQuery(url, `CREATE DATABASE "${name}"`);
    dataSource = new DataSource(
      buildDataSourceOptions(
        {
          url: withDatabase(url, name),
          isEmbedded: false,
          poolSize: 2,
          connectTimeoutMs: 10000,
          close: () => Promise.resolve(),
        },
        [],
        MIGRATIONS.filter((candidate) => candidate !== EditionDocumentV21796700000000),
      ),
    );
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.query(`
      INSERT INTO organization (id, kind, name, country, profile) VALUES
        ('${INSTITUTION}', 'institution', 'Caja Esperanza', 'PE', '${JSON.stringify(profile)}'),
        ('${CERTIFIER}', 'certifier', 'Andes Rating', 'PE', NULL);
      INSERT INTO user_account (id, organization_id, email, name, role, password_hash, password_changed_at, is_active)
        VALUES ('${USER}', '${INSTITUTION}', 'admin@esperanza.test', 'Admin', 'institution_admin', '!', now(), true);`);
    for (const document of [tiered, passFail]) {
      await dataSource.query(
        `INSERT INTO standards_edition (id, title, status, effective_from, document, document_sha256,
                                        principle_count, standard_count, indicator_count, published_at)
         VALUES ($1, $2, 'published', $3, $4, $5, 2, 4, $6, now())`,
        [
          document.id,
          document.title,
          document.effectiveFrom,
          document,
          sha256(canonicalJson(document)),
          indicatorsOf(document).length,
        ],
      );
    }
    for (const [caseId, document, ratings, level] of [
      [TIERED_CASE, tiered, tieredRatings, 'silver'],
      [PASS_FAIL_CASE, passFail, passFailRatings, null],
    ] as const) {
      await dataSource.query(
        `INSERT INTO certification_case (id, type, status, institution_id, certifier_id, edition_id, status_changed_at,
                                         created_by, submitted_at, outcome, level, decided_at, profile)
         VALUES ($1, 'certification', 'decided', $2, $3, $4, now(), $5, now(), $6, $7, now(), $8)`,
        [
          caseId,
          INSTITUTION,
          CERTIFIER,
          document.id,
          USER,
          level ? 'certified' : 'not_certified',
          level,
          profile,
        ],
      );
      for (const [code, rating] of ratings) {
        await dataSource.query(
          `INSERT INTO indicator_rating (case_id, indicator_code, rating, justification, version, rated_by, rated_at)
           VALUES ($1, $2, $3, $4, 1, $5, now())`,
          [caseId, code, rating, rating === 'met' ? null : 'Not in place', USER],
        );
      }
      const content = {
        caseId,
        edition: { id: document.id, title: document.title, documentSha256: sha256(canonicalJson(document)) },
        ratings: ratings.map(([code, rating]) => ({ indicatorCode: code, rating })),
        decision: { outcome: level ? 'certified' : 'not_certified', level },
      };
      const json = canonicalJson(content);
      packages.set(caseId, { json, sha: sha256(json) });
      await dataSource.query(
        `INSERT INTO case_decision (case_id, kind, outcome, level, rationale, decided_by, decided_by_name, decided_at,
                                    package_json, package_sha256)
         VALUES ($1, 'decision', $2, $3, 'Committee decision', $4, 'Admin', now(), $5, $6)`,
        [caseId, level ? 'certified' : 'not_certified', level, USER, json, sha256(json)],
      );
    }
  });

  afterAll(async () => {
    await testApp?.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
    process.env.TEST_TEMPLATE_DATABASE = previousTemplate;
    await adminQuery(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  const snapshot = async () => ({
    ratings: await dataSource.query(
      'SELECT case_id, indicator_code, rating, justification, version FROM indicator_rating ORDER BY case_id, indicator_code',
    ),
    decisions: await dataSource.query(
      'SELECT case_id, outcome, level, package_json, package_sha256 FROM case_decision ORDER BY case_id',
    ),
    cases: await dataSource.query(
      'SELECT id, status, outcome, level, edition_id, profile, version FROM certification_case ORDER BY id',
    ),
    hashes: await dataSource.query('SELECT id, document_sha256 FROM standards_edition ORDER BY id'),
  });

  it('converts the stored editions in place, keeps their hash and every rating, case and sealed package, and reverts', async () => {
    const before = await snapshot();
    // The standards folder ships the pass/fail edition in v2 with French titles, and the tiered one with an
    // English text changed: only the first may replace the conversion.
    const folder = mkdtempSync(join(tmpdir(), 'cpc-standards-'));
    const translated = convertV1ToV2(passFail as unknown as EditionDocument);
    translated.languages = ['en', 'fr'];
    translated.items[0].title = { en: translated.items[0].title as string, fr: 'Principe 1' };
    const reworded = convertV1ToV2(tiered as unknown as EditionDocument);
    reworded.items[0].title = 'A reworded principle';
    writeFileSync(join(folder, 'pass-fail.json'), JSON.stringify(translated));
    writeFileSync(join(folder, 'tiered.json'), JSON.stringify(reworded));
    const previousDirectory = process.env.STANDARDS_DIR;
    process.env.STANDARDS_DIR = folder;
    try {
      await run('up');
    } finally {
      if (previousDirectory === undefined) delete process.env.STANDARDS_DIR;
      else process.env.STANDARDS_DIR = previousDirectory;
      rmSync(folder, { recursive: true, force: true });
    }
    const [adopted] = await dataSource.query(
      `SELECT document FROM standards_edition WHERE id = '${passFail.id}'`,
    );
    expect(adopted.document).toEqual(translated);
    const [kept] = await dataSource.query(`SELECT document FROM standards_edition WHERE id = '${tiered.id}'`);
    expect(kept.document.items[0].title).toBe(tiered.principles[0].title);
    expect(await snapshot()).toEqual(before);

    const rows = await dataSource.query(
      'SELECT id, document, source_document FROM standards_edition ORDER BY id',
    );
    for (const row of rows as { id: string; document: Json; source_document: Json }[]) {
      const original = row.id === tiered.id ? tiered : passFail;
      expect(row.source_document).toEqual(original);
      expect(row.document).toMatchObject({
        schemaVersion: 2,
        id: original.id,
        title: original.title,
        decisionRule: original.decisionRule,
      });
      const converted = (row.document.items as Json[]).flatMap((principle) =>
        principle.children.flatMap((standard: Json) => standard.children),
      );
      expect(
        converted.map((item) => [item.code, item.statement, item.guidance, item.tag, item.appliesWhen]),
      ).toEqual(
        indicatorsOf(original).map((item) => [
          item.code,
          item.statement,
          item.guidance,
          item.level,
          item.appliesWhen,
        ]),
      );
      // The hash sealed packages name is still the hash of the document kept beside the converted one.
      expect(sha256(canonicalJson(row.source_document))).toBe(
        (before.hashes as { id: string; document_sha256: string }[]).find((hash) => hash.id === row.id)!
          .document_sha256,
      );
    }
    // The immutability trigger is back.
    await expect(
      dataSource.query(`UPDATE standards_edition SET title = 'x' WHERE id = '${tiered.id}'`),
    ).rejects.toThrow(/immutable/);

    await run('down');
    const [restored] = await dataSource.query(
      `SELECT document FROM standards_edition WHERE id = '${tiered.id}'`,
    );
    expect(restored.document).toEqual(tiered);
    await run('up');
    expect(await snapshot()).toEqual(before);
  });

  it('gives the expected results and unchanged package hashes through the API once the app has migrated the database', async () => {
    // Back to the current release's state; the app applies the migration itself when it starts.
    await run('down');
    await dataSource.destroy();
    // The database becomes the template the app copies.
    process.env.TEST_TEMPLATE_DATABASE = name;
    testApp = await startTestApp();
    const client = new ApiClient(testApp.app);
    // The institution's admin of the fixture signs in (the first-admin bootstrap only runs on an empty database).
    const password = 'migration-test-password-1';
    await testApp.dataSource.query('UPDATE user_account SET password_hash = $2 WHERE id = $1', [
      USER,
      await testApp.app.get(PasswordHasher).hash(password),
    ]);
    const admin = await client.login('admin@esperanza.test', password);

    const tieredResults = (await client.get(`/api/v1/cases/${TIERED_CASE}/results`, admin).expect(200)).body;
    expect(tieredResults.outcome).toEqual({ eligible: true, level: 'silver' });
    const byCode = new Map(
      (tieredResults.principles as Json[]).flatMap((principle) =>
        principle.standards.flatMap((standard: Json) =>
          standard.indicators.map((indicator: Json) => [indicator.code, indicator]),
        ),
      ),
    );
    for (const [code, rating] of tieredRatings)
      expect(byCode.get(code)).toMatchObject({ rating, applicable: true });
    expect(byCode.get(indicatorsOf(tiered)[1].code)).toMatchObject({ applicable: false, rating: null });
    expect(tieredResults.gaps).toEqual(
      tieredRatings.filter(([, rating]) => rating !== 'met').map(([code]) => code),
    );

    const passFailResults = (await client.get(`/api/v1/cases/${PASS_FAIL_CASE}/results`, admin).expect(200))
      .body;
    expect(passFailResults.outcome).toEqual({ eligible: false });
    expect(passFailResults.gaps).toEqual([indicatorsOf(passFail)[2].code]);

    for (const caseId of [TIERED_CASE, PASS_FAIL_CASE]) {
      const [decision] = await testApp.dataSource.query(
        'SELECT package_json, package_sha256 FROM case_decision WHERE case_id = $1',
        [caseId],
      );
      expect(decision).toEqual({
        package_json: packages.get(caseId)!.json,
        package_sha256: packages.get(caseId)!.sha,
      });
      expect(sha256(decision.package_json)).toBe(decision.package_sha256);
    }
    const [{ count }] = await testApp.dataSource.query(
      `SELECT count(*)::int AS count FROM schema_migrations WHERE name = 'EditionDocumentV21796700000000'`,
    );
    expect(count).toBe(1);
    const served = (await client.get(`/api/v1/standards/${tiered.id}`).expect(200)).body;
    expect(served).toMatchObject({
      schemaVersion: 2,
      id: tiered.id,
      levels: [{ key: 'principle' }, { key: 'standard' }, { key: 'indicator', rated: true }],
    });
  });
});
