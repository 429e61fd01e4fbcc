import { type Actor, NotFoundError } from '@app/common';
import type { PreparedQueries } from '@app/database';
import { CaseAccessService, type CaseSnapshotRow, snapshotOfRow } from './case-access.service';

const RATER = '00000000-0000-4000-8000-0000000000a2';

const actor = (changes: Partial<Actor>): Actor => ({
  kind: 'user',
  userId: 'user-1',
  name: 'Someone',
  role: null,
  organizationId: null,
  organizationKind: null,
  ...changes,
});

const row = (changes: Partial<CaseSnapshotRow> = {}): CaseSnapshotRow => ({
  id: 'case-1',
  type: 'certification',
  status: 'onsite',
  version: 2,
  editionId: 'cps-2016',
  institutionId: 'institution-1',
  certifierId: 'certifier-1',
  submittedAt: new Date('2025-01-02T00:00:00.000Z'),
  members: [{ userId: RATER, teamRole: 'lead_rater' }],
  ...changes,
});

describe(CaseAccessService.name, () => {
  // `visible` and `canSee` read no database.
  const access = new CaseAccessService(undefined as unknown as PreparedQueries);

  describe('snapshotOfRow', () => {
    it('makes the team of the members read beside the case', () => {
      expect(snapshotOfRow(row()).team).toEqual({ leadRaterId: RATER, raterIds: [], committeeMemberIds: [] });
      expect(snapshotOfRow(row())).not.toHaveProperty('members');
    });
  });

  describe('visible', () => {
    it('answers the snapshot the caller may see', () => {
      const snapshot = snapshotOfRow(row());
      const institution = actor({ organizationKind: 'institution', organizationId: 'institution-1' });
      expect(access.visible(institution, snapshot)).toBe(snapshot);
    });

    it('refuses a missing case and a case the caller may not see alike, as not found', () => {
      const stranger = actor({ organizationKind: 'institution', organizationId: 'institution-2' });
      expect(() => access.visible(stranger, null)).toThrow(NotFoundError);
      expect(() => access.visible(stranger, snapshotOfRow(row()))).toThrow(NotFoundError);
      const rater = actor({
        userId: RATER,
        role: 'rater',
        organizationKind: 'certifier',
        organizationId: 'certifier-1',
      });
      expect(() => access.visible(rater, snapshotOfRow(row({ submittedAt: null, status: 'draft' })))).toThrow(
        NotFoundError,
      );
      expect(access.visible(rater, snapshotOfRow(row())).id).toBe('case-1');
    });
  });
});
