import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_CHAIN_LOCK_KEY } from '@app/audit';
import { Client } from 'pg';
import type { Response } from 'supertest';
import { aPdf } from '../evidence/support/sample-files';
import type { Session } from '../support/api-client';
import { ApiClient } from '../support/api-client';
import { CaseBuilder, type CaseRef } from '../support/case-builder';
import { aSignedInUser } from '../support/builders';
import { anEdition } from '../support/edition-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { addCalendarDays, todayUtc } from './case-fixtures';

/**
 * Every case-scoped write raced, round after round, against the transition that closes its window.
 * The audit chain is appended under one lock held to commit, so its sequence is the commit order:
 * no write of a closed kind may follow the transition that closed it.
 */

const ROUNDS = 20;

/** `count` fixtures made five at a time (their requests interleave; each fixture is still sequential). */
async function buildInBatches<T>(count: number, make: () => Promise<T>): Promise<T[]> {
  const made: T[] = [];
  while (made.length < count) {
    made.push(...(await Promise.all(Array.from({ length: Math.min(5, count - made.length) }, make))));
  }
  return made;
}

/** `send` after `ms`: spreads a round's requests over a few dozen milliseconds around the transition. */
const after = <T>(ms: number, send: () => PromiseLike<T>): Promise<T> =>
  new Promise((resolve, reject) => setTimeout(() => void Promise.resolve(send()).then(resolve, reject), ms));

const INDICATORS = 20;

interface AuditRow {
  sequence: number;
  action: string;
}

/** What a racing write may answer: it committed, or it was refused as the case moved on. */
const ACCEPTED_REFUSALS = ['CASE_LOCKED', 'EVIDENCE_LOCKED', 'STALE_VERSION', 'INVALID_TRANSITION'];

function expectCommittedOrRefused(responses: Response[], what: string): void {
  const unexpected = responses
    .filter((response) => response.status >= 300)
    .filter((response) => response.status !== 409 || !ACCEPTED_REFUSALS.includes(response.body?.code))
    .map((response) => ({ what, status: response.status, body: response.body as unknown }));
  expect(unexpected).toEqual([]);
}

describe('case edits racing the transition that closes them', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;
  let codes: string[];
  let secondRater: Session;
  /** Cases decided not certified by the sealing race, appealed in the race after it. */
  let decidedCases: string[] = [];

  beforeAll(async () => {
    // Room for a round's writes to wait on the case row at once, each on its own connection.
    testApp = await startTestApp({ DATABASE_POOL_SIZE: '40' });
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    secondRater = await aSignedInUser(client, world.sessions.secretariat_admin, world.certifierId, 'rater');
    // A small edition keeps each round's fixtures quick: 20 indicators, all applicable.
    const edition = anEdition()
      .withShape(2, 2, INDICATORS / 4)
      .build();
    await client.post('/api/v1/standards', world.sessions.secretariat_admin).send(edition).expect(201);
    await client
      .post(`/api/v1/standards/${edition.id as string}/publish`, world.sessions.secretariat_admin)
      .expect(200);
    cases = new CaseBuilder(client, world).withEdition(edition.id as string);
    codes = (edition.principles as { standards: { indicators: { code: string }[] }[] }[]).flatMap(
      (principle) => principle.standards.flatMap((standard) => standard.indicators.map((item) => item.code)),
    );
  });

  afterAll(() => testApp?.close());

  const auditOf = async (caseId: string): Promise<AuditRow[]> =>
    (
      await testApp.dataSource.query<{ sequence: string; action: string }[]>(
        'SELECT sequence, action FROM audit_event WHERE case_id = $1 ORDER BY sequence',
        [caseId],
      )
    ).map((row) => ({ sequence: Number(row.sequence), action: row.action }));

  /** Sessions of the file's database waiting for a lock. */
  const lockWaiters = async (): Promise<number> =>
    Number(
      (
        await testApp.dataSource.query<{ count: string }[]>(
          `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      )[0].count,
    );

  const untilLockWaiters = async (count: number): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while ((await lockWaiters()) < count && Date.now() < deadline) await after(10, () => Promise.resolve());
  };

  /**
   * The race at its narrowest: the transition is held just before it commits (the test holds the audit
   * chain's lock, which its last step takes), the writes are sent while it holds the case and get as far
   * as they can — each waits on some lock — then the transition is let go. A write checked against the
   * status it read before the transaction, or not under the case row's lock, commits after it.
   */
  const raceBehindHeldCommit = async (
    sendTransition: () => PromiseLike<Response>,
    sendWrites: (() => PromiseLike<Response>)[],
  ): Promise<[Response, Response[]]> => {
    const holder = new Client({ connectionString: testApp.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK_KEY]);
      const transitioned = Promise.resolve(sendTransition());
      await untilLockWaiters(1);
      const writes = sendWrites.map((send) => Promise.resolve(send()));
      await untilLockWaiters(1 + sendWrites.length);
      await holder.query('COMMIT');
      return [await transitioned, await Promise.all(writes)];
    } finally {
      await holder.end();
    }
  };

  /** Odd rounds: held at the transition's commit; even rounds: everything sent at once. */
  const race = async (
    round: number,
    sendTransition: () => PromiseLike<Response>,
    sendWrites: (() => PromiseLike<Response>)[],
  ): Promise<[Response, Response[]]> => {
    if (round % 2 === 1) return raceBehindHeldCommit(sendTransition, sendWrites);
    const [transitioned, ...writes] = await Promise.all([
      sendTransition(),
      ...sendWrites.map((send) => send()),
    ]);
    return [transitioned, writes];
  };

  /** The events of `actions` that committed after the last event `transition` of the case. */
  const committedAfter = async (caseId: string, transition: string, actions: string[]): Promise<string[]> => {
    const events = await auditOf(caseId);
    const closing = events.filter((event) => event.action === transition).pop();
    expect(closing).toBeDefined();
    return events
      .filter((event) => event.sequence > closing!.sequence && actions.includes(event.action))
      .map((event) => event.action);
  };

  const storedRatings = async (caseId: string): Promise<Map<string, { rating: string; version: number }>> =>
    new Map(
      (
        await testApp.dataSource.query<{ indicator_code: string; rating: string; version: number }[]>(
          'SELECT indicator_code, rating, version FROM indicator_rating WHERE case_id = $1',
          [caseId],
        )
      ).map((row) => [row.indicator_code, { rating: row.rating, version: row.version }]),
    );

  const ratingSave = (caseId: string, code: string, version: number, rating: string): Promise<Response> =>
    client
      .put(`/api/v1/cases/${caseId}/ratings`, world.sessions.rater)
      .send({
        ratings: [
          {
            indicatorCode: code,
            rating,
            version,
            ...(rating === 'met' ? {} : { justification: 'Revised after the closing meeting' }),
          },
        ],
      })
      .then((response) => response);

  const transition = (
    caseId: string,
    action: string,
    as: Session,
    version: number,
    extra: Record<string, unknown> = {},
  ): Promise<Response> =>
    client
      .post(`/api/v1/cases/${caseId}/transitions`, as)
      .send({ action, version, ...extra })
      .then((response) => response);

  it(`freezes ratings, findings, responses, resolutions, evidence, requests and the team at refer_to_committee (${ROUNDS} rounds)`, async () => {
    const issued = await cases.findingsIssued([codes[0]]);
    // The response window is over, so refer_to_committee does not wait for the answers raced below.
    await testApp.dataSource.query(
      'UPDATE certification_case SET response_due_on = current_date - 1 WHERE id = $1',
      [issued.id],
    );
    const finding = (
      await client.get(`/api/v1/cases/${issued.id}/findings`, world.sessions.rater).expect(200)
    ).body.items[0] as { id: string };
    const evidence = await client
      .post(`/api/v1/cases/${issued.id}/evidence`, world.sessions.institution_admin)
      .field('title', 'Repayment capacity procedure')
      .field('indicatorCodes', codes[0])
      .attach('file', aPdf(600, 'procedure'), 'procedure.pdf')
      .expect(201);
    const frozenKinds = [
      'ratings.saved',
      'finding.created',
      'finding.updated',
      'finding.responded',
      'finding.resolution_recorded',
      'evidence.uploaded',
      'evidence.version_added',
      'evidence_request.created',
      'case.team_assigned',
    ];
    const committedBefore = new Map<string, number>();
    const refused = new Map<string, number>();
    const tally = (what: string, responses: Response[]): void => {
      for (const response of responses) {
        const bucket = response.status < 300 ? committedBefore : refused;
        bucket.set(what, (bucket.get(what) ?? 0) + 1);
      }
    };

    for (let round = 0; round < ROUNDS; round += 1) {
      const current = await cases.read(issued.id);
      const ratings = await storedRatings(issued.id);
      const currentFinding = (
        await client.get(`/api/v1/cases/${issued.id}/findings`, world.sessions.rater).expect(200)
      ).body.items.find((item: { id: string }) => item.id === finding.id) as { version: number };

      const sendRefer = () =>
        transition(issued.id, 'refer_to_committee', world.sessions.rater, current.version);
      const writeRequests: Record<string, (() => PromiseLike<Response>)[]> = {
        ratings: codes
          .slice(1)
          .map((code) => () => ratingSave(issued.id, code, ratings.get(code)!.version, 'met')),
        findings: [0, 1].map(
          (index) => () =>
            client
              .post(`/api/v1/cases/${issued.id}/findings`, world.sessions.rater)
              .send({
                indicatorCodes: [codes[index]],
                severity: 'observation',
                description: `Round ${round}: an observation`,
                recommendation: 'Keep the practice documented',
              })
              .then((response) => response),
        ),
        findingPatches: [0, 1].map(
          (index) => () =>
            client
              .patch(`/api/v1/findings/${finding.id}`, world.sessions.rater)
              .send({ version: currentFinding.version, description: `Round ${round}, edit ${index}` })
              .then((response) => response),
        ),
        responses: [0, 1].map(
          (index) => () =>
            client
              .post(`/api/v1/findings/${finding.id}/responses`, world.sessions.institution_admin)
              .send({ text: `Round ${round}: corrective plan ${index}` })
              .then((response) => response),
        ),
        resolutions: [
          () =>
            client
              .post(`/api/v1/findings/${finding.id}/resolution`, world.sessions.rater)
              .send({ status: 'unresolved', note: `Round ${round}: plan not yet applied` })
              .then((response) => response),
        ],
        uploads: [world.sessions.institution_admin, world.sessions.rater].map(
          (session, index) => () =>
            client
              .post(`/api/v1/cases/${issued.id}/evidence`, session)
              .field('title', `Round ${round} file ${index}`)
              .field('indicatorCodes', codes[index])
              .attach('file', aPdf(600, `round ${round} ${index}`), `round-${round}-${index}.pdf`)
              .then((response) => response),
        ),
        versions: [
          () =>
            client
              .post(
                `/api/v1/evidence/${evidence.body.id as string}/versions`,
                world.sessions.institution_admin,
              )
              .attach('file', aPdf(700, `round ${round} revision`), `procedure-${round}.pdf`)
              .then((response) => response),
        ],
        requests: [
          () =>
            client
              .post(`/api/v1/cases/${issued.id}/evidence-requests`, world.sessions.rater)
              .send({
                indicatorCodes: [codes[2]],
                description: `Round ${round}: the signed minutes`,
                dueOn: addCalendarDays(todayUtc(), 10),
              })
              .then((response) => response),
        ],
        team: [
          // A change of the mission team (a second rater) claims the version refer_to_committee claims.
          () =>
            client
              .put(`/api/v1/cases/${issued.id}/team`, world.sessions.certifier_admin)
              .send({
                version: current.version,
                leadRaterId: world.sessions.rater.userId,
                raterIds: (current.team.raters as unknown[]).length > 0 ? [] : [secondRater.userId],
                committeeMemberIds: [world.sessions.committee_member.userId],
              })
              .then((response) => response),
        ],
      };
      // A team change takes the case's version and so usually makes the referral stale: one round in four.
      if (round % 4 !== 3) writeRequests.team = [];
      const kinds = Object.keys(writeRequests);
      let referred: Response;
      let settled: Response[][];
      if (round % 2 === 1) {
        const flat = kinds.flatMap((what) => writeRequests[what].map((send) => ({ what, send })));
        const [transitioned, results] = await raceBehindHeldCommit(
          sendRefer,
          flat.map((entry) => entry.send),
        );
        referred = transitioned;
        settled = kinds.map((what) => results.filter((_, index) => flat[index].what === what));
      } else {
        // The writes go out over 500 ms in random order, the referral 0 to 300 ms into them: some reach
        // the case before it, some while it holds the case row, some after.
        const refer = after((round % 4) * 100, sendRefer);
        const writes = kinds.map((what) =>
          Promise.all(writeRequests[what].map((send) => after(Math.random() * 500, send))),
        );
        [referred, ...settled] = await Promise.all([refer, ...writes]);
      }
      if (process.env.RACE_DEBUG)
        console.log(
          round,
          referred.status,
          kinds
            .map((what, index) => `${what}:${settled[index].map((r: Response) => r.status).join(',')}`)
            .join(' '),
        );
      kinds.forEach((what, index) => {
        expectCommittedOrRefused(settled[index], what);
        tally(what, settled[index]);
      });

      // The team write may win the version; the case is referred right after it then.
      if (referred.status !== 200) {
        expect({ status: referred.status, code: referred.body.code }).toEqual({
          status: 409,
          code: 'STALE_VERSION',
        });
        const now = await cases.read(issued.id);
        await transition(issued.id, 'refer_to_committee', world.sessions.rater, now.version).then(
          (response) => expect(response.status).toBe(200),
        );
      }
      expect(await committedAfter(issued.id, 'case.refer_to_committee', frozenKinds)).toEqual([]);

      const referredCase = await cases.read(issued.id);
      await transition(issued.id, 'return_to_team', world.sessions.committee_member, referredCase.version, {
        reason: `Round ${round}: check the sample again`,
      }).then((response) => expect(response.status).toBe(200));
    }
    // A refused upload left no file behind: the case's folder holds exactly the stored versions.
    const storedKeys = (
      await testApp.dataSource.query<{ storage_key: string }[]>(
        `SELECT version.storage_key FROM evidence_version version
           JOIN evidence_item item ON item.id = version.evidence_id WHERE item.case_id = $1`,
        [issued.id],
      )
    ).map((row) => row.storage_key);
    const files = readdirSync(join(testApp.config.storage.localDirectory, 'evidence', issued.id)).map(
      (name) => `evidence/${issued.id}/${name}`,
    );
    expect(files.sort()).toEqual(storedKeys.sort());
    // Both sides of the race happened: writes that committed first, writes refused after the freeze.
    expect([...committedBefore.values()].reduce((sum, value) => sum + value, 0)).toBeGreaterThan(0);
    expect(refused.get('ratings') ?? 0).toBeGreaterThan(0);
  });

  it(`seals the stored ratings: ${ROUNDS} rounds of rating saves racing refer_to_committee and decide`, async () => {
    const issuedCases: CaseRef[] = [];
    issuedCases.push(...(await buildInBatches(ROUNDS, () => cases.findingsIssued())));
    decidedCases = issuedCases.map((issued) => issued.id);
    let refusedAfterFreeze = 0;

    for (const [round, issued] of issuedCases.entries()) {
      const current = await cases.read(issued.id);
      const ratings = await storedRatings(issued.id);
      const save = (code: string): Promise<Response> =>
        ratingSave(issued.id, code, ratings.get(code)!.version, 'not_met');
      const sendRefer = () =>
        transition(issued.id, 'refer_to_committee', world.sessions.rater, current.version);
      let referred: Response;
      let pending: Promise<Response[]>;
      if (round % 2 === 1) {
        const [transitioned, saved] = await raceBehindHeldCommit(
          sendRefer,
          codes.map((code) => () => save(code)),
        );
        referred = transitioned;
        pending = Promise.resolve(saved);
      } else {
        // Half the saves go out before the referral, half after it, spread over 500 ms.
        const earlier = codes.slice(0, INDICATORS / 2).map(save);
        const referral = sendRefer();
        const later = codes.slice(INDICATORS / 2).map((code, index) => after(index * 25, () => save(code)));
        referred = await referral;
        pending = Promise.all([...earlier, ...later]);
      }
      expect(referred.status).toBe(200);
      // The committee decides at once, while saves may still be waiting on the case row.
      const decided = await transition(
        issued.id,
        'decide',
        world.sessions.committee_member,
        referred.body.version as number,
        { data: { outcome: 'not_certified', rationale: 'Decided while the mission team was still saving' } },
      );
      expect(decided.status).toBe(200);
      const responses = await pending;
      expectCommittedOrRefused(responses, 'ratings');

      expect(await committedAfter(issued.id, 'case.refer_to_committee', ['ratings.saved'])).toEqual([]);
      const [sealed] = await testApp.dataSource.query<{ package_json: string }[]>(
        'SELECT package_json FROM case_decision WHERE case_id = $1',
        [issued.id],
      );
      const packaged = (
        JSON.parse(sealed.package_json) as {
          ratings: { indicatorCode: string; rating: string; version: number }[];
        }
      ).ratings;
      const stored = await storedRatings(issued.id);
      expect(
        Object.fromEntries(
          packaged.map((item) => [item.indicatorCode, { rating: item.rating, version: item.version }]),
        ),
      ).toEqual(Object.fromEntries(stored));
      const results = await client
        .get(`/api/v1/cases/${issued.id}/results`, world.sessions.rater)
        .expect(200);
      const notMetStored = [...stored.values()].filter((item) => item.rating === 'not_met').length;
      expect(results.body.outcome.eligible).toBe(notMetStored === 0);
      refusedAfterFreeze += responses.filter((response) => response.status === 409).length;
    }
    // The race was real: some saves reached the case only after it was referred, and were refused.
    expect(refusedAfterFreeze).toBeGreaterThan(0);
  });

  it('answers 409 to the transition that loses a race, never 422: appeal twice, appeal against accept_decision', async () => {
    expect(decidedCases).toHaveLength(ROUNDS);
    for (const [round, caseId] of decidedCases.entries()) {
      const { version } = await cases.read(caseId);
      const rival =
        round % 2 === 0
          ? transition(caseId, 'appeal', world.sessions.institution_admin, version, {
              reason: 'The sample of files was too small',
            })
          : transition(caseId, 'accept_decision', world.sessions.institution_admin, version);
      const responses = await Promise.all([
        transition(caseId, 'appeal', world.sessions.institution_admin, version, {
          reason: 'The interviews were not representative',
        }),
        rival,
      ]);
      const statuses = responses.map((response) => response.status).sort();
      expect({ round, statuses }).toEqual({ round, statuses: [200, 409] });
      const loser = responses.find((response) => response.status === 409)!;
      expect(['STALE_VERSION', 'INVALID_TRANSITION']).toContain(loser.body.code);
      const events = (await auditOf(caseId)).filter((event) =>
        ['case.appeal', 'case.accept_decision'].includes(event.action),
      );
      expect(events).toHaveLength(1);
    }
  });

  it('saves 20 batches of the same indicators sent in 20 different orders by two raters without a deadlock (10 rounds)', async () => {
    const onsite = await cases.onsite();
    await cases.assignTeam(onsite.id, {
      leadRaterId: world.sessions.rater.userId,
      raterIds: [secondRater.userId],
      committeeMemberIds: [world.sessions.committee_member.userId],
    });
    await cases.rateAll(onsite.id);
    for (let round = 0; round < 10; round += 1) {
      const ratings = await storedRatings(onsite.id);
      const batch = (order: number) =>
        codes
          .map((code, index) => ({ code, key: (index * (order + 3) + order * 7) % codes.length }))
          .sort((a, b) => a.key - b.key || a.code.localeCompare(b.code))
          .map(({ code }) => ({
            indicatorCode: code,
            rating: 'partially_met',
            justification: `Batch ${order} of round ${round}`,
            version: ratings.get(code)!.version,
          }));
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, order) =>
          client
            .put(`/api/v1/cases/${onsite.id}/ratings`, order % 2 ? secondRater : world.sessions.rater)
            .send({ ratings: order % 2 ? batch(order).reverse() : batch(order) })
            .then((response) => response),
        ),
      );
      const outcome = responses.map((response) =>
        response.status === 200 ? 'saved' : `${response.status} ${response.body.code as string}`,
      );
      // Every batch claims the same versions: one is saved, the others are stale; none deadlocks into a 500.
      expect(outcome.filter((entry) => entry === 'saved')).toHaveLength(1);
      expect(outcome.filter((entry) => entry !== 'saved' && entry !== '409 STALE_VERSION')).toEqual([]);
    }
  });

  it(`closes the self-assessment at submit (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const opened = await cases.open();
      await cases.completeSelfAssessment(opened.id);
      const answers = codes.map((code) => ({
        indicatorCode: code,
        rating: 'met',
        comment: `Round ${round}`,
      }));
      const [submitted, saves] = await race(
        round,
        () => transition(opened.id, 'submit', world.sessions.institution_admin, opened.version),
        [
          world.sessions.institution_admin,
          world.sessions.institution_member,
          world.sessions.institution_admin,
        ].map(
          (session, index) => () =>
            client
              .put(`/api/v1/cases/${opened.id}/self-assessment`, session)
              .send({ answers: index % 2 ? [...answers].reverse() : answers })
              .then((response) => response),
        ),
      );
      expect(submitted.status).toBe(200);
      expectCommittedOrRefused(saves, 'self-assessment');
      expect(await committedAfter(opened.id, 'case.submit', ['self_assessment.saved'])).toEqual([]);
    }
  });

  it(`closes evidence deletion at start_onsite, then declarations and the mission at withdraw (${ROUNDS} rounds)`, async () => {
    const ready = await buildInBatches(ROUNDS, async () => {
      const inReview = await cases.inDeskReview();
      await cases.declare(inReview.id, world.sessions.rater);
      await cases.declare(inReview.id, world.sessions.committee_member);
      await cases.setMission(inReview.id);
      return inReview;
    });
    for (const [round, inReview] of ready.entries()) {
      const uploaded: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const response = await client
          .post(`/api/v1/cases/${inReview.id}/evidence`, world.sessions.institution_admin)
          .field('title', `Draft file ${index}`)
          .field('indicatorCodes', codes[index])
          .attach('file', aPdf(600, `draft ${round} ${index}`), `draft-${index}.pdf`)
          .expect(201);
        uploaded.push(response.body.id as string);
      }
      const beforeStart = await cases.read(inReview.id);
      const [started, deletions] = await race(
        round,
        () => transition(inReview.id, 'start_onsite', world.sessions.rater, beforeStart.version),
        uploaded.map(
          (id) => () =>
            client
              .delete(`/api/v1/evidence/${id}`, world.sessions.institution_admin)
              .then((response) => response),
        ),
      );
      expect(started.status).toBe(200);
      expectCommittedOrRefused(deletions, 'evidence deletion');
      expect(await committedAfter(inReview.id, 'case.start_onsite', ['evidence.deleted'])).toEqual([]);

      const onsite = await cases.read(inReview.id);
      const [withdrawn, writes] = await race(
        round,
        () =>
          transition(inReview.id, 'withdraw', world.sessions.institution_admin, onsite.version, {
            reason: 'The board postponed the certification',
          }),
        [
          ...[world.sessions.rater, world.sessions.committee_member, world.sessions.rater].map(
            (session) => () =>
              client
                .post(`/api/v1/cases/${inReview.id}/coi-declarations`, session)
                .send({ hasConflict: false, statement: 'No relationship with the institution' })
                .then((response) => response),
          ),
          () =>
            client
              .put(`/api/v1/cases/${inReview.id}/mission`, world.sessions.rater)
              .send({
                version: onsite.version,
                startsOn: addCalendarDays(todayUtc(), 30),
                endsOn: addCalendarDays(todayUtc(), 33),
                branchesVisited: ['Head office'],
                interviews: { clients: 10, staff: 4, management: 2 },
              })
              .then((response) => response),
        ],
      );
      expectCommittedOrRefused(writes, 'declarations and mission');
      if (withdrawn.status === 200) {
        expect(
          await committedAfter(inReview.id, 'case.withdraw', ['case.conflict_declared', 'case.mission_set']),
        ).toEqual([]);
      } else {
        // The mission plan won the version: the withdrawal was refused as stale, never applied on top.
        expect({ status: withdrawn.status, code: withdrawn.body.code }).toEqual({
          status: 409,
          code: 'STALE_VERSION',
        });
      }
    }
  });
});
