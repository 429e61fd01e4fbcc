import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, ForbiddenError, isSecretariat } from '@app/common';
import { DataSource } from 'typeorm';
import { csvDocument } from '../csv.util';
import { ANONYMITY_THRESHOLD, withhold } from './anonymity.util';
import { BenchmarkSummaryService } from './benchmark-summary.service';
import type {
  BenchmarkFiguresDto,
  BenchmarkGrouping,
  BenchmarkGroupDto,
  BenchmarksDto,
  BenchmarksQueryDto,
  FindingCellDto,
  StateTimeDto,
} from './benchmarks.dto';
import { type SummaryCell, withheldCells } from './disclosure-control.util';

/** Which decided cases an institution's own figure describes: SQL over `c` (the case) and `o` (its institution). */
interface Scope {
  where: string;
  params: unknown[];
}

const CASE_GROUP_KEYS: Record<Exclude<BenchmarkGrouping, 'indicator' | 'standard'>, string> = {
  country: 'o.country',
  edition: 'c.edition_id',
  year: "to_char(c.decided_at AT TIME ZONE 'UTC', 'YYYY')",
};
const RATING_GROUP_KEYS: Record<'indicator' | 'standard', string> = {
  indicator: 'r.indicator_code',
  standard: "split_part(r.indicator_code, '.', 1) || '.' || split_part(r.indicator_code, '.', 2)",
};

interface SummaryCellRow {
  measure: SummaryCell['measure'];
  grouping_by: string;
  group_key: string;
  indicator_code: string;
  scope_kind: SummaryCell['scopeKind'];
  scope_value: string;
  edition_id: string;
  institutions: number;
  count: number;
  passed: number | null;
  average_days: string | null;
  refreshed_at: Date;
}

/** One rebuild of the summary, every cell with whether it is withheld (see `withheldCells`). */
type SnapshotCell = SummaryCell & { passed: number | null; averageDays: string | null; withheld: boolean };

interface SummarySnapshot {
  refreshedAt: Date;
  /** The cells by scope and edition (`scopeKey`): an answer reads one scope, not the whole summary. */
  cells: Map<string, SnapshotCell[]>;
}

const scopeKey = (scopeKind: string, scopeValue: string, editionId: string) =>
  `${scopeKind}\u0000${scopeValue}\u0000${editionId}`;

function passRate(passed: number, count: number): number {
  return count > 0 ? Math.round((passed / count) * 1000) / 1000 : 0;
}

/**
 * Benchmarks over decided cases: pass rates per group, time spent in each state, findings by severity
 * and indicator. Cells are withheld so that nothing about fewer than 5 institutions besides a reader's
 * own can be read or derived from what that reader is shown (see `withheldCells`); an institution's own
 * figures are its own and shown whole.
 */
@Injectable()
export class BenchmarksService {
  // The withheld cells depend on the whole summary: decided once per rebuild, answered from memory so
  // that every answer of one rebuild is cut from the same cells.
  private snapshot: Promise<SummarySnapshot> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly summary: BenchmarkSummaryService,
  ) {}

  async read(actor: Actor | null, query: BenchmarksQueryDto): Promise<BenchmarksDto> {
    const by = query.by ?? 'country';
    const editionId = query.editionId ?? null;
    const organization = actor?.organizationId ?? null;
    const isCertifier = actor?.organizationKind === 'certifier' && organization !== null;
    const isInstitution = actor?.organizationKind === 'institution' && organization !== null;
    if (actor !== null && !isSecretariat(actor) && !isCertifier && !isInstitution) throw new ForbiddenError();
    const snapshot = await this.currentSnapshot(await this.summary.ensureFresh());
    const base = { by, editionId, threshold: ANONYMITY_THRESHOLD, asOf: snapshot.refreshedAt.toISOString() };
    if (actor === null || isSecretariat(actor)) {
      return { ...base, scope: 'field', figures: this.summarised(snapshot, by, 'field', '', editionId) };
    }
    if (isCertifier) {
      return {
        ...base,
        scope: 'certifier',
        figures: this.summarised(snapshot, by, 'certifier', organization, editionId),
      };
    }
    const [{ country, latest_edition: latestEdition }] = await this.dataSource.query<
      { country: string; latest_edition: string | null }[]
    >(
      `SELECT o.country::text AS country,
              (SELECT c.edition_id FROM certification_case c WHERE c.institution_id = o.id
                ORDER BY c.decided_at DESC NULLS LAST, c.created_at DESC LIMIT 1) AS latest_edition
         FROM organization o WHERE o.id = $1`,
      [organization],
    );
    // Its editions' benchmark is the one of the edition asked for, else of its latest case's edition.
    const comparedEdition = editionId ?? latestEdition;
    const own = await this.ownFigures(by, organization!, editionId);
    const countryFigures = this.summarised(snapshot, by, 'country', country, editionId);
    const edition = comparedEdition
      ? this.summarised(snapshot, by, 'field', '', comparedEdition)
      : { groups: [], timeInState: [], findings: [] };
    return {
      ...base,
      scope: 'institution',
      figures: countryFigures,
      own,
      country: countryFigures,
      edition,
      comparedEditionId: comparedEdition,
    };
  }

  /** The figures as CSV: one row per cell, `suppressed` marking withheld ones. */
  async readCsv(actor: Actor | null, query: BenchmarksQueryDto): Promise<string> {
    const result = await this.read(actor, query);
    const sections: [string, BenchmarkFiguresDto | undefined][] =
      result.scope === 'institution'
        ? [
            ['own', result.own],
            ['country', result.country],
            ['edition', result.edition],
          ]
        : [[result.scope, result.figures]];
    const cell = (value: number | null) => (value === null ? '' : String(value));
    const rows = sections.flatMap(([section, figures]) => [
      ...(figures?.groups ?? []).map((group) => [
        section,
        `pass_rate_by_${result.by}`,
        group.key,
        cell(group.institutions),
        cell(group.count),
        cell(group.passRate),
        String(group.suppressed),
      ]),
      ...(figures?.timeInState ?? []).map((state) => [
        section,
        'average_days_in_state',
        state.state,
        cell(state.institutions),
        cell(state.cases),
        cell(state.averageDays),
        String(state.suppressed),
      ]),
      ...(figures?.findings ?? []).map((finding) => [
        section,
        `findings_${finding.severity}`,
        finding.indicatorCode,
        cell(finding.institutions),
        cell(finding.findings),
        '',
        String(finding.suppressed),
      ]),
    ]);
    return csvDocument(['section', 'measure', 'key', 'institutions', 'count', 'value', 'suppressed'], rows);
  }

  /** The summary of the rebuild at `refreshedAt` or later, with its withheld cells. */
  private async currentSnapshot(refreshedAt: Date): Promise<SummarySnapshot> {
    const pending = this.snapshot;
    const cached = pending ? await pending.catch(() => null) : null;
    if (cached && cached.refreshedAt.getTime() >= refreshedAt.getTime()) return cached;
    // Concurrent readers of a newer rebuild share one load.
    if (this.snapshot === pending) this.snapshot = this.loadSnapshot();
    return this.snapshot!;
  }

  private async loadSnapshot(): Promise<SummarySnapshot> {
    // One statement: the cells and the time of the rebuild that made them, from one snapshot.
    const rows = await this.dataSource.query<SummaryCellRow[]>(
      `SELECT b.measure, b.grouping_by, b.group_key, b.indicator_code, b.scope_kind, b.scope_value, b.edition_id,
              b.institutions, b.count, b.passed, b.average_days, r.refreshed_at
         FROM benchmark_refresh r LEFT JOIN benchmark_cell b ON true
        ORDER BY b.scope_kind, b.scope_value, b.edition_id, b.measure, b.grouping_by, b.group_key, b.indicator_code`,
    );
    const cells: SummaryCell[] = rows
      .filter((row) => row.measure !== null)
      .map((row) => ({
        measure: row.measure,
        groupingBy: row.grouping_by,
        groupKey: row.group_key,
        indicatorCode: row.indicator_code,
        scopeKind: row.scope_kind,
        scopeValue: row.scope_value,
        editionId: row.edition_id,
        institutions: row.institutions,
        count: row.count,
      }));
    const withheld = withheldCells(cells);
    const stored = rows.filter((row) => row.measure !== null);
    const byScope = new Map<string, SnapshotCell[]>();
    cells.forEach((cell, index) => {
      const key = scopeKey(cell.scopeKind, cell.scopeValue, cell.editionId);
      const scoped = byScope.get(key) ?? [];
      scoped.push({
        ...cell,
        passed: stored[index].passed,
        averageDays: stored[index].average_days,
        withheld: withheld[index],
      });
      byScope.set(key, scoped);
    });
    return { refreshedAt: rows[0]?.refreshed_at ?? new Date(0), cells: byScope };
  }

  /** Anonymised figures of one scope from the summary (see `BenchmarkSummaryService`). */
  private summarised(
    snapshot: SummarySnapshot,
    by: BenchmarkGrouping,
    scopeKind: 'field' | 'certifier' | 'country',
    scopeValue: string,
    editionId: string | null,
  ): BenchmarkFiguresDto {
    const cells = (snapshot.cells.get(scopeKey(scopeKind, scopeValue, editionId ?? '')) ?? []).filter(
      (cell) => cell.measure !== 'pass_rate' || cell.groupingBy === by,
    );
    const of = (measure: SummaryCell['measure']) => cells.filter((cell) => cell.measure === measure);
    return {
      groups: of('pass_rate').map((cell) =>
        withhold(
          {
            key: cell.groupKey,
            institutions: cell.institutions,
            count: cell.count,
            passRate: passRate(cell.passed ?? 0, cell.count),
          },
          ['key'],
          cell.withheld,
        ),
      ) as BenchmarkGroupDto[],
      timeInState: of('state_time').map((cell) =>
        withhold(
          {
            state: cell.groupKey,
            institutions: cell.institutions,
            cases: cell.count,
            averageDays: Number(cell.averageDays),
          },
          ['state'],
          cell.withheld,
        ),
      ) as StateTimeDto[],
      findings: of('finding').map((cell) =>
        withhold(
          {
            severity: cell.groupKey,
            indicatorCode: cell.indicatorCode,
            institutions: cell.institutions,
            findings: cell.count,
          },
          ['severity', 'indicatorCode'],
          cell.withheld,
        ),
      ) as FindingCellDto[],
    };
  }

  /** An institution's own figures, live from its own cases and shown whole: they are its own. */
  private async ownFigures(
    by: BenchmarkGrouping,
    institutionId: string,
    editionId: string | null,
  ): Promise<BenchmarkFiguresDto> {
    const params: unknown[] = [institutionId];
    const parts = ['c.institution_id = $1::uuid', 'c.decided_at IS NOT NULL', 'c.outcome IS NOT NULL'];
    if (editionId) {
      params.push(editionId);
      parts.push('c.edition_id = $2');
    }
    const scope = { where: parts.join(' AND '), params };
    const [groups, timeInState, findings] = await Promise.all([
      this.groups(by, scope),
      this.timeInState(scope),
      this.findings(scope),
    ]);
    const whole = <T>(cells: T[]) => cells.map((cell) => ({ ...cell, suppressed: false as const }));
    return { groups: whole(groups), timeInState: whole(timeInState), findings: whole(findings) };
  }

  private async groups(by: BenchmarkGrouping, scope: Scope) {
    const sql =
      by === 'indicator' || by === 'standard'
        ? `SELECT ${RATING_GROUP_KEYS[by]} AS key, count(DISTINCT c.institution_id)::int AS institutions,
                  count(*)::int AS count, count(*) FILTER (WHERE r.rating = 'met')::int AS passed
             FROM certification_case c
             JOIN organization o ON o.id = c.institution_id
             JOIN indicator_rating r ON r.case_id = c.id AND r.rating <> 'not_applicable'
            WHERE ${scope.where} GROUP BY 1 ORDER BY 1`
        : `SELECT ${CASE_GROUP_KEYS[by]} AS key, count(DISTINCT c.institution_id)::int AS institutions,
                  count(*)::int AS count, count(*) FILTER (WHERE c.outcome = 'certified')::int AS passed
             FROM certification_case c
             JOIN organization o ON o.id = c.institution_id
            WHERE ${scope.where} GROUP BY 1 ORDER BY 1`;
    const rows = await this.dataSource.query<
      { key: string; institutions: number; count: number; passed: number }[]
    >(sql, scope.params);
    return rows.map((row) => ({
      key: row.key,
      institutions: row.institutions,
      count: row.count,
      passRate: passRate(row.passed, row.count),
    }));
  }

  private async timeInState(scope: Scope) {
    const rows = await this.dataSource.query<
      { state: string; institutions: number; cases: number; average_days: string }[]
    >(
      `WITH scoped AS (
         SELECT c.id, c.institution_id FROM certification_case c
           JOIN organization o ON o.id = c.institution_id WHERE ${scope.where}),
       steps AS (
         SELECT scoped.institution_id, e.case_id, e.to_status, e.occurred_at,
                lead(e.occurred_at) OVER (PARTITION BY e.case_id ORDER BY e.sequence) AS left_at
           FROM audit_event e JOIN scoped ON scoped.id = e.case_id
          WHERE e.entity_type = 'case' AND e.to_status IS NOT NULL AND e.to_status IS DISTINCT FROM e.from_status)
       SELECT to_status AS state, count(DISTINCT institution_id)::int AS institutions,
              count(DISTINCT case_id)::int AS cases,
              round((avg(extract(epoch FROM left_at - occurred_at)) / 86400)::numeric, 2) AS average_days
         FROM steps WHERE left_at IS NOT NULL GROUP BY 1 ORDER BY 1`,
      scope.params,
    );
    return rows.map((row) => ({
      state: row.state,
      institutions: row.institutions,
      cases: row.cases,
      averageDays: Number(row.average_days),
    }));
  }

  private async findings(scope: Scope) {
    const rows = await this.dataSource.query<
      { severity: string; indicator_code: string; institutions: number; findings: number }[]
    >(
      `SELECT f.severity, code AS indicator_code, count(DISTINCT c.institution_id)::int AS institutions,
              count(*)::int AS findings
         FROM certification_case c
         JOIN organization o ON o.id = c.institution_id
         JOIN finding f ON f.case_id = c.id
         CROSS JOIN LATERAL unnest(f.indicator_codes) AS code
        WHERE ${scope.where}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      scope.params,
    );
    return rows.map((row) => ({
      severity: row.severity,
      indicatorCode: row.indicator_code,
      institutions: row.institutions,
      findings: row.findings,
    }));
  }
}
