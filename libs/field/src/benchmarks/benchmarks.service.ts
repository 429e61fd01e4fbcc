import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, ForbiddenError, isSecretariat } from '@app/common';
import { DataSource } from 'typeorm';
import { csvDocument } from '../csv.util';
import { ANONYMITY_THRESHOLD, suppressSmall } from './anonymity.util';
import type {
  BenchmarkFiguresDto,
  BenchmarkGrouping,
  BenchmarkGroupDto,
  BenchmarksDto,
  BenchmarksQueryDto,
  FindingCellDto,
  StateTimeDto,
} from './benchmarks.dto';

/** Which decided cases a figure describes: SQL over `c` (the case) and `o` (its institution). */
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

/**
 * Benchmarks over decided cases: pass rates per group, time spent in each state, findings by severity
 * and indicator. Every cell describing fewer than 5 institutions is withheld (see `suppressSmall`);
 * an institution's own figures are its own and shown whole.
 */
@Injectable()
export class BenchmarksService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async read(actor: Actor | null, query: BenchmarksQueryDto): Promise<BenchmarksDto> {
    const by = query.by ?? 'country';
    const editionId = query.editionId ?? null;
    const base = { by, editionId, threshold: ANONYMITY_THRESHOLD };
    if (actor === null || isSecretariat(actor)) {
      return { ...base, scope: 'field', figures: await this.figures(by, this.scope(editionId), true) };
    }
    if (actor.organizationKind === 'certifier' && actor.organizationId) {
      const scope = this.scope(editionId, 'c.certifier_id = $ORG', actor.organizationId);
      return { ...base, scope: 'certifier', figures: await this.figures(by, scope, true) };
    }
    if (actor.organizationKind === 'institution' && actor.organizationId) {
      const organization = actor.organizationId;
      const [own, country, edition] = await Promise.all([
        this.figures(by, this.scope(editionId, 'c.institution_id = $ORG', organization), false),
        this.figures(
          by,
          this.scope(
            editionId,
            'o.country = (SELECT country FROM organization WHERE id = $ORG)',
            organization,
          ),
          true,
        ),
        this.figures(
          by,
          this.scope(
            editionId,
            'c.edition_id IN (SELECT edition_id FROM certification_case WHERE institution_id = $ORG)',
            organization,
          ),
          true,
        ),
      ]);
      return { ...base, scope: 'institution', figures: country, own, country, edition };
    }
    throw new ForbiddenError();
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

  private scope(editionId: string | null, condition?: string, organizationId?: string): Scope {
    const params: unknown[] = [];
    const parts = ['c.decided_at IS NOT NULL', 'c.outcome IS NOT NULL'];
    if (editionId) {
      params.push(editionId);
      parts.push(`c.edition_id = $${params.length}`);
    }
    if (condition && organizationId) {
      params.push(organizationId);
      parts.push(condition.replace(/\$ORG/g, `$${params.length}::uuid`));
    }
    return { where: parts.join(' AND '), params };
  }

  private async figures(
    by: BenchmarkGrouping,
    scope: Scope,
    isAnonymised: boolean,
  ): Promise<BenchmarkFiguresDto> {
    const [groups, timeInState, findings] = await Promise.all([
      this.groups(by, scope),
      this.timeInState(scope),
      this.findings(scope),
    ]);
    const hide = <T extends { institutions: number }, K extends keyof T>(cells: T[], keep: K[]) =>
      cells.map((cell) => (isAnonymised ? suppressSmall(cell, keep) : { ...cell, suppressed: false }));
    return {
      groups: hide(groups, ['key']) as BenchmarkGroupDto[],
      timeInState: hide(timeInState, ['state']) as StateTimeDto[],
      findings: hide(findings, ['severity', 'indicatorCode']) as FindingCellDto[],
    };
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
      passRate: row.count > 0 ? Math.round((row.passed / row.count) * 1000) / 1000 : 0,
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
