import { ApiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { aCase, setCaseStatus } from './support/case-fixture';
import { filesUnder, uploadEvidence, uploadVersion } from './support/evidence-requests';
import { aPdf } from './support/sample-files';
import { TestS3Server } from './support/test-s3-server';

type Driver = 'local-disk' | 's3';

describe.each<Driver>(['local-disk', 's3'])('deleting evidence on %s storage', (driver) => {
  let s3: TestS3Server | undefined;
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;

  const storedKeys = async (): Promise<string[]> => {
    if (s3) return s3.listKeys();
    const root = testApp.config.storage.localDirectory;
    return filesUnder(root).map((path) => path.slice(root.length + 1));
  };

  const anUpload = async (caseId: string, title: string): Promise<{ id: string; storageKey: string }> => {
    const uploaded = await uploadEvidence(client, world.sessions.institution_member, caseId, {
      file: aPdf(1000, title),
      fileName: `${title}.pdf`,
      title,
      indicatorCodes: ['2.1.1'],
    }).expect(201);
    const [{ storage_key }]: { storage_key: string }[] = await testApp.dataSource.query(
      'SELECT storage_key FROM evidence_version WHERE evidence_id = $1',
      [uploaded.body.id],
    );
    return { id: uploaded.body.id, storageKey: storage_key };
  };

  beforeAll(async () => {
    s3 = driver === 's3' ? await TestS3Server.start() : undefined;
    testApp = await startTestApp(s3?.env() ?? {});
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
  });

  afterAll(async () => {
    await testApp?.close();
    await s3?.close();
  });

  it("leaves each party's evidence to it: the institution neither deletes nor supersedes the raters', nor the raters the institution's", async () => {
    const caseId = await aCase(testApp.dataSource, world, { status: 'desk_review' });
    const byRater = await uploadEvidence(client, world.sessions.rater, caseId, {
      file: aPdf(1000, 'Disclosure photo'),
      fileName: 'photo.pdf',
      title: 'Disclosure poster at the branch',
      indicatorCodes: ['2.1.1'],
    }).expect(201);
    const byInstitution = await anUpload(caseId, 'Policy');

    const deleted = await client.delete(
      `/api/v1/evidence/${byRater.body.id}`,
      world.sessions.institution_admin,
    );
    expect(deleted.status).toBe(403);
    const superseded = await uploadVersion(
      client,
      world.sessions.institution_member,
      byRater.body.id,
      aPdf(900, 'Another photo'),
      'other.pdf',
    );
    expect(superseded.status).toBe(403);
    const overwritten = await uploadVersion(
      client,
      world.sessions.rater,
      byInstitution.id,
      aPdf(900, 'A rater copy'),
      'copy.pdf',
    );
    expect(overwritten.status).toBe(403);
    const versions = await testApp.dataSource.query<{ evidence_id: string }[]>(
      'SELECT evidence_id FROM evidence_version WHERE evidence_id = ANY($1::uuid[])',
      [[byRater.body.id, byInstitution.id]],
    );
    expect(versions).toHaveLength(2);

    // Each party still changes its own.
    await uploadVersion(
      client,
      world.sessions.rater,
      byRater.body.id,
      aPdf(800, 'Second photo'),
      'photo2.pdf',
    ).expect(201);
    await client.delete(`/api/v1/evidence/${byInstitution.id}`, world.sessions.institution_admin).expect(204);
  });

  it.each(['draft', 'submitted', 'desk_review'] as const)(
    'hides the evidence while the case is %s, keeps its bytes and records the deletion',
    async (status) => {
      const caseId = await aCase(testApp.dataSource, world, { status });
      const kept = await anUpload(caseId, 'Kept');
      const removed = await anUpload(caseId, 'Withdrawn');

      await client.delete(`/api/v1/evidence/${removed.id}`, world.sessions.institution_admin).expect(204);

      const list = await client
        .get(`/api/v1/cases/${caseId}/evidence`, world.sessions.institution_admin)
        .expect(200);
      expect((list.body.items as { id: string }[]).map((item) => item.id)).toEqual([kept.id]);
      expect(list.body.total).toBe(1);
      await client.get(`/api/v1/evidence/${removed.id}`, world.sessions.institution_admin).expect(404);
      await client
        .get(`/api/v1/evidence/${removed.id}/content`, world.sessions.institution_admin)
        .expect(404);
      await client.delete(`/api/v1/evidence/${removed.id}`, world.sessions.institution_admin).expect(404);

      expect(await storedKeys()).toEqual(expect.arrayContaining([kept.storageKey, removed.storageKey]));
      const [row]: { deleted_at: Date | null; deleted_by: string | null }[] = await testApp.dataSource.query(
        'SELECT deleted_at, deleted_by FROM evidence_item WHERE id = $1',
        [removed.id],
      );
      expect(row.deleted_at).not.toBeNull();
      expect(row.deleted_by).toBe(world.sessions.institution_admin.userId);
      const events: { action: string; case_id: string; actor_id: string }[] = await testApp.dataSource.query(
        'SELECT action, case_id, actor_id FROM audit_event WHERE entity_id = $1 ORDER BY sequence',
        [removed.id],
      );
      expect(events).toEqual([
        { action: 'evidence.uploaded', case_id: caseId, actor_id: world.sessions.institution_member.userId },
        { action: 'evidence.deleted', case_id: caseId, actor_id: world.sessions.institution_admin.userId },
      ]);
    },
  );

  it.each(['onsite', 'findings_issued', 'committee_review', 'decided'] as const)(
    'refuses with 409 EVIDENCE_LOCKED once the case is %s',
    async (status) => {
      const caseId = await aCase(testApp.dataSource, world, { status: 'desk_review' });
      const evidence = await anUpload(caseId, 'Locked');
      await setCaseStatus(testApp.dataSource, caseId, status);
      const response = await client.delete(
        `/api/v1/evidence/${evidence.id}`,
        world.sessions.institution_admin,
      );
      expect(response.status).toBe(409);
      expect(response.body.code).toBe('EVIDENCE_LOCKED');
      await client.get(`/api/v1/evidence/${evidence.id}`, world.sessions.institution_admin).expect(200);
    },
  );

  it('lets only the case institution’s admin delete', async () => {
    const caseId = await aCase(testApp.dataSource, world, { status: 'desk_review' });
    const evidence = await anUpload(caseId, 'Guarded');
    for (const caller of ['institution_member', 'rater', 'certifier_admin', 'secretariat_admin'] as const) {
      const response = await client.delete(`/api/v1/evidence/${evidence.id}`, world.sessions[caller]);
      expect({ caller, status: response.status }).toEqual({ caller, status: 403 });
    }
    const other = await client.delete(
      `/api/v1/evidence/${evidence.id}`,
      world.sessions.other_institution_admin,
    );
    expect(other.status).toBe(404);
    await client.get(`/api/v1/evidence/${evidence.id}`, world.sessions.institution_admin).expect(200);
  });
});
