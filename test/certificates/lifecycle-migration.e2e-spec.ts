import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../libs/database/src/data-source-options';
import { MIGRATIONS } from '../../migrations';
import { CertificateLifecycleIntegrity1796000000000 } from '../../migrations/1796000000000-CertificateLifecycleIntegrity';
import { adminQuery, serverUrl, withDatabase } from '../support/test-database';

// A database migrated before the rule, with data in it, needs the PostgreSQL server.
const describeWithServer = serverUrl() ? describe : describe.skip;

describeWithServer('the certificate lifecycle migration on a database in use', () => {
  const url = serverUrl()!;
  const name = `cpc_migration_${randomBytes(4).toString('hex')}`;
  let dataSource: DataSource;
  const migration = new CertificateLifecycleIntegrity1796000000000();

  beforeAll(async () => {
    await adminQuery(url, `CREATE DATABASE "${name}"`);
    // The schema as it stood before this migration: later migrations build on what it adds.
    const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(CertificateLifecycleIntegrity1796000000000));
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
        before,
      ),
    );
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.query(`
      INSERT INTO organization (id, kind, name, country) VALUES
        ('00000000-0000-4000-8000-000000000001', 'institution', 'Caja Esperanza', 'PE'),
        ('00000000-0000-4000-8000-000000000002', 'certifier', 'Andes Rating', 'PE');
      INSERT INTO user_account (id, organization_id, email, name, role, password_hash, password_changed_at, is_active)
        VALUES ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000001',
                'admin@esperanza.test', 'Admin', 'institution_admin', '!', now(), true);
      INSERT INTO standards_edition (id, title, status, effective_from, document, document_sha256,
                                     principle_count, standard_count, indicator_count, published_at)
        VALUES ('cps-2016', 'CPS 2016', 'published', '2016-07-01', '{"id": "cps-2016"}', repeat('a', 64), 7, 25, 1, now()),
               ('cps-2022', 'CPS 2022', 'published', '2022-01-01', '{"id": "cps-2022"}', repeat('b', 64), 8, 8, 1, now());
      INSERT INTO certification_case (id, type, status, institution_id, certifier_id, edition_id, certificate_number,
                                      status_changed_at, created_by, outcome, decided_at)
        VALUES ('00000000-0000-4000-8000-000000000010', 'certification', 'closed',
                '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'cps-2016', NULL,
                '2024-03-10T12:00:00Z', '00000000-0000-4000-8000-000000000003', 'certified', '2024-03-01T12:00:00Z'),
               ('00000000-0000-4000-8000-000000000011', 'check_in', 'closed',
                '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'cps-2016', 'CPC-2024-0001',
                '2026-03-15T12:00:00Z', '00000000-0000-4000-8000-000000000003', 'certified', '2026-03-01T12:00:00Z');
      INSERT INTO certificate (number, case_id, institution_id, certifier_id, edition_id, level, issued_on,
                               check_in_due_on, valid_until, package_sha256, status)
        VALUES ('CPC-2024-0001', '00000000-0000-4000-8000-000000000010', '00000000-0000-4000-8000-000000000001',
                '00000000-0000-4000-8000-000000000002', 'cps-2016', NULL, '2024-03-10', '2026-03-10', '2028-03-09',
                repeat('c', 64), 'active');
    `);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await adminQuery(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

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

  it('backfills the holder, the dates, the check-in and the issued certificate, and closes the stored 2016 edition without touching its document', async () => {
    await run('up');

    const [certificate] = await dataSource.query(
      `SELECT holder_name, holder_country, to_char(decided_on, 'YYYY-MM-DD') AS decided_on,
              to_char(issued_on, 'YYYY-MM-DD') AS issued_on, to_char(published_on, 'YYYY-MM-DD') AS published_on,
              to_char(checked_in_on, 'YYYY-MM-DD') AS checked_in_on, check_in_overdue_since
       FROM certificate WHERE number = 'CPC-2024-0001'`,
    );
    expect(certificate).toEqual({
      holder_name: 'Caja Esperanza',
      holder_country: 'PE',
      // No sealed package in this fixture: the decision date falls back to the day validity counted from.
      decided_on: '2024-03-10',
      issued_on: '2024-03-10',
      published_on: '2024-03-10',
      checked_in_on: '2026-03-15',
      check_in_overdue_since: null,
    });
    const cases = await dataSource.query(
      'SELECT id, issued_certificate_number FROM certification_case ORDER BY id',
    );
    expect(
      cases.map((row: { issued_certificate_number: string | null }) => row.issued_certificate_number),
    ).toEqual(['CPC-2024-0001', null]);
    const editions = await dataSource.query(
      `SELECT id, to_char(open_for_new_cases_until, 'YYYY-MM-DD') AS open_until, retired_on, document_sha256, document
       FROM standards_edition ORDER BY id`,
    );
    expect(editions).toEqual([
      {
        id: 'cps-2016',
        open_until: '2021-04-30',
        retired_on: null,
        document_sha256: 'a'.repeat(64),
        document: { id: 'cps-2016' },
      },
      {
        id: 'cps-2022',
        open_until: null,
        retired_on: null,
        document_sha256: 'b'.repeat(64),
        document: { id: 'cps-2022' },
      },
    ]);
    // Published editions stay immutable afterwards.
    await expect(
      dataSource.query("UPDATE standards_edition SET open_for_new_cases_until = NULL WHERE id = 'cps-2016'"),
    ).rejects.toThrow(/immutable/);
  });

  it('reverts and applies again', async () => {
    await run('down');
    const columns = await dataSource.query(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'certificate' AND column_name = 'holder_name'",
    );
    expect(columns).toEqual([]);
    await run('up');
    const [{ holder_name: holderName }] = await dataSource.query('SELECT holder_name FROM certificate');
    expect(holderName).toBe('Caja Esperanza');
  });
});
