import type { Response } from 'supertest';
import type { ApiClient, Session } from '../support/api-client';
import { CaseBuilder, type CaseRef } from '../support/case-builder';
import type { TestApp } from '../support/test-app';
import type { World } from '../support/world';

// ---------------------------------------------------------------------------------------------
// Dates, computed here independently of the product's own calendar code.
// ---------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

export const todayUtc = (): string => new Date().toISOString().slice(0, 10);

export function addCalendarDays(date: string, days: number): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

export function isWeekend(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

/** The date `count` working days (Monday to Friday, not a holiday) after `date`, which does not count. */
export function workingDaysAfter(date: string, count: number, holidays: readonly string[] = []): string {
  let current = date;
  let remaining = count;
  while (remaining > 0) {
    current = addCalendarDays(current, 1);
    if (!isWeekend(current) && !holidays.includes(current)) remaining -= 1;
  }
  return current;
}

/** The first Monday-to-Friday date after `date`. */
export function nextWeekday(date: string): string {
  let current = addCalendarDays(date, 1);
  while (isWeekend(current)) current = addCalendarDays(current, 1);
  return current;
}

/** `date` moved by `months` calendar months, the day clamped to the length of the target month. */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return new Date(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay))).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/** The fields named by an error's details, each once. */
export const fieldsOf = (response: Response): string[] => [
  ...new Set(((response.body.details ?? []) as { field?: string }[]).map((detail) => detail.field ?? '')),
];

/** The user ids named by an error's details. */
export const userIdsOf = (response: Response): string[] => [
  ...new Set(
    ((response.body.details ?? []) as { userId?: string | null }[])
      .map((detail) => detail.userId)
      .filter((userId): userId is string => typeof userId === 'string'),
  ),
];

/** Status, code and (for 400) the fields of an error answer, for one readable assertion. */
export const errorOf = (response: Response): { status: number; code: unknown; fields: string[] } => ({
  status: response.status,
  code: response.body?.code,
  fields: fieldsOf(response),
});

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

export interface HistoryEvent {
  id: string;
  at: string;
  actor: { id: string | null; name: string };
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  reason: string | null;
  data: Record<string, unknown>;
}

/** What a refused request must leave as it was. */
export interface CaseState {
  status: string;
  version: number;
  updatedAt: string;
  events: string[];
}

/**
 * The CaseBuilder of the harness, failing fast on a step (opening, a given transition, the team…)
 * once the app answered that same step 503 DATABASE_UNAVAILABLE: the same failure would otherwise
 * cost every later fixture the database's connect timeout. Other steps are still attempted.
 */
export class CaseFixtures extends CaseBuilder {
  private readonly outages = new Map<string, string>();

  constructor(
    private readonly api: ApiClient,
    private readonly people: World,
  ) {
    super(api, people);
  }

  private async step<T>(name: string, run: () => Promise<T>): Promise<T> {
    const outage = this.outages.get(name);
    if (outage) throw new Error(`not attempted: ${name} failed before with ${outage}`);
    try {
      return await run();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/\b503\b/.test(message)) this.outages.set(name, message);
      throw error;
    }
  }

  override open(
    overrides: { editionId?: string; certifierId?: string; as?: Session } = {},
  ): Promise<CaseRef> {
    return this.step('open', () => super.open(overrides));
  }

  override completeSelfAssessment(caseId: string, as?: Session): Promise<void> {
    return this.step('self-assessment', () => super.completeSelfAssessment(caseId, as));
  }

  override transition(
    caseId: string,
    action: string,
    as: Session,
    extra: { reason?: string; data?: Record<string, unknown> } = {},
  ): Promise<CaseRef> {
    return this.step(action, () => super.transition(caseId, action, as, extra));
  }

  override assignTeam(
    caseId: string,
    team: { leadRaterId: string; raterIds: string[]; committeeMemberIds: string[] },
  ): Promise<CaseRef> {
    return this.step('team', () => super.assignTeam(caseId, team));
  }

  override declare(caseId: string, as: Session, hasConflict = false): Promise<void> {
    return this.step('declare', () => super.declare(caseId, as, hasConflict));
  }

  override setMission(caseId: string, as?: Session): Promise<CaseRef> {
    return this.step('mission', () => super.setMission(caseId, as));
  }

  /** draft → submitted for another institution or certification body than the world's own. */
  async submittedBy(institutionAdmin: Session, certifierId: string): Promise<CaseRef> {
    const opened = await this.open({ as: institutionAdmin, certifierId });
    await this.completeSelfAssessment(opened.id, institutionAdmin);
    return this.transition(opened.id, 'submit', institutionAdmin);
  }

  async history(caseId: string): Promise<HistoryEvent[]> {
    const response = await this.api.get(
      `/api/v1/cases/${caseId}/history`,
      this.people.sessions.secretariat_admin,
    );
    if (response.status !== 200)
      throw new Error(`history: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as HistoryEvent[];
  }

  /** The case as the secretariat reads it, with the ids of its history events. */
  async state(caseId: string): Promise<CaseState> {
    const current = await this.read(caseId);
    return {
      status: current.status,
      version: current.version,
      updatedAt: current.updatedAt as string,
      events: (await this.history(caseId)).map((event) => event.id),
    };
  }
}

/** A fixture made on first use and shared after: only the tests that need it fail when it cannot be made. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/** Rows of a table, to show that a refused creation stored nothing. */
export async function countRows(
  testApp: TestApp,
  table: 'certification_case' | 'audit_event',
): Promise<number> {
  const rows: { count: string }[] = await testApp.dataSource.query(`SELECT count(*) FROM ${table}`);
  return Number(rows[0].count);
}
