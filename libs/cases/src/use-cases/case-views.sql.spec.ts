import type { InstitutionProfile } from '@app/identity';
import { type Actor, WorkingCalendar } from '@app/common';
import { toCaseDto } from '../case.mapper';
import { type CaseViewRow, toCaseView } from './case-views.sql';

const anActor = (): Actor =>
  ({
    userId: 'user-1',
    name: 'Officer',
    role: 'secretariat_officer',
    organizationId: 'secretariat-1',
    organizationKind: 'secretariat',
  }) as Actor;

const LEAD = '00000000-0000-4000-8000-0000000000a1';
const RATER = '00000000-0000-4000-8000-0000000000a2';
const MEMBER = '00000000-0000-4000-8000-0000000000a3';

/** A `CASE_VIEW_COLUMNS` row as node-postgres answers it, with `changes` over it. */
function aRow(changes: Partial<CaseViewRow> = {}): CaseViewRow {
  return {
    id: 'case-1',
    type: 'certification',
    status: 'onsite',
    version: 3,
    editionId: 'cps-2016',
    institutionId: 'institution-1',
    certifierId: 'certifier-1',
    submittedAt: new Date('2025-01-02T03:04:05.678Z'),
    certificateNumber: null,
    issuedCertificateNumber: null,
    mission: null,
    profile: { branches: 3 } as unknown as InstitutionProfile,
    responseDueOn: null,
    outcome: null,
    level: null,
    decidedAt: null,
    appealDueOn: null,
    committeeChairId: null,
    appealResponseDueOn: null,
    escalationDueOn: null,
    reopenedIndicatorCodes: null,
    postponedUntil: null,
    isPreAssessment: false,
    committeeRound: 0,
    decisionAcceptedAt: null,
    statusChangedAt: new Date('2025-01-03T00:00:00.000Z'),
    createdBy: 'user-1',
    createdAt: new Date('2025-01-01T00:00:00.000Z'),
    updatedAt: new Date('2025-01-03T00:00:00.000Z'),
    institutionName: 'Caja Uno',
    institutionCountry: 'PE',
    institutionProfile: null,
    certifierName: 'Certifier One',
    editionTitle: 'Client Protection Standards 2016',
    members: [
      { userId: LEAD, teamRole: 'lead_rater', name: 'Lead' },
      { userId: RATER, teamRole: 'rater', name: 'Rater' },
      { userId: MEMBER, teamRole: 'committee_member', name: 'Member' },
    ],
    declarations: null,
    ...changes,
  };
}

describe('toCaseView', () => {
  it('builds the snapshot, the team and the names from the one row', () => {
    const view = toCaseView(aRow());
    expect(view.snapshot).toEqual({
      id: 'case-1',
      type: 'certification',
      status: 'onsite',
      version: 3,
      editionId: 'cps-2016',
      institutionId: 'institution-1',
      certifierId: 'certifier-1',
      submittedAt: new Date('2025-01-02T03:04:05.678Z'),
      team: { leadRaterId: LEAD, raterIds: [RATER], committeeMemberIds: [MEMBER] },
    });
    expect([...view.userNames]).toEqual([
      [LEAD, 'Lead'],
      [RATER, 'Rater'],
      [MEMBER, 'Member'],
    ]);
    expect(view.institution).toEqual({ id: 'institution-1', name: 'Caja Uno', country: 'PE' });
    expect(view.certifier).toEqual({ id: 'certifier-1', name: 'Certifier One' });
    expect(view.edition).toEqual({ id: 'cps-2016', title: 'Client Protection Standards 2016' });
  });

  it('serves the row itself as the case row (no copy), and the answer shows none of its view columns', () => {
    const found = aRow();
    const view = toCaseView(found);
    expect(view.row).toBe(found);
    expect(view.row.createdAt).toEqual(new Date('2025-01-01T00:00:00.000Z'));
    const answer = toCaseDto(anActor(), view, new WorkingCalendar([]));
    for (const key of [
      'members',
      'declarations',
      'institutionName',
      'institutionCountry',
      'institutionProfile',
      'certifierName',
      'editionTitle',
    ]) {
      expect(JSON.stringify(answer)).not.toContain(`"${key}"`);
    }
    expect(answer.institution).toEqual({ id: 'institution-1', name: found.institutionName, country: 'PE' });
  });

  it("pairs each member's latest declaration with its time as the driver parses PostgreSQL's text", () => {
    const view = toCaseView(
      aRow({ declarations: [{ userId: LEAD, hasConflict: true, declaredAt: '2025-05-06 07:08:09.999+02' }] }),
    );
    expect(view.declarations.get(LEAD)).toEqual({
      userId: LEAD,
      hasConflict: true,
      declaredAt: new Date('2025-05-06T05:08:09.999Z'),
    });
    expect(view.declarations.size).toBe(1);
    expect(toCaseView(aRow()).declarations.size).toBe(0);
  });

  it('takes the submitted profile once submitted, the institution profile before', () => {
    expect(toCaseView(aRow()).profile).toEqual({ branches: 3 });
    const draft = { submittedAt: null, status: 'draft' as const };
    expect(
      toCaseView(aRow({ ...draft, institutionProfile: { branches: 9 } as unknown as InstitutionProfile }))
        .profile,
    ).toEqual({ branches: 9 });
    expect(toCaseView(aRow(draft)).profile).toBeNull();
  });

  it('reads a case without a team or declarations', () => {
    const view = toCaseView(aRow({ members: null }));
    expect(view.snapshot.team).toEqual({ leadRaterId: null, raterIds: [], committeeMemberIds: [] });
    expect(view.userNames.size).toBe(0);
  });
});
