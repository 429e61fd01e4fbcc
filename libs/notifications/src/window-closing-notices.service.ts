import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { todayUtc } from '@app/common';
import { DataSource } from 'typeorm';

export interface WindowClosingNoticeCounts {
  /** Notices that a findings response window is over (lead rater and raters). */
  responseWindow: number;
  /** Notices that a certified decision's appeal window passed without appeal (secretariat officers). */
  appealWindow: number;
  /** Reminders that an appeal's 14-day answer is due within 3 days (the body's admin and committee). */
  appealResponseReminder: number;
  /** Notices that an appeal's answer is overdue (the secretariat, which follows it up). */
  appealResponseOverdue: number;
}

/** Days before an appeal's answer date when the certification body is reminded. */
export const APPEAL_RESPONSE_REMINDER_DAYS = 3;

/**
 * Tells whoever may move a case on that the window they were waiting for has closed: the mission team
 * when the institution's time to answer findings is over (the case can go to the committee), and the
 * secretariat officers when a certified decision was not appealed in time (it can be published).
 * The windows are the case's own dates (`response_due_on`, `appeal_due_on`, both inclusive), read the
 * way the transition guards read them. Each notice carries a unique key per case, window date and
 * recipient, so running the job again, or in two workers at once, adds nothing; a new window date
 * (a case returned to the team and given a new date) is a new notice.
 */
@Injectable()
export class WindowClosingNoticesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async notifyClosedWindows(today: string = todayUtc()): Promise<WindowClosingNoticeCounts> {
    return {
      responseWindow: await this.notifyResponseWindowsOver(today),
      appealWindow: await this.notifyAppealWindowsOver(today),
      appealResponseReminder: await this.remindAppealResponsesDue(today),
      appealResponseOverdue: await this.notifyAppealResponsesOverdue(today),
    };
  }

  private async remindAppealResponsesDue(today: string): Promise<number> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO notification (user_id, kind, case_id, title, body, dedupe_key)
       SELECT DISTINCT ON (u.id, c.id) u.id, 'case.appeal_response_due', c.id,
              'Appeal of ' || o.name || ' to answer by ' || to_char(c.appeal_response_due_on, 'YYYY-MM-DD'),
              'The certification body answers an appeal within 14 calendar days: resolve it by ' ||
              to_char(c.appeal_response_due_on, 'YYYY-MM-DD') || '.',
              'appeal_response_due:' || c.id || ':' || to_char(c.appeal_response_due_on, 'YYYY-MM-DD') || ':' || u.id
       FROM certification_case c
       JOIN organization o ON o.id = c.institution_id
       JOIN user_account u ON u.is_active AND (
              (u.role = 'certifier_admin' AND u.organization_id = c.certifier_id)
           OR u.id IN (SELECT m.user_id FROM case_team_member m
                        WHERE m.case_id = c.id AND m.team_role = 'committee_member'))
       WHERE c.status = 'under_appeal'
         AND c.appeal_response_due_on >= $1::date
         AND c.appeal_response_due_on <= $1::date + $2::int
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [today, APPEAL_RESPONSE_REMINDER_DAYS],
    );
    return rows.length;
  }

  private async notifyAppealResponsesOverdue(today: string): Promise<number> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO notification (user_id, kind, case_id, title, body, dedupe_key)
       SELECT u.id, 'case.appeal_response_overdue', c.id,
              'Appeal of ' || o.name || ' unanswered',
              'The certification body had to answer the appeal by ' ||
              to_char(c.appeal_response_due_on, 'YYYY-MM-DD') ||
              '. The institution may now escalate it to the secretariat.',
              'appeal_response_overdue:' || c.id || ':' || to_char(c.appeal_response_due_on, 'YYYY-MM-DD') || ':' || u.id
       FROM certification_case c
       JOIN organization o ON o.id = c.institution_id
       JOIN user_account u ON u.role IN ('secretariat_admin', 'secretariat_officer') AND u.is_active
       WHERE c.status = 'under_appeal'
         AND c.appeal_response_due_on < $1::date
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [today],
    );
    return rows.length;
  }

  private async notifyResponseWindowsOver(today: string): Promise<number> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO notification (user_id, kind, case_id, title, body, dedupe_key)
       SELECT u.id, 'case.response_window_over', c.id,
              'Response window over for ' || o.name,
              'The institution could answer the findings until ' || to_char(c.response_due_on, 'YYYY-MM-DD') ||
              CASE WHEN m.team_role = 'lead_rater'
                   THEN '. You can now refer the case to the committee.'
                   ELSE '. The lead rater can now refer the case to the committee.' END,
              'response_window_over:' || c.id || ':' || to_char(c.response_due_on, 'YYYY-MM-DD') || ':' || u.id
       FROM certification_case c
       JOIN organization o ON o.id = c.institution_id
       JOIN case_team_member m ON m.case_id = c.id AND m.team_role IN ('lead_rater', 'rater')
       JOIN user_account u ON u.id = m.user_id AND u.is_active
       WHERE c.status = 'findings_issued'
         AND c.response_due_on < $1::date
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [today],
    );
    return rows.length;
  }

  private async notifyAppealWindowsOver(today: string): Promise<number> {
    // An appeal moves the case to under_appeal and its resolution clears appeal_due_on; an accepted
    // decision already told the officers (case.accept_decision). What is left lapsed unappealed.
    const rows = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO notification (user_id, kind, case_id, title, body, dedupe_key)
       SELECT u.id, 'case.appeal_window_over', c.id,
              'Certification of ' || o.name || ' ready to publish',
              'The appeal window closed on ' || to_char(c.appeal_due_on, 'YYYY-MM-DD') ||
              ' without an appeal. Publish the decision to issue the certificate.',
              'appeal_window_over:' || c.id || ':' || to_char(c.appeal_due_on, 'YYYY-MM-DD') || ':' || u.id
       FROM certification_case c
       JOIN organization o ON o.id = c.institution_id
       JOIN user_account u ON u.role = 'secretariat_officer' AND u.is_active
       WHERE c.status = 'decided'
         AND c.outcome = 'certified'
         AND c.decision_accepted_at IS NULL
         AND c.appeal_due_on < $1::date
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [today],
    );
    return rows.length;
  }
}
