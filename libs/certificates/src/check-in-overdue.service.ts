import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@app/audit';
import { SYSTEM_ACTOR, todayUtc } from '@app/common';
import { CheckInRemindersService } from '@app/notifications';
import { DataSource } from 'typeorm';
import { MISSED_CHECK_IN_REASON } from './certificate-status.util';
import { CertificateEntity } from './entities/certificate.entity';

/** Days after a missed check-in date before the certificate is suspended, unless the edition sets `checkInGraceDays`. */
export const DEFAULT_CHECK_IN_GRACE_DAYS = 90;

const BATCH = 200;

export interface CheckInOverdueCounts {
  flagged: number;
  suspended: number;
}

/**
 * A missed check-in has an effect. Once an active certificate's check-in date passed without a certified
 * check-in, it is flagged `checkInOverdue` and its institution, certification body and the secretariat are
 * told; once the edition's grace period (default 90 days) passed too, it is suspended, audited as a system
 * transition. Rows are claimed with `FOR UPDATE SKIP LOCKED` and notices carry unique keys, so several
 * workers running it at once flag, suspend and notify each certificate once.
 */
@Injectable()
export class CheckInOverdueService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notices: CheckInRemindersService,
  ) {}

  async run(today: string = todayUtc()): Promise<CheckInOverdueCounts> {
    return { flagged: await this.flagOverdue(today), suspended: await this.suspendAfterGrace(today) };
  }

  private async flagOverdue(today: string): Promise<number> {
    let flagged = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const due = await manager.query<{ number: string; case_id: string; check_in_due_on: string }[]>(
          `SELECT number, case_id, to_char(check_in_due_on, 'YYYY-MM-DD') AS check_in_due_on FROM certificate
           WHERE status = 'active' AND checked_in_on IS NULL AND check_in_overdue_since IS NULL
             AND check_in_due_on < $1 AND valid_until >= $1
           ORDER BY number LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
          [today],
        );
        for (const certificate of due) {
          await manager
            .getRepository(CertificateEntity)
            .update(
              { number: certificate.number },
              { checkInOverdueSince: today, version: () => 'version + 1' },
            );
          await this.audit.record(manager, SYSTEM_ACTOR, {
            entityType: 'certificate',
            entityId: certificate.number,
            caseId: certificate.case_id,
            action: 'certificate.check_in_overdue',
            reason: `The check-in was due on ${certificate.check_in_due_on}`,
          });
          await this.notices.notifyCertificateParties(
            manager,
            certificate.number,
            'certificate.check_in_overdue',
            `Check-in overdue for certificate ${certificate.number}`,
            `The check-in was due on ${certificate.check_in_due_on} and no certified check-in was published. ` +
              'Without one the certificate is suspended at the end of the grace period.',
          );
        }
        return due.length;
      });
      flagged += batch;
      if (batch < BATCH) return flagged;
    }
  }

  private async suspendAfterGrace(today: string): Promise<number> {
    let suspended = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const due = await manager.query<{ number: string; case_id: string; grace_days: number }[]>(
          `SELECT c.number, c.case_id, COALESCE((e.document->>'checkInGraceDays')::int, $2) AS grace_days
           FROM certificate c JOIN standards_edition e ON e.id = c.edition_id
           WHERE c.status = 'active' AND c.checked_in_on IS NULL AND c.check_in_overdue_since IS NOT NULL
             AND c.check_in_due_on + COALESCE((e.document->>'checkInGraceDays')::int, $2) < $1::date
             AND c.valid_until >= $1
           ORDER BY c.number LIMIT ${BATCH} FOR UPDATE OF c SKIP LOCKED`,
          [today, DEFAULT_CHECK_IN_GRACE_DAYS],
        );
        for (const certificate of due) {
          await manager
            .getRepository(CertificateEntity)
            .update(
              { number: certificate.number, status: 'active' },
              { status: 'suspended', statusReason: MISSED_CHECK_IN_REASON, version: () => 'version + 1' },
            );
          await this.audit.record(manager, SYSTEM_ACTOR, {
            entityType: 'certificate',
            entityId: certificate.number,
            caseId: certificate.case_id,
            action: 'certificate.suspend',
            fromStatus: 'active',
            toStatus: 'suspended',
            reason: MISSED_CHECK_IN_REASON,
            data: { graceDays: certificate.grace_days },
          });
          await this.notices.notifyCertificateParties(
            manager,
            certificate.number,
            'certificate.suspended_check_in_missed',
            `Certificate ${certificate.number} suspended: check-in missed`,
            `No certified check-in was published within ${certificate.grace_days} days after the check-in date. ` +
              'A certified check-in reinstates it.',
          );
        }
        return due.length;
      });
      suspended += batch;
      if (batch < BATCH) return suspended;
    }
  }
}
