import { Injectable } from '@nestjs/common';
import {
  type Actor,
  MAX_PAGE_SIZE,
  NotFoundError,
  type Page,
  pageOffset,
  WorkingCalendar,
} from '@app/common';
import { CalendarConfig } from '@app/config';
import { DatabaseNotifications, PreparedQueries } from '@app/database';
import {
  CASE_SNAPSHOT_COLUMNS,
  CaseAccessService,
  type CaseSnapshotRow,
  snapshotOfRow,
} from '../case-access.service';
import { CaseListTotals } from '../case-list-totals';
import { historyPartyOf, visibleHistoryEvent } from '../case-history.policy';
import { type HistoryEventSource, toCaseDto, toHistoryEventDto } from '../case.mapper';
import type { CaseDto, HistoryEventDto, ListCasesQueryDto } from '../dto/case.dto';
import { CASE_VIEW_COLUMNS, CASE_VIEW_JOINS, type CaseViewRow, toCaseView } from './case-views.sql';

/** A case's audit events as `history` reads them: null when it has none. */
interface HistoryRows {
  events: Omit<HistoryEventSource, 'occurredAt'>[] | null;
  occurredAt: Date[] | null;
}

/** Reading cases as the caller may see them. */
@Injectable()
export class CaseQueriesService {
  private readonly calendar: WorkingCalendar;

  constructor(
    private readonly access: CaseAccessService,
    private readonly prepared: PreparedQueries,
    private readonly totals: CaseListTotals,
    private readonly notifications: DatabaseNotifications,
    calendarConfig: CalendarConfig,
  ) {
    this.calendar = new WorkingCalendar(calendarConfig.holidays);
  }

  async get(actor: Actor, caseId: string): Promise<CaseDto> {
    // One statement: the case with all it shows and the snapshot its visibility is decided on; a case the
    // caller may not see is not found either way.
    const [found] = await this.prepared.query<CaseViewRow[]>(
      `SELECT ${CASE_VIEW_COLUMNS} FROM certification_case c ${CASE_VIEW_JOINS} WHERE c.id = $1`,
      [caseId],
    );
    if (!found) throw new NotFoundError('Case');
    const view = toCaseView(found);
    this.access.visible(actor, view.snapshot);
    return toCaseDto(actor, view, this.calendar);
  }

  async list(actor: Actor, query: ListCasesQueryDto): Promise<Page<CaseDto>> {
    const parameters: unknown[] = [];
    const parameter = (value: unknown) => `$${parameters.push(value)}`;
    const filters = {
      status: query.status === undefined ? undefined : parameter(query.status),
      type: query.type === undefined ? undefined : parameter(query.type),
      institution_id: query.institutionId === undefined ? undefined : parameter(query.institutionId),
      certifier_id: query.certifierId === undefined ? undefined : parameter(query.certifierId),
    };
    const filtered = (alias: string, columns: (keyof typeof filters)[]) =>
      columns.flatMap((column) => (filters[column] ? [`${alias}.${column} = ${filters[column]}`] : []));
    const visible = [
      this.access.visibleCasesCondition(actor, 'c', parameters),
      ...filtered('c', ['status', 'type', 'institution_id', 'certifier_id']),
    ].join(' AND ');
    // One statement per page (each statement costs the API a round trip). The page is chosen on the index
    // alone, so a deep OFFSET skips index entries, not whole rows, and only the page's rows are read in
    // full with all their view (CASE_VIEW_COLUMNS). The cases are read from the list indexes (migration
    // IndexCaseListOrder), or for a team member from their shadow team rows (migration CaseTeamList),
    // where each page row is checked again against the case itself. The exact total (count(*), not
    // count(DISTINCT id)) is counted on the same index range by the same statement, unless this process
    // holds it already: list totals are kept until a case or team changes anywhere (CaseListTotals).
    const byTeam = this.access.seesByTeam(actor);
    let from: string;
    if (byTeam) {
      const byType = filters.type !== undefined || filters.institution_id !== undefined;
      const team = [
        `l.user_id = ${parameter(actor.userId)}`,
        `l.certifier_id = ${parameter(actor.organizationId)}`,
        'l.is_submitted',
        ...filtered('l', ['status', 'certifier_id']),
        ...(byType ? filtered('c', ['type', 'institution_id']) : []),
      ].join(' AND ');
      from = `case_team_list l ${byType ? 'JOIN certification_case c ON c.id = l.case_id' : ''} WHERE ${team}`;
    } else {
      from = `certification_case c WHERE ${visible}`;
    }
    const [id, updatedAt] = byTeam ? ['l.case_id', 'l.updated_at'] : ['c.id', 'c.updated_at'];
    const totalKey = JSON.stringify([from, parameters]);
    const knownTotal = this.totals.get(totalKey);
    // The page size (a validated integer of 1–100) is written into the statement, not bound: knowing
    // its LIMIT, the planner's generic plan for the prepared statement is as good as a custom one, so
    // PostgreSQL keeps it after five executions instead of planning every page again (about 1 ms, more
    // than the execution of page 200). At most 100 texts per list shape.
    const limit = Math.trunc(query.pageSize);
    if (!(limit >= 1 && limit <= MAX_PAGE_SIZE)) throw new Error(`Unvalidated page size: ${query.pageSize}`);
    const listed = `listed AS (SELECT ${id} AS id, ${updatedAt} AS updated_at FROM ${from}
                     ORDER BY ${updatedAt} DESC, ${id}
                     OFFSET ${parameter(pageOffset(query))} LIMIT ${limit})`;
    const page = `listed JOIN certification_case c ON c.id = listed.id AND ${visible} ${CASE_VIEW_JOINS}`;
    const token = this.totals.begin();
    const found = await this.prepared.query<(CaseViewRow & { total?: number; listed: string | null })[]>(
      knownTotal === undefined
        ? `WITH ${listed}, counted AS (SELECT count(*)::int AS total FROM ${from})
           SELECT counted.total, listed.id AS listed, ${CASE_VIEW_COLUMNS}
             FROM counted LEFT JOIN (${page}) ON TRUE
            ORDER BY listed.updated_at DESC, listed.id`
        : `WITH ${listed}
           SELECT listed.id AS listed, ${CASE_VIEW_COLUMNS} FROM ${page}
            ORDER BY listed.updated_at DESC, listed.id`,
      parameters,
    );
    const total = knownTotal ?? found[0]?.total ?? 0;
    if (knownTotal === undefined && this.notifications.isInStep) this.totals.keep(totalKey, total, token);
    const items = found
      .filter((row) => row.listed !== null)
      .map((row) => toCaseDto(actor, toCaseView(row), this.calendar));
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  /** The case's audit events, oldest first, each as far as the caller's party may see it (CASE_HISTORY_RULES). */
  async history(actor: Actor, caseId: string): Promise<HistoryEventDto[]> {
    // One statement: the case's snapshot and its events, dropped unless the case is visible. The events come
    // as one JSON array and their times as a timestamptz[] beside it (parsed as a timestamptz column is).
    const [found] = await this.prepared.query<(CaseSnapshotRow & HistoryRows)[]>(
      `SELECT ${CASE_SNAPSHOT_COLUMNS}, events.list AS events, events.occurred_at AS "occurredAt"
         FROM certification_case c
        CROSS JOIN LATERAL (
          SELECT json_agg(json_build_object('id', e.id, 'actorId', e.actor_id, 'actorName', e.actor_name,
                   'action', e.action, 'fromStatus', e.from_status, 'toStatus', e.to_status, 'reason', e.reason,
                   'data', e.data) ORDER BY e.sequence) AS list,
                 array_agg(e.occurred_at ORDER BY e.sequence) AS occurred_at
            FROM audit_event e WHERE e.case_id = c.id
        ) events
        WHERE c.id = $1`,
      [caseId],
    );
    if (!found) throw new NotFoundError('Case');
    const snapshot = this.access.visible(actor, snapshotOfRow(found));
    const party = historyPartyOf(actor, snapshot);
    return (found.events ?? [])
      .map((event, index) =>
        visibleHistoryEvent(
          party,
          snapshot.status,
          toHistoryEventDto({ ...event, occurredAt: found.occurredAt![index] }),
        ),
      )
      .filter((event): event is HistoryEventDto => event !== null);
  }
}
