import type { InstitutionProfile } from '@app/identity';
import { caseViewOfRow, type CaseViewRow } from './case-view.sql';

const LEAD = '00000000-0000-4000-8000-0000000000a1';
const RATER = '00000000-0000-4000-8000-0000000000a2';
const MEMBER = '00000000-0000-4000-8000-0000000000a3';

/** A `CASE_VIEW_SQL` row as node-postgres answers it, with `changes` over it. */
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
    institutionDetails: {
      name: 'Caja Uno',
      country: 'PE',
      profile: { branches: 9 } as unknown as InstitutionProfile,
    },
    certifierName: 'Certifier One',
    editionTitle: 'Client Protection Standards 2016',
    members: [
      { userId: LEAD, teamRole: 'lead_rater', name: 'Lead' },
      { userId: RATER, teamRole: 'rater', name: 'Rater' },
      { userId: MEMBER, teamRole: 'committee_member', name: 'Member' },
    ],
    declarationUserIds: null,
    declarationConflicts: null,
    declarationDates: null,
    ...changes,
  };
}

describe('caseViewOfRow', () => {
  it('builds the snapshot, the team and the names from the one row', () => {
    const view = caseViewOfRow(aRow());
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

  it('keeps only the case columns in the row the mapper reads', () => {
    const { row } = caseViewOfRow(aRow());
    expect(Object.keys(row)).not.toContain('members');
    expect(Object.keys(row)).not.toContain('institutionDetails');
    expect(Object.keys(row)).not.toContain('declarationUserIds');
    expect(row.createdAt).toEqual(new Date('2025-01-01T00:00:00.000Z'));
  });

  it('pairs each latest declaration with its user, and reads none when no one declared', () => {
    const declaredAt = new Date('2025-05-06T05:08:09.999Z');
    const view = caseViewOfRow(
      aRow({ declarationUserIds: [LEAD], declarationConflicts: [true], declarationDates: [declaredAt] }),
    );
    expect(view.declarations.get(LEAD)).toEqual({ userId: LEAD, hasConflict: true, declaredAt });
    expect(view.declarations.size).toBe(1);
    expect(caseViewOfRow(aRow()).declarations.size).toBe(0);
  });

  it('takes the submitted profile once submitted, the institution profile before', () => {
    expect(caseViewOfRow(aRow()).profile).toEqual({ branches: 3 });
    expect(caseViewOfRow(aRow({ submittedAt: null, status: 'draft' })).profile).toEqual({ branches: 9 });
    expect(
      caseViewOfRow(aRow({ submittedAt: null, status: 'draft', institutionDetails: null })).profile,
    ).toBeNull();
  });

  it('falls back as the entity reads did when an organization or the edition is not found', () => {
    const view = caseViewOfRow(aRow({ institutionDetails: null, certifierName: null, editionTitle: null }));
    expect(view.institution).toEqual({ id: 'institution-1', name: '', country: '' });
    expect(view.certifier).toEqual({ id: 'certifier-1', name: '' });
    expect(view.edition).toEqual({ id: 'cps-2016', title: 'cps-2016' });
  });
});
