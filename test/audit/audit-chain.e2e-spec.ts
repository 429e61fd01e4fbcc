import { randomUUID } from 'node:crypto';
import { AuditEventEntity, AuditService, hashAuditEvent, VERIFY_BATCH_SIZE } from '@app/audit';
import { SYSTEM_ACTOR } from '@app/common';
import { ApiClient, type Session } from '../support/api-client';
import { anOrganization, institutionProfile } from '../support/builders';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

interface EventRow {
  id: string;
  sequence: string;
  reason: string | null;
  data: Record<string, unknown>;
  previous_hash: string | null;
  hash: string;
}

async function eventsInOrder(testApp: TestApp): Promise<EventRow[]> {
  return testApp.dataSource.query(
    'SELECT id, sequence, reason, data, previous_hash, hash FROM audit_event ORDER BY sequence',
  );
}

async function countEvents(testApp: TestApp): Promise<number> {
  const rows: { count: string }[] = await testApp.dataSource.query('SELECT count(*) FROM audit_event');
  return Number(rows[0].count);
}

/** Changes the table behind the product's back, as a database superuser could. */
async function tamper(testApp: TestApp, sql: string, parameters: unknown[]): Promise<void> {
  await testApp.dataSource.transaction(async (manager) => {
    await manager.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only');
    await manager.query(sql, parameters);
    await manager.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only');
  });
}

describe('the audit chain', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let admin: Session;

  const verify = (session: Session | null = admin) => client.get('/api/v1/audit/verify', session);

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    admin = world.sessions.secretariat_admin;
    const { id } = await anOrganization('institution').create(client, admin);
    await client
      .patch(`/api/v1/organizations/${id}`, admin)
      .send({ version: 1, profile: institutionProfile({ clientCount: 9 }) })
      .expect(200);
    await client
      .put(`/api/v1/organizations/${world.certifierId}/license`, admin)
      .send({ validFrom: '2026-01-01', validUntil: '2030-12-31' })
      .expect(200);
  });

  afterAll(() => testApp?.close());

  it('verifies an intact chain and counts every event in the table', async () => {
    const response = await verify().expect(200);

    expect(response.body).toEqual({ valid: true, events: await countEvents(testApp) });
    expect(response.body.events).toBeGreaterThan(10);
  });

  it('links every event to the hash of the one before it', async () => {
    const events = await eventsInOrder(testApp);

    expect(events[0].previous_hash).toBeNull();
    for (let index = 1; index < events.length; index += 1) {
      expect(events[index].previous_hash).toBe(events[index - 1].hash);
    }
    expect(new Set(events.map((event) => event.hash)).size).toBe(events.length);
  });

  it('counts the events of new writes', async () => {
    const before = (await verify().expect(200)).body.events as number;

    await anOrganization('certifier').create(client, admin);

    expect((await verify().expect(200)).body).toEqual({ valid: true, events: before + 1 });
  });

  it('stays one unbroken chain when many writes arrive at once', async () => {
    const before = await countEvents(testApp);

    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        client
          .post('/api/v1/organizations', admin)
          .send(anOrganization('certifier').named(`Concurrent certifier ${index}`).build()),
      ),
    );

    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: 12 }, () => 201));
    expect((await verify().expect(200)).body).toEqual({ valid: true, events: before + 12 });
  });

  it('refuses to update or delete an event in the database itself', async () => {
    const before = await eventsInOrder(testApp);

    await expect(testApp.dataSource.query("UPDATE audit_event SET reason = 'x'")).rejects.toThrow(
      /append-only/,
    );
    await expect(
      testApp.dataSource.query('DELETE FROM audit_event WHERE sequence = $1', [before[2].sequence]),
    ).rejects.toThrow(/append-only/);
    await expect(testApp.dataSource.query('DELETE FROM audit_event')).rejects.toThrow(/append-only/);
    await expect(testApp.dataSource.query('TRUNCATE audit_event')).rejects.toThrow(/append-only/);

    expect(await eventsInOrder(testApp)).toEqual(before);
    expect((await verify().expect(200)).body.valid).toBe(true);
  });

  it('refuses every caller but a secretariat admin', async () => {
    for (const caller of ['secretariat_officer', 'institution_admin', 'certifier_admin', 'rater'] as const) {
      const response = await verify(world.sessions[caller]);

      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    }
    const anonymous = await verify(null).expect(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
  });

  it("names the third event when its reason was changed behind the product's back", async () => {
    const events = await eventsInOrder(testApp);
    const third = events[2];

    await tamper(testApp, 'UPDATE audit_event SET reason = $1 WHERE id = $2', [
      'nothing to see here',
      third.id,
    ]);

    expect((await verify().expect(200)).body).toEqual({
      valid: false,
      events: events.length,
      firstBrokenEventId: third.id,
    });
    // Putting the original back makes the chain whole again: the check depends on the content only.
    await tamper(testApp, 'UPDATE audit_event SET reason = $1 WHERE id = $2', [third.reason, third.id]);
    expect((await verify().expect(200)).body).toEqual({ valid: true, events: events.length });
  });

  it("names the event whose data was changed behind the product's back", async () => {
    const events = await eventsInOrder(testApp);
    const fifth = events[4];

    await tamper(
      testApp,
      `UPDATE audit_event SET data = data || '{"role":"secretariat_admin"}' WHERE id = $1`,
      [fifth.id],
    );

    expect((await verify().expect(200)).body).toEqual({
      valid: false,
      events: events.length,
      firstBrokenEventId: fifth.id,
    });
    await tamper(testApp, 'UPDATE audit_event SET data = $1 WHERE id = $2', [
      JSON.stringify(fifth.data),
      fifth.id,
    ]);
    expect((await verify().expect(200)).body.valid).toBe(true);
  });

  it('names the following event when a changed event was given a matching hash', async () => {
    const events = await eventsInOrder(testApp);
    const [fourth, fifth] = [events[3], events[4]];
    const entity = await testApp.dataSource
      .getRepository(AuditEventEntity)
      .findOneByOrFail({ id: fourth.id });
    const forgedHash = hashAuditEvent({ ...entity, reason: 'rewritten history' });

    await tamper(testApp, 'UPDATE audit_event SET reason = $1, hash = $2 WHERE id = $3', [
      'rewritten history',
      forgedHash,
      fourth.id,
    ]);

    expect((await verify().expect(200)).body).toEqual({
      valid: false,
      events: events.length,
      firstBrokenEventId: fifth.id,
    });
  });
});

describe('the audit chain with an event removed', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let admin: Session;

  const verify = () => client.get('/api/v1/audit/verify', admin);

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    admin = await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    await anOrganization('institution').create(client, admin);
    await anOrganization('certifier').create(client, admin);
  });

  afterAll(() => testApp?.close());

  it('verifies a chain longer than one batch of the verifier', async () => {
    const audit = testApp.app.get(AuditService);
    await testApp.dataSource.transaction(async (manager) => {
      for (let index = 0; index < 1100; index += 1) {
        await audit.record(manager, SYSTEM_ACTOR, {
          entityType: 'test',
          entityId: `bulk-${index}`,
          action: 'test.bulk_event',
          data: { index },
        });
      }
    });
    const total = await countEvents(testApp);
    expect(total).toBeGreaterThan(1100);

    expect((await verify().expect(200)).body).toEqual({ valid: true, events: total });
    // A change beyond the first batch is found as well.
    const events = await eventsInOrder(testApp);
    const late = events[1050];
    await tamper(testApp, "UPDATE audit_event SET data = '{}' WHERE id = $1", [late.id]);
    expect((await verify().expect(200)).body).toEqual({
      valid: false,
      events: total,
      firstBrokenEventId: late.id,
    });
    await tamper(testApp, 'UPDATE audit_event SET data = $1 WHERE id = $2', [
      JSON.stringify(late.data),
      late.id,
    ]);
    expect((await verify().expect(200)).body).toEqual({ valid: true, events: total });
  });

  it('finds a changed event deep in a chain of several batches, and a broken link across a batch boundary', async () => {
    // Appended as the product hashes events, in one multi-row INSERT per thousand: several verifier batches.
    const [head] = await testApp.dataSource.query<{ hash: string }[]>(
      'SELECT hash FROM audit_event ORDER BY sequence DESC LIMIT 1',
    );
    let previousHash: string | null = head.hash;
    const appended = 2 * VERIFY_BATCH_SIZE + 1000;
    const started = Date.now() - appended;
    for (let from = 0; from < appended; from += 1000) {
      const rows = Array.from({ length: 1000 }, (_, offset) => {
        const n = from + offset;
        const event = {
          id: randomUUID(),
          occurredAt: new Date(started + n),
          actorId: null,
          // What JSON escapes, and what it leaves as is: PostgreSQL must write it as JSON.stringify does.
          actorName: [
            'Bulk "seed" ✓',
            'back\\slash </script>',
            'tab\tbell\u0001\u001f',
            'Zoë 李 😀 \u2028 \u007f',
          ][n % 4],
          entityType: 'test',
          entityId: `deep-${n}`,
          caseId: null,
          action: 'test.deep_event',
          fromStatus: n % 2 ? 'a' : null,
          toStatus: n % 2 ? 'b' : null,
          reason: n % 3 ? null : `line\n${n}`,
          data: { n, nested: { z: n % 7, a: [n, 'x'] } },
          previousHash,
        };
        const hash = hashAuditEvent(event);
        previousHash = hash;
        return { ...event, hash };
      });
      await testApp.dataSource.query(
        `INSERT INTO audit_event (id, occurred_at, actor_id, actor_name, entity_type, entity_id, case_id, action,
                                  from_status, to_status, reason, data, previous_hash, hash)
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::text[],
                              $7::uuid[], $8::text[], $9::text[], $10::text[], $11::text[], $12::jsonb[],
                              $13::text[], $14::text[])`,
        [
          rows.map((row) => row.id),
          rows.map((row) => row.occurredAt.toISOString()),
          rows.map((row) => row.actorId),
          rows.map((row) => row.actorName),
          rows.map((row) => row.entityType),
          rows.map((row) => row.entityId),
          rows.map((row) => row.caseId),
          rows.map((row) => row.action),
          rows.map((row) => row.fromStatus),
          rows.map((row) => row.toStatus),
          rows.map((row) => row.reason),
          rows.map((row) => JSON.stringify(row.data)),
          rows.map((row) => row.previousHash),
          rows.map((row) => row.hash),
        ],
      );
    }
    const total = await countEvents(testApp);
    expect(total).toBeGreaterThan(2 * VERIFY_BATCH_SIZE);
    expect((await verify().expect(200)).body).toEqual({ valid: true, events: total });

    const events = await eventsInOrder(testApp);
    // In the third batch: a nested value of the data changed.
    const deep = events[2 * VERIFY_BATCH_SIZE + 517];
    await tamper(testApp, `UPDATE audit_event SET data = jsonb_set(data, '{nested,z}', '99') WHERE id = $1`, [
      deep.id,
    ]);
    expect((await verify().expect(200)).body).toEqual({
      valid: false,
      events: total,
      firstBrokenEventId: deep.id,
    });
    await tamper(testApp, 'UPDATE audit_event SET data = $1 WHERE id = $2', [
      JSON.stringify(deep.data),
      deep.id,
    ]);
    expect((await verify().expect(200)).body).toEqual({ valid: true, events: total });

    // The first event of the second batch: its time moved by one millisecond.
    const first = events[VERIFY_BATCH_SIZE];
    await tamper(
      testApp,
      `UPDATE audit_event SET occurred_at = occurred_at + interval '1 millisecond' WHERE id = $1`,
      [first.id],
    );
    expect((await verify().expect(200)).body).toEqual({
      valid: false,
      events: total,
      firstBrokenEventId: first.id,
    });
    await tamper(
      testApp,
      `UPDATE audit_event SET occurred_at = occurred_at - interval '1 millisecond' WHERE id = $1`,
      [first.id],
    );
    expect((await verify().expect(200)).body).toEqual({ valid: true, events: total });

    // The last event of the first batch removed: the link of the next batch's first event is broken.
    const last = events[VERIFY_BATCH_SIZE - 1];
    await tamper(testApp, 'DELETE FROM audit_event WHERE id = $1', [last.id]);
    expect((await verify().expect(200)).body).toEqual({
      valid: false,
      events: total - 1,
      firstBrokenEventId: first.id,
    });
  });

  it('names the event right after a deleted one, whose link no longer matches', async () => {
    const events = await eventsInOrder(testApp);
    const [second, third] = [events[1], events[2]];

    await tamper(testApp, 'DELETE FROM audit_event WHERE id = $1', [second.id]);

    expect(third.previous_hash).toBe(second.hash);
    expect((await verify().expect(200)).body).toEqual({
      valid: false,
      events: events.length - 1,
      firstBrokenEventId: third.id,
    });
  });
});
