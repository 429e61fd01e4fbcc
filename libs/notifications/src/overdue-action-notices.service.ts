import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { STATUSES_SHOWN_TO_INSTITUTION } from '@app/cases';
import { todayUtc } from '@app/common';
import { DataSource } from 'typeorm';

/**
 * Tells the institution's admins and the lead rater of the case an action is worked in (its own case, or
 * the check-in or renewal it was carried into) that a corrective action is past its due date and neither
 * done nor verified. Once per action and user: the notice key is unique, so running the job again (or in
 * two workers) adds nothing. The institution is not told of an action the raters found `not_verified` in a
 * case whose findings it does not see yet (the notice names the status): it hears of it once they are issued.
 */
@Injectable()
export class OverdueActionNoticesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async notifyOverdue(today: string = todayUtc()): Promise<number> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO notification (user_id, kind, case_id, title, body, dedupe_key)
       SELECT u.id, 'action.overdue', w.case_id,
              'Corrective action overdue since ' || to_char(a.due_on, 'YYYY-MM-DD'),
              'A corrective action' ||
                CASE WHEN cardinality(a.indicator_codes) > 0
                     THEN ' on ' || array_to_string(a.indicator_codes, ', ') ELSE '' END ||
                ' is ' || replace(a.status, '_', ' ') || ' after its due date: update it or agree a new date.',
              'action_overdue:' || a.id || ':' || u.id
       FROM corrective_action a
       JOIN certification_case origin ON origin.id = a.case_id
       CROSS JOIN LATERAL (
         SELECT link.case_id FROM corrective_action_case link
          WHERE link.action_id = a.id ORDER BY link.added_at DESC LIMIT 1
       ) w
       JOIN certification_case worked ON worked.id = w.case_id
       JOIN user_account u
         ON u.is_active AND (
           -- The institution hears of an action once it sees it: findings issued, or carried into a plan.
           (u.organization_id = origin.institution_id AND u.role = 'institution_admin' AND
             (origin.status NOT IN ('draft', 'submitted', 'desk_review', 'onsite') OR a.case_id <> w.case_id) AND
             -- A verification is the raters' until the findings of the case it was recorded in are issued.
             (a.status <> 'not_verified' OR worked.status = ANY($2::text[]))) OR
           u.id IN (SELECT member.user_id FROM case_team_member member
                     WHERE member.case_id = w.case_id AND member.team_role = 'lead_rater'))
       WHERE a.status IN ('open', 'in_progress', 'not_verified')
         AND a.due_on < $1::date
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [today, STATUSES_SHOWN_TO_INSTITUTION],
    );
    return rows.length;
  }
}
