import { logDestination } from '@app/common';
import { type DynamicModule, Module } from '@nestjs/common';
import { AssessmentModule } from '@app/assessment';
import { AuditModule } from '@app/audit';
import { CasesModule, CloseLapsedCasesService } from '@app/cases';
import { CertificateExpiryService, CertificatesModule, CheckInOverdueService } from '@app/certificates';
import {
  CheckInRemindersService,
  NotificationEmailOutbox,
  NotificationsModule,
  OverdueActionNoticesService,
  WindowClosingNoticesService,
} from '@app/notifications';
import { type AppConfig, ConfigModule } from '@app/config';
import { type DatabaseConnection, DatabaseModule, IdempotencyStore } from '@app/database';
import { DecisionsModule } from '@app/decisions';
import { DocumentsModule, PdfDocumentsService } from '@app/documents';
import { FindingsModule } from '@app/findings';
import {
  BenchmarkSummaryService,
  CommitmentPathwayService,
  FieldModule,
  QaSamplingService,
} from '@app/field';
import { IdentityModule, SessionHousekeepingService } from '@app/identity';
import { MIGRATIONS } from '@app/migrations';
import { EvidenceStorage } from '@app/storage';
import { LoggerModule } from 'nestjs-pino';
import { JobScheduler } from './job-scheduler';
import { QUEUED_WORK, type QueuedWork, SCHEDULED_JOBS, type ScheduledJob } from './scheduled-job';

const HOUR = 3_600_000;

/** The worker: scheduled and queued work, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, connection: DatabaseConnection): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: { level: config.logging.level, stream: logDestination(config.logging.isPretty) },
        }),
        DatabaseModule.forRoot(connection, MIGRATIONS),
        AuditModule,
        IdentityModule,
        CasesModule,
        // Every lib that registers a transition hook: the worker runs transitions too (closing lapsed cases),
        // and the registry refuses to start with a declared hook missing.
        AssessmentModule,
        FindingsModule,
        DecisionsModule,
        CertificatesModule,
        NotificationsModule,
        DocumentsModule,
        FieldModule,
      ],
      providers: [
        JobScheduler,
        {
          provide: QUEUED_WORK,
          inject: [NotificationEmailOutbox, PdfDocumentsService],
          useFactory: (
            emailOutbox: NotificationEmailOutbox,
            documents: PdfDocumentsService,
          ): QueuedWork[] => [
            emailOutbox,
            // Certificate and report PDFs that API instances with PDF_RENDERING=worker queue.
            { register: () => documents.registerRenderWorker() },
          ],
        },
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
            OverdueActionNoticesService,
            NotificationEmailOutbox,
            PdfDocumentsService,
            EvidenceStorage,
            CommitmentPathwayService,
            BenchmarkSummaryService,
            QaSamplingService,
          ],
          useFactory: (
            sessions: SessionHousekeepingService,
            idempotency: IdempotencyStore,
            expiry: CertificateExpiryService,
            overdue: CheckInOverdueService,
            lapsedCases: CloseLapsedCasesService,
            reminders: CheckInRemindersService,
            windowNotices: WindowClosingNoticesService,
            overdueActions: OverdueActionNoticesService,
            emailOutbox: NotificationEmailOutbox,
            documents: PdfDocumentsService,
            storage: EvidenceStorage,
            pathways: CommitmentPathwayService,
            benchmarks: BenchmarkSummaryService,
            qaSampling: QaSamplingService,
          ): ScheduledJob[] => [
            {
              name: 'qa-sampling',
              cron: '20 * * * *',
              run: async () => {
                const counts = await qaSampling.run();
                return `${counts.checked} decisions checked for QA, ${counts.selected} selected for review`;
              },
            },
            {
              name: 'refresh-benchmarks',
              // BENCHMARK_REFRESH_INTERVAL_MS (10 minutes): the staleness the benchmark answers admit.
              cron: '*/10 * * * *',
              run: async () => {
                const refresh = await benchmarks.refresh();
                return refresh
                  ? `benchmark summary rebuilt over ${refresh.decidedCases} decided cases in ${refresh.durationMs} ms`
                  : 'benchmark summary being rebuilt by another process';
              },
            },
            {
              name: 'commitment-pathways',
              cron: '5 */6 * * *',
              run: async () => {
                const counts = await pathways.run();
                return `${counts.changed} commitment pathway statuses changed, ${counts.reminders} reminders sent`;
              },
            },
            {
              name: 'check-in-reminders',
              cron: '10 */6 * * *',
              run: async () => `${await reminders.remind()} check-in reminders sent`,
            },
            {
              name: 'window-closing-notices',
              cron: '15 * * * *',
              run: async () => {
                const notices = await windowNotices.notifyClosedWindows();
                return `${notices.responseWindow} response-window, ${notices.appealWindow} appeal-window, ${notices.appealResponseReminder} appeal-answer reminder and ${notices.appealResponseOverdue} appeal-answer overdue notices sent`;
              },
            },
            {
              name: 'overdue-action-notices',
              cron: '20 * * * *',
              run: async () =>
                `${await overdueActions.notifyOverdue()} overdue corrective-action notices sent`,
            },
            {
              // Hands pending notifications to the e-mail queue (each then sent by its own pg-boss job).
              name: 'queue-notification-emails',
              cron: '* * * * *',
              run: async () => {
                const emails = await emailOutbox.queueDue();
                return `${emails.queued} notification e-mails queued, ${emails.skipped} skipped`;
              },
            },
            {
              name: 'close-lapsed-not-certified-cases',
              cron: '25 * * * *',
              run: async () =>
                `${await lapsedCases.closeLapsed()} not-certified cases closed after their appeal window`,
            },
            {
              name: 'expire-certificates',
              cron: '30 * * * *',
              run: async () => `${await expiry.expireDue()} certificates expired`,
            },
            {
              name: 'check-in-overdue',
              cron: '35 * * * *',
              run: async () => {
                const counts = await overdue.run();
                return `${counts.flagged} certificates flagged check-in overdue, ${counts.suspended} suspended after the grace period`;
              },
            },
            {
              name: 'purge-expired-refresh-tokens',
              cron: '40 */6 * * *',
              run: async () => `${await sessions.purgeExpiredRefreshTokens()} expired refresh tokens removed`,
            },
            {
              name: 'purge-old-rendered-documents',
              cron: '45 3 * * *',
              run: async () => `${await documents.purgeOlderThanRetention()} rendered documents removed`,
            },
            {
              // Parts of uploads that a killed process or a store outage left (a bucket lifecycle rule
              // AbortIncompleteMultipartUpload after 1 day does the same on AWS; see the README).
              name: 'abort-incomplete-uploads',
              cron: '50 */6 * * *',
              run: async () =>
                storage.abortIncompleteUploads
                  ? `${await storage.abortIncompleteUploads(new Date(Date.now() - 24 * HOUR))} incomplete uploads older than a day aborted`
                  : `no multipart uploads on ${storage.driver}`,
            },
            {
              name: 'purge-old-idempotency-records',
              cron: '55 */6 * * *',
              run: async () => `${await idempotency.purgeOlderThanRetention()} idempotency records removed`,
            },
          ],
        },
      ],
    };
  }
}
