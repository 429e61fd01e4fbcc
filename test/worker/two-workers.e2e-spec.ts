import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { CloseLapsedCasesService } from '@app/cases';
import { CertificateExpiryService, CheckInOverdueService } from '@app/certificates';
import {
  CheckInRemindersService,
  EMAIL_QUEUE,
  NotificationEmailOutbox,
  WindowClosingNoticesService,
} from '@app/notifications';
import { loadConfiguration } from '@app/config';
import { type DatabaseConnection, openDatabaseConnection } from '@app/database';
import type { DataSource } from 'typeorm';
import { JobScheduler } from '../../apps/worker/src/job-scheduler';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { ApiClient } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { SmtpTestServer } from '../support/smtp-test-server';
import { startTestApp, type TestApp } from '../support/test-app';
import { serverUrl } from '../support/test-database';
import { buildWorld } from '../support/world';

// Two worker processes need a shared PostgreSQL server: the embedded database admits one process.
const describeWithServer = serverUrl() ? describe : describe.skip;

describeWithServer('two workers running the same due jobs', () => {
  let testApp: TestApp;
  let smtp: SmtpTestServer;
  const workers: { context: INestApplicationContext; connection: DatabaseConnection }[] = [];

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    testApp = await startTestApp();
    for (let index = 0; index < 2; index += 1) {
      const config = loadConfiguration({
        ...process.env,
        DATABASE_URL: testApp.databaseUrl,
        JWT_SECRET: 'worker-test-secret-worker-test-secret-00',
        LOG_LEVEL: 'silent',
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Certification <noreply@cert.test>',
      });
      const connection = await openDatabaseConnection(config.database);
      const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, connection), {
        logger: false,
      });
      // As `npm run start:worker` does: pg-boss queues, cron schedules, handlers, a run of each job now.
      await context.get(JobScheduler).start();
      workers.push({ context, connection });
    }
    await drained();
  });

  /** Waits until no job of the queue (or of any queue) waits, runs or is to be retried. */
  const drained = async (queue?: string) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [{ count }] = await testApp.dataSource.query<{ count: number }[]>(
        `SELECT count(*)::int AS count FROM pgboss.job
         WHERE state IN ('created', 'active', 'retry') AND start_after <= now()
           AND left(name, 8) <> '__pgboss' AND ($1::text IS NULL OR name = $1)`,
        [queue ?? null],
      );
      if (count === 0) return;
      if (Date.now() > deadline) throw new Error(`jobs of ${queue ?? 'every queue'} still waiting`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  afterAll(async () => {
    for (const worker of workers) {
      await worker.context.close();
      await worker.connection.close();
    }
    await testApp?.close();
    await smtp?.close();
  });

  /** Runs a job in both workers at the same moment, through pg-boss and directly, twice. */
  const runInBothWorkers = async (
    name: string,
    direct: (worker: INestApplicationContext) => Promise<unknown>,
  ) => {
    for (let round = 0; round < 2; round += 1) {
      await Promise.all(
        workers.flatMap(({ context }) => [context.get(JobScheduler).trigger(name), direct(context)]),
      );
      await drained(name);
    }
  };

  it('expires each due certificate exactly once', async () => {
    const client = new ApiClient(testApp.app);
    const world = await buildWorld(client);
    const cases = new CaseBuilder(client, world);
    const numbers: string[] = [];
    for (let index = 0; index < 3; index += 1) numbers.push((await cases.published()).certificateNumber);
    await testApp.dataSource.query(
      'UPDATE certificate SET valid_until = current_date - 1 WHERE number = ANY($1)',
      [numbers],
    );

    // Both workers run the job at the same moment, through pg-boss and directly.
    await Promise.all([
      workers[0].context.get(JobScheduler).trigger('expire-certificates'),
      workers[1].context.get(JobScheduler).trigger('expire-certificates'),
      workers[0].context.get(CertificateExpiryService).expireDue(),
      workers[1].context.get(CertificateExpiryService).expireDue(),
    ]);
    await drained('expire-certificates');

    const statuses = await testApp.dataSource.query<{ status: string }[]>(
      'SELECT status FROM certificate WHERE number = ANY($1)',
      [numbers],
    );
    expect(statuses.map((row) => row.status)).toEqual(['expired', 'expired', 'expired']);
    const [{ count }] = await testApp.dataSource.query<{ count: number }[]>(
      "SELECT count(*)::int AS count FROM audit_event WHERE action = 'certificate.expired'",
    );
    expect(count).toBe(3);
    const dataSource = workers[0].context.get<DataSource>(getDataSourceToken());
    expect(dataSource.isInitialized).toBe(true);
    const verified = await client.get('/api/v1/audit/verify', world.sessions.secretariat_admin);
    expect(verified.body.valid).toBe(true);
  });

  it('closes a not-certified case once its appeal window has passed, exactly once', async () => {
    const client = new ApiClient(testApp.app);
    const world = await buildWorld(client);
    const cases = new CaseBuilder(client, world);
    const lapsed = await cases.decided('not_certified');
    const open = await cases.decided('not_certified');
    await testApp.dataSource.query(
      'UPDATE certification_case SET appeal_due_on = current_date - 1 WHERE id = $1',
      [lapsed.id],
    );

    await Promise.all(workers.map((worker) => worker.context.get(CloseLapsedCasesService).closeLapsed()));

    expect((await cases.read(lapsed.id)).status).toBe('closed');
    expect((await cases.read(open.id)).status).toBe('decided');
    const history = await client.get(`/api/v1/cases/${lapsed.id}/history`, world.sessions.secretariat_admin);
    const closes = history.body.filter((event: any) => event.action === 'case.close');
    expect(closes).toHaveLength(1);
    expect(closes[0].actor.name).toBe('system');
  });

  it('closes a not-certified case after its appeal was resolved, once the escalation window has passed', async () => {
    const client = new ApiClient(testApp.app);
    const world = await buildWorld(client);
    const cases = new CaseBuilder(client, world);
    const [lapsedEscalation, openEscalation, resolvedEscalation] = [
      await cases.decided('not_certified'),
      await cases.decided('not_certified'),
      await cases.decided('not_certified'),
    ];
    // What resolve_appeal leaves (appeal_due_on cleared, escalation_due_on set) and what an escalation's
    // resolution leaves (both cleared).
    const afterResolution = async (id: string, escalationDueOn: string | null) =>
      testApp.dataSource.query(
        `UPDATE certification_case SET appeal_due_on = NULL, escalation_due_on = ${escalationDueOn} WHERE id = $1`,
        [id],
      );
    await afterResolution(lapsedEscalation.id, 'current_date - 1');
    await afterResolution(openEscalation.id, 'current_date + 3');
    await afterResolution(resolvedEscalation.id, 'NULL');

    await Promise.all(workers.map((worker) => worker.context.get(CloseLapsedCasesService).closeLapsed()));

    expect((await cases.read(lapsedEscalation.id)).status).toBe('closed');
    expect((await cases.read(resolvedEscalation.id)).status).toBe('closed');
    expect((await cases.read(openEscalation.id)).status).toBe('decided');
  });

  it('sends each check-in reminder once, 90 and then 30 days ahead', async () => {
    const client = new ApiClient(testApp.app);
    const world = await buildWorld(client);
    const cases = new CaseBuilder(client, world);
    const soon = await cases.published();
    const later = await cases.published();
    await testApp.dataSource.query(
      'UPDATE certificate SET check_in_due_on = current_date + 20 WHERE number = $1',
      [soon.certificateNumber],
    );
    await testApp.dataSource.query(
      'UPDATE certificate SET check_in_due_on = current_date + 60 WHERE number = $1',
      [later.certificateNumber],
    );

    for (let round = 0; round < 2; round += 1) {
      await Promise.all(workers.map((worker) => worker.context.get(CheckInRemindersService).remind()));
    }

    const kinds = async (caller: 'institution_admin' | 'certifier_admin', caseId: string) => {
      const inbox = await client.get('/api/v1/me/notifications?pageSize=100', world.sessions[caller]);
      return inbox.body.items
        .filter((item: any) => item.caseId === caseId && item.kind.startsWith('certificate.'))
        .map((item: any) => item.kind);
    };
    expect(await kinds('institution_admin', soon.caseId)).toEqual(['certificate.check_in_due_30']);
    expect(await kinds('certifier_admin', soon.caseId)).toEqual(['certificate.check_in_due_30']);
    expect(await kinds('institution_admin', later.caseId)).toEqual(['certificate.check_in_due_90']);
  });

  it('sends each window-closing notice once: response window over, and a certified decision ready to publish', async () => {
    const client = new ApiClient(testApp.app);
    const world = await buildWorld(client);
    const cases = new CaseBuilder(client, world);
    const issued = await cases.findingsIssued();
    const decided = await cases.decided('certified');
    await testApp.dataSource.query(
      'UPDATE certification_case SET response_due_on = current_date - 1 WHERE id = $1',
      [issued.id],
    );
    await testApp.dataSource.query(
      'UPDATE certification_case SET appeal_due_on = current_date - 1 WHERE id = $1',
      [decided.id],
    );

    await runInBothWorkers('window-closing-notices', (context) =>
      context.get(WindowClosingNoticesService).notifyClosedWindows(),
    );

    const kinds = async (caller: 'rater' | 'secretariat_officer', caseId: string) => {
      const inbox = await client.get('/api/v1/me/notifications?pageSize=100', world.sessions[caller]);
      return inbox.body.items
        .filter((item: any) => item.caseId === caseId && item.kind.endsWith('_window_over'))
        .map((item: any) => item.kind);
    };
    expect(await kinds('rater', issued.id)).toEqual(['case.response_window_over']);
    expect(await kinds('secretariat_officer', decided.id)).toEqual(['case.appeal_window_over']);
  });

  it('flags, announces and suspends each missed check-in exactly once', async () => {
    const client = new ApiClient(testApp.app);
    const world = await buildWorld(client);
    const cases = new CaseBuilder(client, world);
    const flagged = await cases.published();
    const suspended = await cases.published();
    await testApp.dataSource.query(
      'UPDATE certificate SET check_in_due_on = current_date - 1 WHERE number = $1',
      [flagged.certificateNumber],
    );
    await testApp.dataSource.query(
      'UPDATE certificate SET check_in_due_on = current_date - 91 WHERE number = $1',
      [suspended.certificateNumber],
    );

    await runInBothWorkers('check-in-overdue', (context) => context.get(CheckInOverdueService).run());

    const rows = await testApp.dataSource.query<{ number: string; status: string; overdue: boolean }[]>(
      `SELECT number, status, check_in_overdue_since IS NOT NULL AS overdue FROM certificate
       WHERE number = ANY($1) ORDER BY number`,
      [[flagged.certificateNumber, suspended.certificateNumber]],
    );
    expect(rows).toEqual([
      { number: flagged.certificateNumber, status: 'active', overdue: true },
      { number: suspended.certificateNumber, status: 'suspended', overdue: true },
    ]);
    const events = await testApp.dataSource.query<{ action: string; count: number }[]>(
      `SELECT action, count(*)::int AS count FROM audit_event WHERE entity_id = ANY($1)
         AND action IN ('certificate.check_in_overdue', 'certificate.suspend') GROUP BY action ORDER BY action`,
      [[flagged.certificateNumber, suspended.certificateNumber]],
    );
    expect(events).toEqual([
      { action: 'certificate.check_in_overdue', count: 2 },
      { action: 'certificate.suspend', count: 1 },
    ]);
    const inbox = await client.get('/api/v1/me/notifications?pageSize=100', world.sessions.certifier_admin);
    expect(
      inbox.body.items
        .filter((item: any) => item.kind === 'certificate.check_in_overdue')
        .map((item: any) => item.caseId)
        .sort(),
    ).toEqual([flagged.caseId, suspended.caseId].sort());
  });

  it('e-mails each pending notification exactly once', async () => {
    const client = new ApiClient(testApp.app);
    const cases = new CaseBuilder(client, await buildWorld(client));
    await cases.submitted();
    await cases.inDeskReview();
    const pending = await testApp.dataSource.query<{ id: string }[]>(
      "SELECT id FROM notification WHERE email_status = 'pending'",
    );
    expect(pending.length).toBeGreaterThan(2);

    await runInBothWorkers('queue-notification-emails', (context) =>
      context.get(NotificationEmailOutbox).queueDue(),
    );
    await drained(EMAIL_QUEUE);

    const statuses = await testApp.dataSource.query<{ email_status: string; count: number }[]>(
      'SELECT email_status, count(*)::int AS count FROM notification WHERE id = ANY($1) GROUP BY email_status',
      [pending.map((row) => row.id)],
    );
    expect(statuses).toEqual([{ email_status: 'sent', count: pending.length }]);
    for (const { id } of pending) expect([id, smtp.messagesFor(id).length]).toEqual([id, 1]);
    // The workers' own schedules e-mailed the notifications of earlier tests as well: once each too.
    const sent = await testApp.dataSource.query<{ id: string }[]>(
      "SELECT id FROM notification WHERE email_status = 'sent'",
    );
    for (const { id } of sent) expect([id, smtp.messagesFor(id).length]).toEqual([id, 1]);
    expect(smtp.received).toHaveLength(sent.length);
  });
});
