import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { NotificationEntity } from '../entities/notification.entity';
import {
  describeEmailError,
  emailRetryDelaySeconds,
  isPermanentEmailRejection,
  MAX_EMAIL_ATTEMPTS,
} from './email-retry.util';
import { renderNotificationEmail } from './notification-email.template';
import { NotificationMailer } from './notification-mailer';

export interface EmailOutboxCounts {
  sent: number;
  /** Failed this time, tried again after a back-off. */
  retrying: number;
  /** Given up: refused for good by the server, or still failing after the last attempt. */
  failed: number;
  /** Not to be e-mailed: e-mail is off, or the recipient's account is inactive. */
  skipped: number;
}

interface ClaimedEmail {
  id: string;
  title: string;
  body: string;
  caseId: string | null;
  /** Including the attempt being made now. */
  attempts: number;
  email: string;
  name: string;
  isActive: boolean;
}

/** How long a claimed row stays reserved for the worker sending it: well beyond the SMTP timeouts. */
const LEASE_SECONDS = 300;
const MOST_PER_RUN = 200;

/**
 * Sends the e-mail copy of notifications after the transactions that wrote them have committed, so a
 * slow or failing SMTP server never holds up or undoes a case transition. Each row is claimed with
 * `FOR UPDATE SKIP LOCKED` and leased by moving its next attempt out; several workers therefore send
 * each message once. A crash between the server's acceptance and the `sent` mark sends it again when
 * the lease ends (at least once, with the same Message-ID). Failures are recorded on the row and retried
 * with back-off; the in-app notification is never affected.
 */
@Injectable()
export class NotificationEmailOutbox {
  private readonly logger = new Logger(NotificationEmailOutbox.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailer: NotificationMailer,
  ) {}

  async sendDue(most: number = MOST_PER_RUN): Promise<EmailOutboxCounts> {
    const counts: EmailOutboxCounts = { sent: 0, retrying: 0, failed: 0, skipped: 0 };
    if (!this.mailer.isEnabled) {
      // Without SMTP nothing is sent; marking rows keeps a later SMTP_URL from mailing old news.
      counts.skipped = await this.skipPending();
      return counts;
    }
    for (let index = 0; index < most; index += 1) {
      const claimed = await this.claimNext();
      if (!claimed) break;
      counts[await this.deliver(claimed)] += 1;
    }
    return counts;
  }

  private claimNext(): Promise<ClaimedEmail | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const [claimed] = await manager.query<ClaimedEmail[]>(
        `SELECT n.id, n.title, n.body, n.case_id AS "caseId", n.email_attempts + 1 AS attempts,
                u.email, u.name, u.is_active AS "isActive"
         FROM notification n
         JOIN user_account u ON u.id = n.user_id
         WHERE n.email_status = 'pending' AND n.email_next_attempt_at <= now()
         ORDER BY n.email_next_attempt_at, n.id
         LIMIT 1
         FOR UPDATE OF n SKIP LOCKED`,
      );
      if (!claimed) return undefined;
      await manager.query(
        `UPDATE notification
         SET email_attempts = email_attempts + 1, email_next_attempt_at = now() + make_interval(secs => $2)
         WHERE id = $1`,
        [claimed.id, LEASE_SECONDS],
      );
      return claimed;
    });
  }

  private async deliver(claimed: ClaimedEmail): Promise<keyof EmailOutboxCounts> {
    if (!claimed.isActive) {
      await this.finish(claimed.id, { emailStatus: 'skipped' });
      return 'skipped';
    }
    const content = renderNotificationEmail({
      recipientName: claimed.name,
      title: claimed.title,
      body: claimed.body,
      caseId: claimed.caseId,
    });
    try {
      await this.mailer.send({
        to: { name: claimed.name, address: claimed.email },
        ...content,
        messageId: `<notification.${claimed.id}@${this.mailer.senderDomain}>`,
        headers: { 'X-Notification-Id': claimed.id },
      });
    } catch (error) {
      const description = describeEmailError(error);
      if (isPermanentEmailRejection(error) || claimed.attempts >= MAX_EMAIL_ATTEMPTS) {
        this.logger.warn(
          `notification ${claimed.id}: e-mail given up after ${claimed.attempts} attempt(s): ${description}`,
        );
        await this.finish(claimed.id, { emailStatus: 'failed', emailError: description });
        return 'failed';
      }
      await this.dataSource.query(
        `UPDATE notification SET email_error = $2, email_next_attempt_at = now() + make_interval(secs => $3)
         WHERE id = $1 AND email_status = 'pending'`,
        [claimed.id, description, emailRetryDelaySeconds(claimed.attempts)],
      );
      this.logger.warn(
        `notification ${claimed.id}: e-mail attempt ${claimed.attempts} failed, will retry: ${description}`,
      );
      return 'retrying';
    }
    await this.finish(claimed.id, { emailStatus: 'sent', emailedAt: () => 'now()' });
    return 'sent';
  }

  private async finish(
    notificationId: string,
    changes: QueryDeepPartialEntity<NotificationEntity>,
  ): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(NotificationEntity)
      .set(changes)
      .where("id = :notificationId AND email_status = 'pending'", { notificationId })
      .execute();
  }

  private async skipPending(): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(NotificationEntity)
      .set({ emailStatus: 'skipped' })
      .where("email_status = 'pending'")
      .execute();
    return result.affected ?? 0;
  }
}
