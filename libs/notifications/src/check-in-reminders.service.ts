import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { todayUtc } from '@app/common';
import { DataSource, type EntityManager } from 'typeorm';

/** Reminders of a coming check-in: 90 days ahead, then 30 days ahead. */
const MILESTONES = [
  { days: 90, after: 30 },
  { days: 30, after: -1 },
] as const;

/**
 * Tells the institution's admins and the certification body's admins that a certificate's check-in is
 * due. Each reminder carries a unique key, so running the job again (or in two workers) adds nothing.
 */
@Injectable()
export class CheckInRemindersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async remind(today: string = todayUtc()): Promise<number> {
    let sent = 0;
    for (const milestone of MILESTONES) {
      const rows = await this.dataSource.query<{ id: string }[]>(
        `INSERT INTO notification (user_id, kind, case_id, title, body, dedupe_key)
         SELECT u.id, $2, c.case_id,
                'Check-in due on ' || to_char(c.check_in_due_on, 'YYYY-MM-DD') || ' for certificate ' || c.number,
                'Open the check-in case with the certification body in time: the certificate is suspended if the check-in fails.',
                'check_in:' || c.number || ':' || $3::text || ':' || u.id
         FROM certificate c
         JOIN user_account u
           ON u.is_active AND (
             (u.organization_id = c.institution_id AND u.role = 'institution_admin') OR
             (u.organization_id = c.certifier_id AND u.role = 'certifier_admin'))
         WHERE c.status = 'active'
           AND c.check_in_due_on IS NOT NULL
           AND c.checked_in_on IS NULL
           AND c.check_in_due_on - $1::date <= $3::int
           AND c.check_in_due_on - $1::date > $4::int
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING id`,
        [today, `certificate.check_in_due_${milestone.days}`, milestone.days, milestone.after],
      );
      sent += rows.length;
    }
    return sent;
  }

  /**
   * Tells the institution's admins, the certification body's admins and the secretariat about a
   * certificate's missed check-in (`kind` says which step), in the caller's transaction; once per
   * certificate, kind and user.
   */
  async notifyCertificateParties(
    manager: EntityManager,
    certificateNumber: string,
    kind: string,
    title: string,
    body: string,
  ): Promise<number> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO notification (user_id, kind, case_id, title, body, dedupe_key)
       SELECT u.id, $2, c.case_id, $3, $4, $2 || ':' || c.number || ':' || u.id
       FROM certificate c
       JOIN user_account u
         ON u.is_active AND (
           (u.organization_id = c.institution_id AND u.role = 'institution_admin') OR
           (u.organization_id = c.certifier_id AND u.role = 'certifier_admin') OR
           u.role IN ('secretariat_admin', 'secretariat_officer'))
       WHERE c.number = $1
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [certificateNumber, kind, title, body],
    );
    return rows.length;
  }
}
