import { EMAIL_DEAD_LETTER_QUEUE, MAX_EMAIL_ATTEMPTS, NotificationEmailOutbox } from '@app/notifications';
import { ApiClient } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { SmtpTestServer } from '../support/smtp-test-server';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

interface OutboxRow {
  id: string;
  title: string;
  emailStatus: string;
  emailAttempts: number;
  emailError: string | null;
  emailedAt: Date | null;
}

/** The pg-boss job of a notification (its id is the notification's), live or archived. */
async function emailJob(testApp: TestApp, notificationId: string) {
  const rows = await testApp.dataSource.query<{ state: string; retryCount: number; deferred: boolean }[]>(
    `SELECT state, retry_count AS "retryCount", start_after > now() AS deferred FROM pgboss.job WHERE id = $1
     UNION ALL SELECT state, retry_count, start_after > now() FROM pgboss.archive WHERE id = $1`,
    [notificationId],
  );
  return rows[0];
}

const MAIL_FROM = 'Certification <noreply@cert.test>';

/** The `case.submit` notification of a case: the certification body's admin must accept or decline. */
async function submitNotification(testApp: TestApp, caseId: string): Promise<OutboxRow> {
  const rows = await testApp.dataSource.query<OutboxRow[]>(
    `SELECT id, title, email_status AS "emailStatus", email_attempts AS "emailAttempts",
            email_error AS "emailError", emailed_at AS "emailedAt"
     FROM notification WHERE case_id = $1 AND kind = 'case.submit'`,
    [caseId],
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

describe('notification e-mail over SMTP', () => {
  let smtp: SmtpTestServer;
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;
  let outbox: NotificationEmailOutbox;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    testApp = await startTestApp({ SMTP_URL: smtp.url, MAIL_FROM });
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
    outbox = testApp.app.get(NotificationEmailOutbox);
    // This process handles the e-mail queue, as the worker does.
    await outbox.register();
  });

  afterAll(async () => {
    await testApp?.close();
    await smtp?.close();
  });

  beforeEach(() => {
    smtp.behaviour = { kind: 'accept' };
  });

  /** As if pg-boss's back-off had passed. */
  const makeDue = (notificationId: string) =>
    testApp.dataSource.query('UPDATE pgboss.job SET start_after = now() WHERE id = $1', [notificationId]);

  /** Waits (up to 20 s) for the notification's pg-boss job to reach a state. */
  const jobSettled = async (id: string, until: (job: Awaited<ReturnType<typeof emailJob>>) => boolean) => {
    const deadline = Date.now() + 20_000;
    while (!until(await emailJob(testApp, id)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  /** Waits (up to 20 s) for the notification's e-mail to reach a state. */
  const settled = async (caseId: string, until: (row: OutboxRow) => boolean): Promise<OutboxRow> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const row = await submitNotification(testApp, caseId);
      if (until(row) || Date.now() > deadline) return row;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('e-mails each notification once to its recipient, with the title as subject and a text and an HTML body', async () => {
    const submitted = await cases.submitted();
    const pending = await submitNotification(testApp, submitted.id);
    expect(pending.emailStatus).toBe('pending');

    expect((await outbox.queueDue()).queued).toBeGreaterThanOrEqual(1);
    expect((await submitNotification(testApp, submitted.id)).emailStatus).not.toBe('pending');
    await settled(submitted.id, (row) => row.emailStatus === 'sent');
    // Handing out again queues nothing twice.
    await outbox.queueDue();
    await new Promise((resolve) => setTimeout(resolve, 2500));

    const emails = smtp.messagesFor(pending.id);
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email.recipients).toEqual([world.emails.certifier_admin]);
    expect(email.headers.to).toBe(`Test certifier_admin <${world.emails.certifier_admin}>`);
    expect(email.headers.from).toBe(MAIL_FROM);
    expect(email.headers['message-id']).toBe(`<notification.${pending.id}@cert.test>`);
    expect(email.subject).toBe(pending.title);
    expect(pending.title).toMatch(/^New application from institution /);
    expect(email.text).toContain('Hello Test certifier_admin,');
    expect(email.text).toContain('Accept it with a lead rater, or decline it with a reason.');
    expect(email.text).toContain(`Case reference: ${submitted.id}`);
    expect(email.html).toContain('<h2 style="font-size: 18px">New application from institution ');
    expect(email.html).toContain('<p>Accept it with a lead rater, or decline it with a reason.</p>');

    const sent = await submitNotification(testApp, submitted.id);
    expect(sent).toMatchObject({ emailStatus: 'sent', emailAttempts: 1, emailError: null });
    expect(sent.emailedAt).toBeInstanceOf(Date);
    expect(await emailJob(testApp, pending.id)).toMatchObject({ state: 'completed', retryCount: 0 });
  });

  it('keeps the notification pending while the server is unavailable and sends it on a later attempt', async () => {
    smtp.behaviour = { kind: 'unavailable' };
    // The transition and its in-app notification do not wait for, or depend on, the mail server.
    const submitted = await cases.submitted();
    const inbox = await client
      .get('/api/v1/me/notifications?pageSize=100', world.sessions.certifier_admin)
      .expect(200);
    expect(inbox.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ caseId: submitted.id, kind: 'case.submit' })]),
    );
    const { id } = await submitNotification(testApp, submitted.id);

    await outbox.queueDue();
    const deferred = await settled(submitted.id, (row) => row.emailAttempts === 1);
    expect(deferred).toMatchObject({ emailStatus: 'queued', emailAttempts: 1, emailedAt: null });
    expect(deferred.emailError).toContain('421');
    // pg-boss holds the retry back (5 to 10 minutes for the first; it counts the retry when it starts it).
    await jobSettled(id, (job) => job.state === 'retry');
    expect(await emailJob(testApp, id)).toMatchObject({ state: 'retry', retryCount: 0, deferred: true });

    // Not sent again before its back-off has passed, even once the server is back.
    smtp.behaviour = { kind: 'accept' };
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await submitNotification(testApp, submitted.id)).toMatchObject({
      emailStatus: 'queued',
      emailAttempts: 1,
    });
    expect(smtp.messagesFor(id)).toEqual([]);

    await makeDue(id);
    expect(await settled(submitted.id, (row) => row.emailStatus === 'sent')).toMatchObject({
      emailStatus: 'sent',
      emailAttempts: 2,
    });
    expect(smtp.messagesFor(id)).toHaveLength(1);
  });

  it('records a permanent refusal as failed at once and does not send it again', async () => {
    smtp.behaviour = { kind: 'reject_recipient', code: 550, message: 'No such mailbox' };
    const submitted = await cases.submitted();
    const { id } = await submitNotification(testApp, submitted.id);

    await outbox.queueDue();
    const failed = await settled(submitted.id, (row) => row.emailStatus === 'failed');
    expect(failed).toMatchObject({ emailStatus: 'failed', emailAttempts: 1, emailedAt: null });
    expect(failed.emailError).toContain('550');
    expect(failed.emailError).toContain('No such mailbox');

    // Nothing to retry: the job completed, and handing out again does not queue it.
    await jobSettled(id, (job) => job.state === 'completed');
    expect(await emailJob(testApp, id)).toMatchObject({ state: 'completed' });
    smtp.behaviour = { kind: 'accept' };
    await outbox.queueDue();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await submitNotification(testApp, submitted.id)).toMatchObject({
      emailStatus: 'failed',
      emailAttempts: 1,
    });
    expect(smtp.messagesFor(id)).toEqual([]);
    // The in-app notification stays.
    const inbox = await client
      .get('/api/v1/me/notifications?pageSize=100', world.sessions.certifier_admin)
      .expect(200);
    expect(inbox.body.items.map((item: { id: string }) => item.id)).toContain(id);
  });

  it('gives up after the last attempt of a temporary failure and records why', async () => {
    smtp.behaviour = { kind: 'reject_recipient', code: 451, message: 'Try again later' };
    const submitted = await cases.submitted();
    const { id } = await submitNotification(testApp, submitted.id);
    await testApp.dataSource.query(
      "UPDATE notification SET email_next_attempt_at = now() + interval '1 hour' WHERE email_status = 'pending' AND id <> $1",
      [id],
    );
    await outbox.queueDue();
    await settled(submitted.id, (row) => row.emailAttempts === 1);
    // As if the first 7 attempts had failed: the next (pg-boss counts it when it starts it) is the last.
    await jobSettled(id, (job) => job.state === 'retry');
    await testApp.dataSource.query(
      'UPDATE pgboss.job SET retry_count = retry_limit - 1, start_after = now() WHERE id = $1',
      [id],
    );

    const failed = await settled(submitted.id, (row) => row.emailStatus === 'failed');
    expect(failed).toMatchObject({ emailStatus: 'failed', emailAttempts: MAX_EMAIL_ATTEMPTS });
    expect(failed.emailError).toContain('451 Try again later');
    await jobSettled(id, (job) => job.state === 'failed');
    // pg-boss keeps the failed job, and a copy in the dead-letter queue for a person to look at.
    expect(await emailJob(testApp, id)).toMatchObject({
      state: 'failed',
      retryCount: MAX_EMAIL_ATTEMPTS - 1,
    });
    const [dead] = await testApp.dataSource.query<{ count: number }[]>(
      "SELECT count(*)::int AS count FROM pgboss.job WHERE name = $1 AND data->>'notificationId' = $2",
      [EMAIL_DEAD_LETTER_QUEUE, id],
    );
    expect(dead.count).toBe(1);
  });
});

describe('notification e-mail without SMTP_URL', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ SMTP_URL: '', MAIL_FROM: '' });
  });

  afterAll(() => testApp?.close());

  it('sends nothing and marks the notifications skipped, without error', async () => {
    const client = new ApiClient(testApp.app);
    const cases = new CaseBuilder(client, await buildWorld(client));
    const submitted = await cases.submitted();
    expect((await submitNotification(testApp, submitted.id)).emailStatus).toBe('pending');

    const counts = await testApp.app.get(NotificationEmailOutbox).queueDue();

    expect(counts.queued).toBe(0);
    expect(counts.skipped).toBeGreaterThanOrEqual(1);
    expect(await submitNotification(testApp, submitted.id)).toMatchObject({
      emailStatus: 'skipped',
      emailAttempts: 0,
    });
  });
});
