import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobQueue } from '@app/database';
import type PgBoss from 'pg-boss';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { NotificationEntity } from '../entities/notification.entity';
import {
  describeEmailError,
  EMAIL_RETRY_DELAY_SECONDS,
  isPermanentEmailRejection,
  MAX_EMAIL_ATTEMPTS,
} from './email-retry.util';
import { renderNotificationEmail } from './notification-email.template';
import { NotificationMailer } from './notification-mailer';

/** The pg-boss queue of notification e-mails: one job per notification, its id the notification's. */
export const EMAIL_QUEUE = 'send-notification-email';
/** Where e-mails that failed their last attempt are kept, with the error. */
export const EMAIL_DEAD_LETTER_QUEUE = 'send-notification-email-dead-letter';

export interface EmailQueueCounts {
  /** Pending notifications handed to the e-mail queue. */
  queued: number;
  /** Not to be e-mailed: e-mail is off. */
  skipped: number;
}

export type EmailDeliveryOutcome = 'sent' | 'failed' | 'skipped' | 'not_queued';

interface EmailJobData {
  notificationId: string;
}

interface ClaimedEmail {
  id: string;
  title: string;
  body: string;
  caseId: string | null;
  email: string;
  name: string;
  isActive: boolean;
}

/** A queued e-mail whose server is away for good is given up when its job expires, then retried. */
const SEND_TIMEOUT_SECONDS = 300;
const MOST_PER_RUN = 500;
/** E-mails one worker takes at a time (sent one after the other). */
const EMAIL_BATCH_SIZE = 20;

/**
 * The e-mail copy of notifications, through pg-boss. The notification row, written in the transition's
 * own transaction, stays the record (`email_status` pending → queued → sent, failed or skipped, with
 * attempts and the last error): `queueDue` moves pending rows to `queued` and inserts one job per row
 * in the same transaction (so a row is queued once, however many workers run it); the job's handler
 * sends the message. pg-boss retries a failure with exponential back-off (8 attempts over about half a
 * day to a day), keeps a job that failed its last attempt in the dead-letter queue, and archives every
 * job. A crash between the server's acceptance and the `sent` mark sends it again when the job expires
 * (at least once, with the same Message-ID). A slow or failing SMTP server never holds up a transition.
 */
@Injectable()
export class NotificationEmailOutbox {
  private readonly logger = new Logger(NotificationEmailOutbox.name);
  private queuesReady: Promise<PgBoss> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailer: NotificationMailer,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * Starts this process's handler of the e-mail queue (the worker does). pg-boss waits its polling
   * interval after every fetch, so jobs come in batches; each job of a batch succeeds or fails on its own.
   */
  async register(): Promise<void> {
    const boss = await this.queues();
    await boss.work<EmailJobData>(
      EMAIL_QUEUE,
      { includeMetadata: true, batchSize: EMAIL_BATCH_SIZE, pollingIntervalSeconds: 2 },
      async (jobs) => {
        for (const job of jobs) {
          try {
            await this.deliver(job);
          } catch (error) {
            // Failed alone; the rest of the batch completes when the handler returns.
            await boss.fail(EMAIL_QUEUE, job.id, { message: describeEmailError(error) });
          }
        }
      },
    );
  }

  /** Hands pending notifications to the e-mail queue (or marks them skipped without SMTP). */
  async queueDue(most: number = MOST_PER_RUN): Promise<EmailQueueCounts> {
    if (!this.mailer.isEnabled) {
      // Without SMTP nothing is sent; marking rows keeps a later SMTP_URL from mailing old news.
      return { queued: 0, skipped: await this.skipPending() };
    }
    const boss = await this.queues();
    const queued = await this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<{ id: string }[]>(
        `SELECT id FROM notification
         WHERE email_status = 'pending' AND email_next_attempt_at <= now()
         ORDER BY email_next_attempt_at, id
         LIMIT $1
         FOR UPDATE SKIP LOCKED`,
        [most],
      );
      if (rows.length === 0) return 0;
      const ids = rows.map((row) => row.id);
      await boss.insert(
        ids.map((id) => ({ id, name: EMAIL_QUEUE, data: { notificationId: id } satisfies EmailJobData })),
        { db: transactionExecutor(manager) },
      );
      await manager.query(`UPDATE notification SET email_status = 'queued' WHERE id = ANY($1)`, [ids]);
      return ids.length;
    });
    return { queued, skipped: 0 };
  }

  /**
   * Sends one queued notification (pg-boss's handler). Throws on a failure that a later attempt may
   * cure, so pg-boss retries it; records the attempt on the row either way.
   */
  async deliver(job: PgBoss.JobWithMetadata<EmailJobData>): Promise<{ outcome: EmailDeliveryOutcome }> {
    const notificationId = job.data.notificationId;
    const attempt = job.retryCount + 1;
    const [claimed] = await this.dataSource.query<ClaimedEmail[]>(
      `SELECT n.id, n.title, n.body, n.case_id AS "caseId", u.email, u.name, u.is_active AS "isActive"
       FROM notification n JOIN user_account u ON u.id = n.user_id
       WHERE n.id = $1 AND n.email_status = 'queued'`,
      [notificationId],
    );
    if (!claimed) return { outcome: 'not_queued' };
    if (!claimed.isActive) {
      await this.finish(notificationId, { emailStatus: 'skipped' });
      return { outcome: 'skipped' };
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
      const isPermanent = isPermanentEmailRejection(error);
      if (isPermanent || job.retryCount >= job.retryLimit) {
        this.logger.warn(
          `notification ${notificationId}: e-mail given up after ${attempt} attempt(s): ${description}`,
        );
        await this.finish(notificationId, {
          emailStatus: 'failed',
          emailAttempts: attempt,
          emailError: description,
        });
        // A refusal for good completes the job (nothing to retry); a last failed attempt fails it into
        // the dead-letter queue.
        if (isPermanent) return { outcome: 'failed' };
        throw error;
      }
      await this.dataSource.query(
        `UPDATE notification SET email_attempts = $2, email_error = $3 WHERE id = $1 AND email_status = 'queued'`,
        [notificationId, attempt, description],
      );
      this.logger.warn(
        `notification ${notificationId}: e-mail attempt ${attempt} failed, pg-boss retries it: ${description}`,
      );
      throw error;
    }
    await this.finish(notificationId, {
      emailStatus: 'sent',
      emailAttempts: attempt,
      emailedAt: () => 'now()',
    });
    return { outcome: 'sent' };
  }

  /** The started job queue with the e-mail queues created (idempotent). */
  private queues(): Promise<PgBoss> {
    this.queuesReady ??= (async () => {
      const boss = await this.jobs.start();
      await boss.createQueue(EMAIL_DEAD_LETTER_QUEUE, {
        name: EMAIL_DEAD_LETTER_QUEUE,
        retentionMinutes: 30 * 24 * 60,
      });
      const options: PgBoss.Queue = {
        name: EMAIL_QUEUE,
        policy: 'standard',
        retryLimit: MAX_EMAIL_ATTEMPTS - 1,
        retryDelay: EMAIL_RETRY_DELAY_SECONDS,
        retryBackoff: true,
        expireInSeconds: SEND_TIMEOUT_SECONDS,
        retentionMinutes: 3 * 24 * 60,
        deadLetter: EMAIL_DEAD_LETTER_QUEUE,
      };
      await boss.createQueue(EMAIL_QUEUE, options);
      await boss.updateQueue(EMAIL_QUEUE, options);
      return boss;
    })().catch((error: unknown) => {
      this.queuesReady = undefined;
      throw error;
    });
    return this.queuesReady;
  }

  private async finish(
    notificationId: string,
    changes: QueryDeepPartialEntity<NotificationEntity>,
  ): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(NotificationEntity)
      .set(changes)
      .where("id = :notificationId AND email_status = 'queued'", { notificationId })
      .execute();
  }

  private async skipPending(): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(NotificationEntity)
      .set({ emailStatus: 'skipped' })
      .where("email_status IN ('pending', 'queued')")
      .execute();
    return result.affected ?? 0;
  }
}

/** pg-boss statements on the connection of a TypeORM transaction, so they commit or roll back with it. */
function transactionExecutor(manager: EntityManager): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => ({ rows: await manager.query(text, values) }),
  };
}
