import { PAGE_LANGUAGES } from '@app/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFParse } from 'pdf-parse';
import { ApiClient } from '../support/api-client';
import { TEST_ARTIFACTS } from '../support/browser';
import { CaseBuilder } from '../support/case-builder';
import { casesUnder } from '../support/editions-under-test';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';

function keepArtifact(name: string, bytes: Buffer): void {
  mkdirSync(TEST_ARTIFACTS, { recursive: true });
  writeFileSync(join(TEST_ARTIFACTS, name), bytes);
}

async function pdfText(bytes: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

const MISSION = {
  startsOn: '2026-12-07',
  endsOn: '2026-12-11',
  branchesVisited: ['Head office', 'Branch Norte'],
  interviews: { clients: 24, staff: 11, management: 4 },
};

const WORDS = {
  en: {
    nextLevel: 'Path to the next level',
    plan: 'Action plan',
    interview: 'interview',
    focus: 'Focus groups',
  },
  fr: {
    nextLevel: 'Chemin vers le niveau suivant',
    plan: 'Plan d’action',
    interview: 'entretien',
    focus: 'Groupes de discussion',
  },
  es: {
    nextLevel: 'Camino al siguiente nivel',
    plan: 'Plan de acción',
    interview: 'entrevista',
    focus: 'Grupos focales',
  },
} as const;

describe('verification sources, branch counts and the report of scores, next levels and the action plan', () => {
  let testApp: TestApp;
  let client: ApiClient;
  let world: World;
  let cases: CaseBuilder;

  beforeAll(async () => {
    testApp = await startTestApp();
    client = new ApiClient(testApp.app);
    world = await buildWorld(client);
    cases = new CaseBuilder(client, world);
  });

  afterAll(() => testApp?.close());

  const setMission = async (caseId: string, extra: Record<string, unknown>, status: number) => {
    const { version } = await cases.read(caseId);
    return client
      .put(`/api/v1/cases/${caseId}/mission`, world.sessions.rater)
      .send({ version, ...MISSION, ...extra })
      .expect(status);
  };

  it('keeps interview and focus-group counts per branch visited, validated', async () => {
    const onsite = await cases.onsite();
    const unknownBranch = await setMission(
      onsite.id,
      {
        branches: [{ name: 'Branch Sur', interviews: 3, focusGroups: 1 }],
      },
      400,
    );
    expect(unknownBranch.body.details).toEqual([
      { field: 'branches[0].name', message: 'must be one of branchesVisited' },
    ]);
    const twice = await setMission(
      onsite.id,
      {
        branches: [
          { name: 'Head office', interviews: 3, focusGroups: 1 },
          { name: 'Head office', interviews: 2, focusGroups: 0 },
        ],
      },
      400,
    );
    expect(twice.body.details).toEqual([{ field: 'branches[1].name', message: 'is listed twice' }]);
    const negative = await setMission(
      onsite.id,
      {
        branches: [{ name: 'Head office', interviews: -1, focusGroups: 1 }],
      },
      400,
    );
    expect(negative.body.details[0].field).toBe('branches[0].interviews');
    await setMission(onsite.id, { branches: [{ name: 'Head office', focusGroups: 1 }] }, 400);

    const saved = await setMission(
      onsite.id,
      {
        branches: [
          { name: 'Head office', interviews: 14, focusGroups: 2 },
          { name: 'Branch Norte', interviews: 10, focusGroups: 1 },
        ],
      },
      200,
    );
    expect(saved.body.mission.branches).toEqual([
      { name: 'Head office', interviews: 14, focusGroups: 2 },
      { name: 'Branch Norte', interviews: 10, focusGroups: 1 },
    ]);
    expect((await cases.read(onsite.id, world.sessions.institution_admin)).mission.branches).toHaveLength(2);
  });

  it('records how each rating was verified; it is returned and sealed in the decision package', async () => {
    const onsite = await cases.onsite();
    const invalid = await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({ ratings: [{ indicatorCode: '1.1.1', rating: 'met', verifiedBy: ['document', 'hearsay'] }] })
      .expect(400);
    expect(invalid.body.details[0].field).toContain('verifiedBy');
    const saved = await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({
        ratings: [
          { indicatorCode: '1.1.1', rating: 'met', verifiedBy: ['interview', 'document', 'interview'] },
          {
            indicatorCode: '1.2.1',
            rating: 'met',
            verifiedBy: ['focus_group', 'system_check', 'observation'],
          },
        ],
      })
      .expect(200);
    expect(saved.body.ratings.map((rating: { verifiedBy: string[] }) => rating.verifiedBy)).toEqual([
      ['document', 'interview'],
      ['focus_group', 'observation', 'system_check'],
    ]);
    await cases.rateAll(onsite.id, { '1.1.1': 'met' });
    // rateAll re-saves every rating without sources: a rating's sources are those of its latest save.
    await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({ ratings: [{ indicatorCode: '1.1.1', rating: 'met', verifiedBy: ['document'], version: 2 }] })
      .expect(200);
    await cases.transition(onsite.id, 'issue_findings', world.sessions.rater);
    const shown = await client
      .get(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.institution_admin)
      .expect(200);
    const byCode = (code: string) =>
      shown.body.ratings.find((rating: { indicatorCode: string }) => rating.indicatorCode === code);
    expect(byCode('1.1.1').verifiedBy).toEqual(['document']);
    expect(byCode('1.2.1').verifiedBy).toEqual([]);

    await cases.transition(onsite.id, 'refer_to_committee', world.sessions.rater);
    await cases.transition(onsite.id, 'decide', world.sessions.committee_member, {
      data: { outcome: 'certified', rationale: 'Every applicable standard is met' },
    });
    const [sealed] = await testApp.dataSource.query<{ package_json: string }[]>(
      'SELECT package_json FROM case_decision WHERE case_id = $1',
      [onsite.id],
    );
    const ratings = JSON.parse(sealed.package_json).ratings as {
      indicatorCode: string;
      verifiedBy: string[];
    }[];
    expect(ratings.find((rating) => rating.indicatorCode === '1.1.1')?.verifiedBy).toEqual(['document']);
  });

  /** A decided case with branch counts, verification sources, a finding, a recommendation and an owner. */
  async function decidedWithPlan(builder: CaseBuilder, partial: string, level?: string): Promise<string> {
    const onsite = await builder.onsite();
    await setMission(
      onsite.id,
      {
        branches: [
          { name: 'Head office', interviews: 14, focusGroups: 2 },
          { name: 'Branch Norte', interviews: 10, focusGroups: 3 },
        ],
      },
      200,
    );
    await builder.rateAll(onsite.id, { [partial]: 'partially_met' });
    const current = await client.get(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater);
    const version = current.body.ratings.find(
      (rating: { indicatorCode: string }) => rating.indicatorCode === '1.1.1',
    ).version;
    await client
      .put(`/api/v1/cases/${onsite.id}/ratings`, world.sessions.rater)
      .send({
        ratings: [
          { indicatorCode: '1.1.1', rating: 'met', verifiedBy: ['interview', 'focus_group'], version },
        ],
      })
      .expect(200);
    await client
      .post(`/api/v1/cases/${onsite.id}/findings`, world.sessions.rater)
      .send({
        indicatorCodes: [partial],
        severity: 'minor',
        description: 'Pilots are not evaluated before rollout',
        recommendation: 'Evaluate every pilot before full rollout',
        correctiveActionDueOn: '2027-06-30',
      })
      .expect(201);
    await client
      .post(`/api/v1/cases/${onsite.id}/actions`, world.sessions.rater)
      .send({
        description: 'Publish complaint statistics to the board every quarter',
        indicatorCodes: ['1.2.3'],
      })
      .expect(201);
    await builder.transition(onsite.id, 'issue_findings', world.sessions.rater);
    const actions = await client.get(`/api/v1/cases/${onsite.id}/actions`, world.sessions.institution_admin);
    await client
      .patch(`/api/v1/actions/${actions.body.items[0].id}`, world.sessions.institution_admin)
      .send({ version: actions.body.items[0].version, ownerName: 'Maria Quispe', status: 'in_progress' })
      .expect(200);
    const findings = await client.get(`/api/v1/cases/${onsite.id}/findings`, world.sessions.rater);
    await client
      .post(`/api/v1/findings/${findings.body.items[0].id}/responses`, world.sessions.institution_admin)
      .send({ text: 'Pilot evaluation procedure adopted' })
      .expect(201);
    await builder.transition(onsite.id, 'refer_to_committee', world.sessions.rater);
    await builder.transition(onsite.id, 'decide', world.sessions.committee_member, {
      data: level
        ? { outcome: 'certified', level, rationale: 'Entry practices in place' }
        : { outcome: 'not_certified', rationale: 'A standard is not met' },
    });
    return onsite.id;
  }

  const report = async (caseId: string, lang: string) => {
    const response = await client
      .get(`/api/v1/cases/${caseId}/report.pdf?lang=${lang}`, world.sessions.institution_admin)
      .responseType('blob')
      .expect(200);
    return response.body as Buffer;
  };

  it('2022: the report shows scores, the path to the next level, the action plan and verification sources (en, fr, es)', async () => {
    const caseId = await decidedWithPlan(cases.withEdition('cps-2022'), '1.1.2', 'bronze');
    for (const lang of PAGE_LANGUAGES) {
      const bytes = await report(caseId, lang);
      keepArtifact(`report-improvement-cps-2022-${lang}.pdf`, bytes);
      const text = await pdfText(bytes);
      // 1.1: met and partially met, 75 %; principle 1: 4.5 of 5, 90 %.
      expect(text).toContain('75 %');
      expect(text).toContain('90 %');
      expect(text).toContain(WORDS[lang].nextLevel);
      expect(text).toMatch(/1\.1\.2/);
      expect(text).toContain(WORDS[lang].plan);
      expect(text).toContain('Evaluate every pilot before full rollout');
      expect(text).toContain('Publish complaint statistics to the board every quarter');
      expect(text).toContain('Maria Quispe');
      expect(text).toContain(WORDS[lang].interview);
      expect(text).toContain(WORDS[lang].focus);
    }
    const english = await pdfText(await report(caseId, 'en'));
    expect(english).toContain('Silver');
    expect(english).toContain('Gold');
    expect(english).toMatch(/Progress indicators 16 \/ 17 97\.1 %/);
    expect(english).toContain('interview, focus group');
    expect(english).toMatch(/Branch Norte 10 3/);
  });

  it('2016: the report shows scores per principle and standard and the action plan, no next level (en, fr, es)', async () => {
    // cps-2016 takes no new initial certification: the case is a renewal of a certificate the institution holds.
    const renewals = await casesUnder(client, world, 'cps-2016');
    const caseId = await decidedWithPlan(renewals, '1.2.1');
    expect(await renewals.read(caseId)).toMatchObject({ type: 'renewal', edition: { id: 'cps-2016' } });
    for (const lang of PAGE_LANGUAGES) {
      const bytes = await report(caseId, lang);
      keepArtifact(`report-improvement-cps-2016-${lang}.pdf`, bytes);
      const text = await pdfText(bytes);
      // 1.2: 1.2.1 partially, 1.2.2 and 1.2.3 met: 2.5 of 3; principle 1: 8.5 of 9. Written as each
      // language writes a decimal.
      const decimal = (value: string) => (lang === 'en' ? value : value.replace('.', ','));
      expect(text).toContain(`${decimal('83.3')} %`);
      expect(text).toContain(`${decimal('94.4')} %`);
      // Pass/fail: no level, so no path to one.
      expect(text).not.toContain(WORDS[lang].nextLevel);
      expect(text).toContain(WORDS[lang].plan);
      expect(text).toContain('Evaluate every pilot before full rollout');
      expect(text).toContain('Publish complaint statistics to the board every quarter');
      expect(text).toContain('Maria Quispe');
      expect(text).toContain(WORDS[lang].interview);
      expect(text).toContain(WORDS[lang].focus);
    }
  });
});
