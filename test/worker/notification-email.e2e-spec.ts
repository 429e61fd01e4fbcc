import { MAX_EMAIL_ATTEMPTS, NotificationEmailOutbox } from '@app/notifications';
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
  isDeferred: boolean;
}

const MAIL_FROM = 'Certification <noreply@cert.test>';

/** The `case.submit` notification of a case: the certification body's admin must accept or decline. */
async function submitNotification(testApp: TestApp, caseId: string): Promise<OutboxRow> {
  const rows = await testApp.dataSource.query<OutboxRow[]>(
    `SELECT id, title, email_status AS "emailStatus", email_attempts AS "emailAttempts",
            email_error AS "emailError", emailed_at AS "emailedAt", email_next_attempt_at > now() AS "isDeferred"
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
  });

  afterAll(async () => {
    await testApp?.close();
    await smtp?.close();
  });

  beforeEach(() => {
    smtp.behaviour = { kind: 'accept' };
  });

  /** As if the back-off had passed. */
  const makeDue = (notificationId: string) =>
    testApp.dataSource.query('UPDATE notification SET email_next_attempt_at = now() WHERE id = $1', [
      notificationId,
    ]);

  it('e-mails each notification once to its recipient, with the title as subject and a text and an HTML body', async () => {
    const submitted = await cases.submitted();
    const pending = await submitNotification(testApp, submitted.id);
    expect(pending.emailStatus).toBe('pending');

    expect((await outbox.sendDue()).sent).toBeGreaterThanOrEqual(1);
    await outbox.sendDue();

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

    expect((await outbox.sendDue()).retrying).toBeGreaterThanOrEqual(1);
    const deferred = await submitNotification(testApp, submitted.id);
    expect(deferred).toMatchObject({
      emailStatus: 'pending',
      emailAttempts: 1,
      isDeferred: true,
      emailedAt: null,
    });
    expect(deferred.emailError).toContain('421');

    // Not due again before its back-off has passed, even once the server is back.
    smtp.behaviour = { kind: 'accept' };
    await outbox.sendDue();
    expect(await submitNotification(testApp, submitted.id)).toMatchObject({
      emailStatus: 'pending',
      emailAttempts: 1,
    });
    expect(smtp.messagesFor(id)).toEqual([]);

    await makeDue(id);
    await outbox.sendDue();
    expect(await submitNotification(testApp, submitted.id)).toMatchObject({
      emailStatus: 'sent',
      emailAttempts: 2,
    });
    expect(smtp.messagesFor(id)).toHaveLength(1);
  });

  it('records a permanent refusal as failed at once and does not send it again', async () => {
    smtp.behaviour = { kind: 'reject_recipient', code: 550, message: 'No such mailbox' };
    const submitted = await cases.submitted();
    const { id } = await submitNotification(testApp, submitted.id);

    expect((await outbox.sendDue()).failed).toBeGreaterThanOrEqual(1);
    const failed = await submitNotification(testApp, submitted.id);
    expect(failed).toMatchObject({ emailStatus: 'failed', emailAttempts: 1, emailedAt: null });
    expect(failed.emailError).toContain('550');
    expect(failed.emailError).toContain('No such mailbox');

    smtp.behaviour = { kind: 'accept' };
    await makeDue(id);
    await outbox.sendDue();
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
    await testApp.dataSource.query('UPDATE notification SET email_attempts = $2 WHERE id = $1', [
      id,
      MAX_EMAIL_ATTEMPTS - 1,
    ]);

    await outbox.sendDue();

    const failed = await submitNotification(testApp, submitted.id);
    expect(failed).toMatchObject({ emailStatus: 'failed', emailAttempts: MAX_EMAIL_ATTEMPTS });
    expect(failed.emailError).toContain('451 Try again later');
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

    const counts = await testApp.app.get(NotificationEmailOutbox).sendDue();

    expect(counts).toMatchObject({ sent: 0, retrying: 0, failed: 0 });
    expect(counts.skipped).toBeGreaterThanOrEqual(1);
    expect(await submitNotification(testApp, submitted.id)).toMatchObject({
      emailStatus: 'skipped',
      emailAttempts: 0,
    });
  });
});
