import { type DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { CasesModule, CloseLapsedCasesService } from '@app/cases';
import { CertificateExpiryService, CertificatesModule, CheckInOverdueService } from '@app/certificates';
import {
  CheckInRemindersService,
  NotificationEmailOutbox,
  NotificationsModule,
  WindowClosingNoticesService,
} from '@app/notifications';
import { type AppConfig, ConfigModule } from '@app/config';
import { type DatabaseConnection, DatabaseModule, IdempotencyStore } from '@app/database';
import { DocumentsModule, PdfDocumentsService } from '@app/documents';
import { CommitmentPathwayService, FieldModule } from '@app/field';
import { IdentityModule, SessionHousekeepingService } from '@app/identity';
import { MIGRATIONS } from '@app/migrations';
import { LoggerModule } from 'nestjs-pino';
import { JobScheduler } from './job-scheduler';
import { SCHEDULED_JOBS, type ScheduledJob } from './scheduled-job';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The worker: scheduled and queued work, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, connection: DatabaseConnection): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({ pinoHttp: { level: config.logging.level } }),
        DatabaseModule.forRoot(connection, MIGRATIONS),
        AuditModule,
        IdentityModule,
        CasesModule,
        CertificatesModule,
        NotificationsModule,
        DocumentsModule,
        FieldModule,
      ],
      providers: [
        JobScheduler,
        {
          provide: SCHEDULED_JOBS,
          inject: [
            SessionHousekeepingService,
            IdempotencyStore,
            CertificateExpiryService,
            CheckInOverdueService,
            CloseLapsedCasesService,
            CheckInRemindersService,
            WindowClosingNoticesService,
            NotificationEmailOutbox,
            PdfDocumentsService,
            CommitmentPathwayService,
          ],
          useFactory: (
            sessions: SessionHousekeepingService,
            idempotency: IdempotencyStore,
            expiry: CertificateExpiryService,
            overdue: CheckInOverdueService,
            lapsedCases: CloseLapsedCasesService,
            reminders: CheckInRemindersService,
            windowNotices: WindowClosingNoticesService,
            emailOutbox: NotificationEmailOutbox,
            documents: PdfDocumentsService,
            pathways: CommitmentPathwayService,
          ): ScheduledJob[] => [
            {
              name: 'commitment-pathways',
              intervalMs: 6 * HOUR,
              run: async () => {
                const counts = await pathways.run();
                return `${counts.changed} commitment pathway statuses changed, ${counts.reminders} reminders sent`;
              },
            },
            {
              name: 'check-in-reminders',
              intervalMs: 6 * HOUR,
              run: async () => `${await reminders.remind()} check-in reminders sent`,
            },
            {
              name: 'window-closing-notices',
              intervalMs: HOUR,
              run: async () => {
                const notices = await windowNotices.notifyClosedWindows();
                return `${notices.responseWindow} response-window and ${notices.appealWindow} appeal-window notices sent`;
              },
            },
            {
              name: 'send-notification-emails',
              intervalMs: MINUTE,
              run: async () => {
                const emails = await emailOutbox.sendDue();
                return `${emails.sent} notification e-mails sent, ${emails.retrying} to retry, ${emails.failed} failed, ${emails.skipped} skipped`;
              },
            },
            {
              name: 'close-lapsed-not-certified-cases',
              intervalMs: HOUR,
              run: async () =>
                `${await lapsedCases.closeLapsed()} not-certified cases closed after their appeal window`,
            },
            {
              name: 'expire-certificates',
              intervalMs: HOUR,
              run: async () => `${await expiry.expireDue()} certificates expired`,
            },
            {
              name: 'check-in-overdue',
              intervalMs: HOUR,
              run: async () => {
                const counts = await overdue.run();
                return `${counts.flagged} certificates flagged check-in overdue, ${counts.suspended} suspended after the grace period`;
              },
            },
            {
              name: 'purge-expired-refresh-tokens',
              intervalMs: 6 * HOUR,
              run: async () => `${await sessions.purgeExpiredRefreshTokens()} expired refresh tokens removed`,
            },
            {
              name: 'purge-old-rendered-documents',
              intervalMs: 24 * HOUR,
              run: async () => `${await documents.purgeOlderThanRetention()} rendered documents removed`,
            },
            {
              name: 'purge-old-idempotency-records',
              intervalMs: 6 * HOUR,
              run: async () => `${await idempotency.purgeOlderThanRetention()} idempotency records removed`,
            },
          ],
        },
      ],
    };
  }
}
