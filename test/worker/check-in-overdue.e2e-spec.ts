import { CheckInOverdueService } from '@app/certificates';
import { ApiClient, type Session } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { anEdition } from '../support/edition-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

/** A missed check-in: flagged and announced once the date passed, suspended once the grace period passed too. */
describe('missed check-ins', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;
  let overdue: CheckInOverdueService;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
    overdue = testApp.app.get(CheckInOverdueService);
  });

  afterAll(() => testApp?.close());

  const dueDaysAgo = (number: string, days: number) =>
    testApp.dataSource.query(
      'UPDATE certificate SET check_in_due_on = current_date - $2::int WHERE number = $1',
      [number, days],
    );
  const certificate = async (number: string) =>
    (await client.get(`/api/v1/certificates/${number}`, world.sessions.institution_admin).expect(200)).body;
  const registryEntry = async (number: string) => {
    const page = await client.get('/api/v1/registry?status=all&pageSize=100').expect(200);
    return page.body.items.find((item: { certificateNumber: string }) => item.certificateNumber === number);
  };
  const notices = async (session: Session, caseId: string, kind: string) => {
    const inbox = await client.get('/api/v1/me/notifications?pageSize=100', session).expect(200);
    return inbox.body.items.filter((item: any) => item.caseId === caseId && item.kind === kind);
  };
  /** Two workers at the same moment. */
  const runTwice = () => Promise.all([overdue.run(), overdue.run()]);

  it('flags a certificate whose check-in date passed without a certified check-in, and tells every party once', async () => {
    const missed = await cases.published();
    const notYet = await cases.published();
    await dueDaysAgo(missed.certificateNumber, 1);
    await dueDaysAgo(notYet.certificateNumber, -5);

    await runTwice();
    await runTwice();

    expect(await certificate(missed.certificateNumber)).toMatchObject({
      status: 'active',
      checkInOverdue: true,
    });
    expect(await registryEntry(missed.certificateNumber)).toMatchObject({
      status: 'active',
      checkInOverdue: true,
    });
    expect(
      (await client.get(`/api/v1/registry/${missed.certificateNumber}`).expect(200)).body.checkInOverdue,
    ).toBe(true);
    const page = await client.get('/registry?status=all&pageSize=100&lang=en').expect(200);
    const row = page.text
      .split('<tr')
      .find((line) => line.includes(`data-certificate="${missed.certificateNumber}"`));
    expect(row).toContain('Check-in overdue');
    expect(await certificate(notYet.certificateNumber)).toMatchObject({ checkInOverdue: false });
    for (const session of [
      world.sessions.institution_admin,
      world.sessions.certifier_admin,
      world.sessions.secretariat_officer,
      world.sessions.secretariat_admin,
    ]) {
      expect(await notices(session, missed.caseId, 'certificate.check_in_overdue')).toHaveLength(1);
      expect(await notices(session, notYet.caseId, 'certificate.check_in_overdue')).toHaveLength(0);
    }
    const events = await testApp.dataSource.query<{ count: number }[]>(
      "SELECT count(*)::int AS count FROM audit_event WHERE action = 'certificate.check_in_overdue' AND entity_id = $1",
      [missed.certificateNumber],
    );
    expect(events[0].count).toBe(1);
  });

  it('suspends after the default 90-day grace period, as the system, once; a certified check-in reinstates it', async () => {
    const inGrace = await cases.published();
    const pastGrace = await cases.published();
    await dueDaysAgo(inGrace.certificateNumber, 90);
    await dueDaysAgo(pastGrace.certificateNumber, 91);

    await runTwice();
    await runTwice();

    expect(await certificate(inGrace.certificateNumber)).toMatchObject({
      status: 'active',
      checkInOverdue: true,
    });
    expect(await certificate(pastGrace.certificateNumber)).toMatchObject({
      status: 'suspended',
      checkInOverdue: true,
    });
    expect(
      (await client.get(`/api/v1/registry/${pastGrace.certificateNumber}`).expect(200)).body,
    ).toMatchObject({
      status: 'suspended',
      valid: false,
    });
    const suspensions = await testApp.dataSource.query<
      { actor_name: string; from_status: string; to_status: string }[]
    >(
      "SELECT actor_name, from_status, to_status FROM audit_event WHERE action = 'certificate.suspend' AND entity_id = $1",
      [pastGrace.certificateNumber],
    );
    expect(suspensions).toEqual([{ actor_name: 'system', from_status: 'active', to_status: 'suspended' }]);
    expect(
      await notices(
        world.sessions.institution_admin,
        pastGrace.caseId,
        'certificate.suspended_check_in_missed',
      ),
    ).toHaveLength(1);

    // The late check-in, once certified, clears the flag and lifts the suspension it caused.
    await cases.published({ type: 'check_in', certificateNumber: pastGrace.certificateNumber });
    expect(await certificate(pastGrace.certificateNumber)).toMatchObject({
      status: 'active',
      checkInOverdue: false,
    });
    await runTwice();
    expect(await certificate(pastGrace.certificateNumber)).toMatchObject({
      status: 'active',
      checkInOverdue: false,
    });
  });

  it('uses the grace period the edition sets', async () => {
    const document = anEdition().build();
    document.checkInGraceDays = 10;
    await client.post('/api/v1/standards', world.sessions.secretariat_admin).send(document).expect(201);
    await client
      .post(`/api/v1/standards/${document.id}/publish`, world.sessions.secretariat_admin)
      .expect(200);
    const shortGrace = await cases.withEdition(document.id).published();
    await dueDaysAgo(shortGrace.certificateNumber, 11);

    await runTwice();

    expect(await certificate(shortGrace.certificateNumber)).toMatchObject({
      status: 'suspended',
      checkInOverdue: true,
    });
  });

  it('leaves alone a certificate whose check-in was certified, and one of an edition without check-ins', async () => {
    const checked = await cases.published();
    await cases.published({ type: 'check_in', certificateNumber: checked.certificateNumber });
    await dueDaysAgo(checked.certificateNumber, 200);
    const withoutCheckIn = await cases.published();
    await testApp.dataSource.query('UPDATE certificate SET check_in_due_on = NULL WHERE number = $1', [
      withoutCheckIn.certificateNumber,
    ]);

    await runTwice();

    expect(await certificate(checked.certificateNumber)).toMatchObject({
      status: 'active',
      checkInOverdue: false,
    });
    expect(await certificate(withoutCheckIn.certificateNumber)).toMatchObject({
      status: 'active',
      checkInOverdue: false,
    });
  });
});
