import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The worker rebuilds the summary this often (job `refresh-benchmarks`). */
export const BENCHMARK_REFRESH_INTERVAL_MS = 10 * 60_000;
/** Older than this, no worker is refreshing it (the embedded quick start runs none): a read starts one. */
export const BENCHMARK_STALE_AFTER_MS = 2 * BENCHMARK_REFRESH_INTERVAL_MS;
// Serialises refreshes across processes: a second one waiting would only redo the same work.
const REFRESH_LOCK_KEY = 2_026_113_015;

export interface BenchmarkRefresh {
  refreshedAt: Date;
  durationMs: number;
  decidedCases: number;
}

// Every scope a reader may ask for, as grouping sets: the field, a certification body's cases, an
// institution country's cases, each for every edition together and per edition. Institutions are
// counted distinct within each set, so each cell's anonymity check is exact.
const SCOPE_SETS = `GROUPING SETS ((), (edition_id), (certifier), (certifier, edition_id), (country), (country, edition_id))`;
const SCOPE_COLUMNS = `
  CASE WHEN GROUPING(certifier) = 0 THEN 'certifier' WHEN GROUPING(country) = 0 THEN 'country' ELSE 'field' END,
  CASE WHEN GROUPING(certifier) = 0 THEN certifier WHEN GROUPING(country) = 0 THEN country ELSE '' END,
  CASE WHEN GROUPING(edition_id) = 0 THEN edition_id ELSE '' END`;
const DECIDED = `
  decided AS MATERIALIZED (
    SELECT c.id, c.institution_id, c.certifier_id::text AS certifier, o.country::text AS country, c.edition_id,
           to_char(c.decided_at AT TIME ZONE 'UTC', 'YYYY') AS year, c.outcome = 'certified' AS certified
      FROM certification_case c JOIN organization o ON o.id = c.institution_id
     WHERE c.decided_at IS NOT NULL AND c.outcome IS NOT NULL)`;

const PASS_RATES = `
  WITH ${DECIDED},
  facts AS (
    SELECT 'country' AS grouping_by, country AS group_key, institution_id, certifier, country, edition_id,
           certified AS passed FROM decided
    UNION ALL SELECT 'edition', edition_id, institution_id, certifier, country, edition_id, certified FROM decided
    UNION ALL SELECT 'year', year, institution_id, certifier, country, edition_id, certified FROM decided
    UNION ALL SELECT 'indicator', r.indicator_code, d.institution_id, d.certifier, d.country, d.edition_id,
           r.rating = 'met'
      FROM decided d JOIN indicator_rating r ON r.case_id = d.id AND r.rating <> 'not_applicable'
    UNION ALL SELECT 'standard',
           split_part(r.indicator_code, '.', 1) || '.' || split_part(r.indicator_code, '.', 2),
           d.institution_id, d.certifier, d.country, d.edition_id, r.rating = 'met'
      FROM decided d JOIN indicator_rating r ON r.case_id = d.id AND r.rating <> 'not_applicable'),
  -- One row per institution first (a fraction of the ratings), then every scope over those rows.
  per_institution AS (
    SELECT grouping_by, group_key, institution_id, certifier, country, edition_id,
           count(*) AS n, count(*) FILTER (WHERE passed) AS passed
      FROM facts GROUP BY grouping_by, group_key, institution_id, certifier, country, edition_id)
  INSERT INTO benchmark_cell (measure, grouping_by, group_key, scope_kind, scope_value, edition_id,
                              institutions, count, passed)
  SELECT 'pass_rate', grouping_by, group_key, ${SCOPE_COLUMNS},
         count(DISTINCT institution_id), sum(n), sum(passed)
    FROM per_institution GROUP BY grouping_by, group_key, ${SCOPE_SETS}`;

const STATE_TIMES = `
  WITH ${DECIDED},
  steps AS (
    SELECT d.institution_id, d.certifier, d.country, d.edition_id, e.case_id, e.to_status,
           extract(epoch FROM lead(e.occurred_at) OVER (PARTITION BY e.case_id ORDER BY e.sequence)
                              - e.occurred_at) AS seconds
      FROM audit_event e JOIN decided d ON d.id = e.case_id
     WHERE e.entity_type = 'case' AND e.to_status IS NOT NULL AND e.to_status IS DISTINCT FROM e.from_status)
  INSERT INTO benchmark_cell (measure, grouping_by, group_key, scope_kind, scope_value, edition_id,
                              institutions, count, average_days)
  SELECT 'state_time', 'state', to_status, ${SCOPE_COLUMNS},
         count(DISTINCT institution_id), count(DISTINCT case_id), round((avg(seconds) / 86400)::numeric, 2)
    FROM steps WHERE seconds IS NOT NULL GROUP BY to_status, ${SCOPE_SETS}`;

const FINDINGS = `
  WITH ${DECIDED}
  INSERT INTO benchmark_cell (measure, grouping_by, group_key, indicator_code, scope_kind, scope_value,
                              edition_id, institutions, count)
  SELECT 'finding', 'severity', severity, indicator_code, ${SCOPE_COLUMNS},
         count(DISTINCT institution_id), count(*)
    FROM (SELECT f.severity, code AS indicator_code, d.institution_id, d.certifier, d.country, d.edition_id
            FROM decided d JOIN finding f ON f.case_id = d.id
            CROSS JOIN LATERAL unnest(f.indicator_codes) AS code) AS cells
   GROUP BY severity, indicator_code, ${SCOPE_SETS}`;

/**
 * The benchmarks' summary (`benchmark_cell`): every anonymisable cell of every scope, rebuilt as a
 * whole in one transaction, so that readers see the previous summary until the new one commits.
 * The worker rebuilds it every 10 minutes; a read of a summary older than 20 minutes (no worker
 * running) starts a rebuild in the background, and the very first read waits for one.
 */
@Injectable()
export class BenchmarkSummaryService {
  private readonly logger = new Logger(BenchmarkSummaryService.name);
  private running: Promise<BenchmarkRefresh | null> | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Rebuilds the summary; resolves to null when another process is rebuilding it at the moment. */
  refresh(): Promise<BenchmarkRefresh | null> {
    this.running ??= this.rebuild().finally(() => (this.running = null));
    return this.running;
  }

  /** When the summary was last rebuilt; null before the first time. */
  async lastRefresh(): Promise<BenchmarkRefresh | null> {
    const [row] = await this.dataSource.query<
      { refreshed_at: Date; duration_ms: number; decided_cases: number }[]
    >('SELECT refreshed_at, duration_ms, decided_cases FROM benchmark_refresh');
    return row
      ? { refreshedAt: row.refreshed_at, durationMs: row.duration_ms, decidedCases: row.decided_cases }
      : null;
  }

  /** The summary's time, rebuilding it first when there has never been one, or in the background when stale. */
  async ensureFresh(): Promise<Date> {
    const last = await this.lastRefresh();
    if (!last) {
      const made = (await this.refresh()) ?? (await this.waitForOther());
      return made.refreshedAt;
    }
    if (Date.now() - last.refreshedAt.getTime() > BENCHMARK_STALE_AFTER_MS) {
      this.refresh().catch((error: unknown) =>
        this.logger.error({ err: error }, 'Refreshing the benchmarks in the background failed'),
      );
    }
    return last.refreshedAt;
  }

  private async waitForOther(): Promise<BenchmarkRefresh> {
    // Another process holds the lock: its rebuild commits before the lock is free.
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [REFRESH_LOCK_KEY]);
    });
    return (await this.lastRefresh()) ?? (await this.rebuild())!;
  }

  private async rebuild(): Promise<BenchmarkRefresh | null> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query<{ locked: boolean }[]>(
        'SELECT pg_try_advisory_xact_lock($1) AS locked',
        [REFRESH_LOCK_KEY],
      );
      if (!locked) return null;
      // The whole field is read at once: a rebuild may take longer than a request's statement limit.
      await manager.query('SET LOCAL statement_timeout = 0');
      const started = Date.now();
      await manager.query('DELETE FROM benchmark_cell');
      await manager.query(PASS_RATES);
      await manager.query(STATE_TIMES);
      await manager.query(FINDINGS);
      const [{ decided }] = await manager.query<{ decided: number }[]>(
        `SELECT count(*)::int AS decided FROM certification_case
          WHERE decided_at IS NOT NULL AND outcome IS NOT NULL`,
      );
      const refresh: BenchmarkRefresh = {
        // The figures describe the cases as they were when the rebuild began.
        refreshedAt: new Date(started),
        durationMs: Date.now() - started,
        decidedCases: decided,
      };
      await manager.query(
        `INSERT INTO benchmark_refresh (id, refreshed_at, duration_ms, decided_cases) VALUES (true, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET refreshed_at = $1, duration_ms = $2, decided_cases = $3`,
        [refresh.refreshedAt, refresh.durationMs, refresh.decidedCases],
      );
      return refresh;
    });
  }
}
