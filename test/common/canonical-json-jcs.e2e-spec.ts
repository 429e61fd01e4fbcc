import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { ApiClient } from '../support/api-client';
import { CaseBuilder } from '../support/case-builder';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The sealed decision packages, the standards editions and the audit chain are hashed over canonical
 * JSON. Anyone must be able to recompute those hashes with a standard RFC 8785 (JCS) tool: this file
 * seals packages through the API (names and rationales with accents, CJK, emoji and U+2028), then
 * re-canonicalizes what the database stores with the `canonicalize` package and compares bytes and hashes.
 */
describe('sealed JSON re-canonicalizes byte for byte with RFC 8785 (canonicalize)', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
    await cases.published();
    await cases.decided('not_certified');
    const issued = await cases.findingsIssued([]);
    await cases.transition(issued.id, 'refer_to_committee', world.sessions.rater);
    const { version } = await cases.read(issued.id);
    await client
      .post(`/api/v1/cases/${issued.id}/transitions`, world.sessions.committee_member)
      .send({
        action: 'decide',
        version,
        data: {
          outcome: 'certified',
          rationale: 'Décision unanime — 認証 ✓ 🎉 "quoted" \\ back\u2028line\ttab <tag> &amp; 1e21 0.1',
        },
      })
      .expect(200);
  });

  afterAll(() => testApp?.close());

  it('every stored decision package is already in JCS form and its hash recomputes', async () => {
    const rows: { package_json: string; package_sha256: string }[] = await testApp.dataSource.query(
      'SELECT package_json, package_sha256 FROM case_decision',
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.some((row) => row.package_json.includes('認証 ✓ 🎉'))).toBe(true);
    for (const row of rows) {
      const jcs = canonicalize(JSON.parse(row.package_json)) ?? '';
      expect(jcs).toBe(row.package_json);
      expect(sha256(jcs)).toBe(row.package_sha256);
    }
  });

  it('every standards edition document hashes to its stored document_sha256 through JCS', async () => {
    const rows: { id: string; document: unknown; document_sha256: string }[] = await testApp.dataSource.query(
      'SELECT id, document, document_sha256 FROM standards_edition',
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect([row.id, sha256(canonicalize(row.document) ?? '')]).toEqual([row.id, row.document_sha256]);
    }
  });

  it('every audit event hashes to its stored hash through JCS', async () => {
    const rows: Record<string, any>[] = await testApp.dataSource.query(
      'SELECT * FROM audit_event ORDER BY sequence',
    );
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      const encoded = canonicalize({
        id: row.id,
        occurredAt: new Date(row.occurred_at).toISOString(),
        actorId: row.actor_id,
        actorName: row.actor_name,
        entityType: row.entity_type,
        entityId: row.entity_id,
        caseId: row.case_id,
        action: row.action,
        fromStatus: row.from_status,
        toStatus: row.to_status,
        reason: row.reason,
        data: row.data,
        previousHash: row.previous_hash,
      });
      expect([row.sequence, sha256(encoded ?? '')]).toEqual([row.sequence, row.hash]);
    }
  });
});
