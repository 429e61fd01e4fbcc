import { RegistryService } from '@app/certificates';
import type { DataSource } from 'typeorm';
import { ApiClient, type Session } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { aCase } from '../evidence/support/case-fixture';

/**
 * No list route runs a query per row: each is called at page size 5 and 50 over more than 50 rows,
 * the SQL statements it sends are counted, and the count must not grow with the page size. Routes
 * without paging (a case's history, the registry CSV) are called over a small and a large data set.
 * The one-case reads (the case, its ratings, results and history) and the case list are counted exactly:
 * one statement, whether the case is found or not (the caller's session was resolved by an earlier request
 * and is kept in memory, see ActorCache).
 */

const ROWS = 60;

/** The public registry caches its answers in process: each measured call must reach the database. */
function clearRegistryCache(testApp: TestApp): void {
  testApp.app.get<RegistryService, { cache: { clear(): void } }>(RegistryService).cache.clear();
}

/** Counts every statement TypeORM sends while `run` is in flight (the least of two calls). */
async function statementsOf(testApp: TestApp, run: () => Promise<unknown>): Promise<number> {
  const dataSource: DataSource = testApp.dataSource;
  const logger = dataSource.logger;
  const original = logger.logQuery.bind(logger);
  const counts: number[] = [];
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let count = 0;
    logger.logQuery = (query, parameters, runner) => {
      count += 1;
      return original(query, parameters, runner);
    };
    clearRegistryCache(testApp);
    try {
      await run();
    } finally {
      logger.logQuery = original;
    }
    counts.push(count);
  }
  return Math.min(...counts);
}

describe('statements per request on list routes', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let bigCase: string;
  let smallCase: string;

  const sql = (text: string, parameters: unknown[] = []) => testApp.dataSource.query(text, parameters);

  /** `count` closed, certified cases of the world's institution, each with its published certificate. */
  const certificates = (from: number, count: number) =>
    sql(
      `WITH numbered AS (
         SELECT n, md5('stmt-case-' || n)::uuid AS case_id, 'CPC-2024-' || lpad(n::text, 4, '0') AS number
         FROM generate_series($1::int, $1::int + $2::int - 1) AS n
       ), cases AS (
         INSERT INTO certification_case (id, type, status, institution_id, certifier_id, edition_id,
                                         certificate_number, status_changed_at, created_by, outcome,
                                         decided_at, decision_accepted_at, submitted_at)
         SELECT case_id, 'certification', 'closed', $3, $4, 'cps-2016', number, now(), $5, 'certified',
                now(), now(), now()
         FROM numbered RETURNING id
       )
       INSERT INTO certificate (number, case_id, institution_id, certifier_id, edition_id, issued_on,
                                valid_until, package_sha256, status, holder_name, holder_country,
                                decided_on, published_on)
       SELECT number, case_id, $3, $4, 'cps-2016', DATE '2024-01-15', DATE '2027-12-31',
              md5('package-' || n) || md5('sealed-' || n), 'active', 'Statement Count Bank', 'PE',
              DATE '2024-01-15', DATE '2024-01-15'
       FROM numbered WHERE EXISTS (SELECT 1 FROM cases)`,
      [from, count, world.institutionId, world.certifierId, world.sessions.institution_admin.userId],
    );

  /** `count` audit events on the case, as the history shows them. */
  const historyEvents = (caseId: string, count: number) =>
    sql(
      `INSERT INTO audit_event (id, occurred_at, actor_id, actor_name, entity_type, entity_id, case_id, action,
                                from_status, to_status, data, hash)
       SELECT gen_random_uuid(), now(), $2, 'Statement Counter', 'case', $1::text, $1::uuid, 'case.transitioned',
              'desk_review', 'desk_review', '{}'::jsonb, md5(n::text) || md5(n::text)
       FROM generate_series(1, $3::int) AS n`,
      [caseId, world.sessions.rater.userId, count],
    );

  beforeAll(async () => {
    testApp = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    bigCase = await aCase(testApp.dataSource, world, { status: 'desk_review' });
    smallCase = await aCase(testApp.dataSource, world, { status: 'desk_review' });
    const { institutionId, certifierId } = world;
    const creator = world.sessions.institution_admin.userId;
    const rater = world.sessions.rater.userId;

    // Cases in every visibility: the lead rater on each, submitted so the certifier sees them.
    await sql(
      `WITH made AS (
         INSERT INTO certification_case (type, status, institution_id, certifier_id, edition_id, status_changed_at,
                                         created_by, submitted_at)
         SELECT 'certification', 'desk_review', $1, $2, 'cps-2016', now(), $3, now()
         FROM generate_series(1, $5::int) RETURNING id
       )
       INSERT INTO case_team_member (case_id, user_id, team_role) SELECT id, $4, 'lead_rater' FROM made`,
      [institutionId, certifierId, creator, rater, ROWS],
    );
    await sql(
      `WITH items AS (
         INSERT INTO evidence_item (id, case_id, title, created_by)
         SELECT gen_random_uuid(), $1, 'Evidence ' || n, $2 FROM generate_series(1, $3::int) AS n RETURNING id
       ), versions AS (
         INSERT INTO evidence_version (id, evidence_id, version_number, storage_key, file_name, content_type, size,
                                       sha256, uploaded_by)
         SELECT gen_random_uuid(), id, 1, 'stmt/' || id, 'scan.pdf', 'application/pdf', 10, md5(id::text) || md5(id::text), $2
         FROM items RETURNING evidence_id
       )
       INSERT INTO evidence_indicator (evidence_id, indicator_code) SELECT evidence_id, '1.1.1' FROM versions`,
      [bigCase, creator, ROWS],
    );
    await sql(
      `WITH made AS (
         INSERT INTO finding (case_id, indicator_codes, severity, description, recommendation, created_by)
         SELECT $1, ARRAY['1.1.1'], 'minor', 'Finding ' || n, 'Fix it', $2 FROM generate_series(1, $3::int) AS n
         RETURNING id
       )
       INSERT INTO finding_response (finding_id, text, responded_by) SELECT id, 'Done', $4 FROM made`,
      [bigCase, rater, ROWS, creator],
    );
    await sql(
      `INSERT INTO notification (user_id, kind, case_id, title, body)
       SELECT $1, 'case_status_changed', $2, 'Notice ' || n, 'Body' FROM generate_series(1, $3::int) AS n`,
      [creator, bigCase, ROWS],
    );
    await sql(
      `INSERT INTO organization (kind, name, country, profile)
       SELECT 'institution', 'Statement Count Institution ' || n, 'PE', NULL
       FROM generate_series(1, $1::int) AS n`,
      [ROWS],
    );
    await sql(
      `INSERT INTO user_account (organization_id, email, name, role, password_hash, password_changed_at)
       SELECT $1, 'stmt-' || n || '@institution.test', 'Member ' || n, 'institution_member', '!', now()
       FROM generate_series(1, $2::int) AS n`,
      [institutionId, ROWS],
    );
    await certificates(1, 5);
    await historyEvents(smallCase, 5);
    await historyEvents(bigCase, ROWS);
  });

  afterAll(() => testApp?.close());

  const paged: [string, (world: World) => { path: string; as: Session | null }][] = [
    ['cases as the secretariat', (w) => ({ path: '/api/v1/cases', as: w.sessions.secretariat_admin })],
    ['cases as the certifier admin', (w) => ({ path: '/api/v1/cases', as: w.sessions.certifier_admin })],
    ['cases as the lead rater', (w) => ({ path: '/api/v1/cases', as: w.sessions.rater })],
    ['cases as the institution', (w) => ({ path: '/api/v1/cases', as: w.sessions.institution_admin })],
    ['evidence', () => ({ path: `/api/v1/cases/${bigCase}/evidence`, as: world.sessions.institution_admin })],
    ['findings', () => ({ path: `/api/v1/cases/${bigCase}/findings`, as: world.sessions.rater })],
    ['notifications', (w) => ({ path: '/api/v1/me/notifications', as: w.sessions.institution_admin })],
    ['organizations', (w) => ({ path: '/api/v1/organizations', as: w.sessions.secretariat_admin })],
    [
      'users of an organization',
      (w) => ({ path: `/api/v1/organizations/${w.institutionId}/users`, as: w.sessions.secretariat_admin }),
    ],
    ['certificates', (w) => ({ path: '/api/v1/certificates', as: w.sessions.secretariat_admin })],
    ['registry JSON', () => ({ path: '/api/v1/registry', as: null })],
    ['registry JSON with a name search', () => ({ path: '/api/v1/registry?q=Statement', as: null })],
    ['registry HTML page', () => ({ path: '/registry', as: null })],
  ];

  describe('paged routes: page size 5 and 50 over more than 50 rows', () => {
    beforeAll(() => certificates(100, ROWS));

    it.each(paged)('%s', async (_name, route) => {
      const { path, as } = route(world);
      const separator = path.includes('?') ? '&' : '?';
      const call = (pageSize: number) => async () => {
        const response = await client.get(`${path}${separator}pageSize=${pageSize}`, as);
        expect(response.status).toBe(200);
        if (response.body?.items)
          expect(response.body.items.length).toBeGreaterThanOrEqual(Math.min(pageSize, 6));
      };

      const small = await statementsOf(testApp, call(5));
      const large = await statementsOf(testApp, call(50));

      expect(small).toBeGreaterThan(0);
      expect({ path, statements: large }).toEqual({ path, statements: small });
    });
  });

  it.each([
    ['the secretariat', 'secretariat_admin'],
    ['the certifier admin', 'certifier_admin'],
    ['the lead rater', 'rater'],
    ['the institution', 'institution_admin'],
  ] as const)('the case list as %s: one statement for the page, its total and views', async (_name, role) => {
    for (const query of ['pageSize=50', 'status=desk_review&page=2&pageSize=5', 'page=1000']) {
      const statements = await statementsOf(testApp, async () => {
        const response = await client.get(`/api/v1/cases?${query}`, world.sessions[role]);
        expect(response.status).toBe(200);
      });
      expect({ query, statements }).toEqual({ query, statements: 1 });
    }
  });

  it("a case's history: as many statements for 5 events as for 60", async () => {
    const call = (caseId: string) => async () => {
      const response = await client.get(`/api/v1/cases/${caseId}/history`, world.sessions.secretariat_admin);
      expect(response.status).toBe(200);
    };
    const small = await statementsOf(testApp, call(smallCase));
    const large = await statementsOf(testApp, call(bigCase));
    expect(large).toBe(small);
  });

  describe('one-case reads: one statement', () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    it.each([
      ['the case', (caseId: string) => `/api/v1/cases/${caseId}`],
      ['its ratings', (caseId: string) => `/api/v1/cases/${caseId}/ratings`],
      ['its results', (caseId: string) => `/api/v1/cases/${caseId}/results`],
      ['its history', (caseId: string) => `/api/v1/cases/${caseId}/history`],
    ])('%s, found or not', async (_name, pathOf) => {
      for (const [caseId, status] of [
        [bigCase, 200],
        [missing, 404],
      ] as const) {
        const path = pathOf(caseId);
        const statements = await statementsOf(testApp, async () => {
          const response = await client.get(path, world.sessions.secretariat_admin);
          expect(response.status).toBe(status);
        });
        expect({ path, statements }).toEqual({ path, statements: 1 });
      }
    });
  });

  it('the registry CSV: as many statements for 5 certificates as for 65', async () => {
    const call = async () => {
      const response = await client.get(`/api/v1/registry.csv?country=PE`, null);
      expect(response.status).toBe(200);
    };
    const small = await statementsOf(testApp, call);
    await certificates(200, ROWS);
    const large = await statementsOf(testApp, call);
    expect(small).toBeGreaterThan(0);
    expect(large).toBe(small);
  });

  it('saving ratings: as many statements for 5 ratings as for 50, and a fixed few', async () => {
    const codes: string[] = (
      await client.get(`/api/v1/cases/${smallCase}/ratings`, world.sessions.rater)
    ).body.ratings.map((rating: { indicatorCode: string }) => rating.indicatorCode);
    expect(codes.length).toBeGreaterThanOrEqual(50);
    /** The statements of a first save of `count` ratings on a fresh onsite case (statementsOf calls twice). */
    const statementsOfSave = async (count: number) => {
      const fresh = [
        await aCase(testApp.dataSource, world, { status: 'onsite' }),
        await aCase(testApp.dataSource, world, { status: 'onsite' }),
      ];
      return statementsOf(testApp, async () => {
        const response = await client
          .put(`/api/v1/cases/${fresh.shift()}/ratings`, world.sessions.rater)
          .send({
            ratings: codes
              .slice(0, count)
              .map((indicatorCode) => ({ indicatorCode, rating: 'met', justification: 'Seen in the files' })),
          });
        expect(response.status).toBe(200);
      });
    };
    const small = await statementsOfSave(5);
    const large = await statementsOfSave(50);
    expect(large).toBe(small);
    // The case with its team and profile; then one statement, outside a transaction block, that locks
    // the case, upserts the ratings, appends the audit event to the chain and checks all of it (undone
    // whole when a check fails). (The caller's session was resolved by an earlier request and is kept in
    // memory.)
    expect(large).toBe(2);
  });
});
