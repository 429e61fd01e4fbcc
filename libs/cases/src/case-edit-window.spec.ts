import { type DomainError, ErrorCode } from '@app/common';
import { CASE_EDIT_WINDOWS, CASE_EDITS, CaseEditWindow } from './case-edit-window';
import { CASE_STATUSES, STATUSES_BEFORE_COMMITTEE } from './case-status';
import { TRANSITIONS } from './transitions/transition-table';

describe('CaseEditWindow', () => {
  describe('CASE_EDIT_WINDOWS', () => {
    it.each(CASE_EDITS)('opens %s in known statuses and closes it at some transition', (edit) => {
      const { openIn } = CASE_EDIT_WINDOWS[edit];
      expect(openIn.length).toBeGreaterThan(0);
      expect(openIn.every((status) => CASE_STATUSES.includes(status))).toBe(true);
      const closing = TRANSITIONS.filter(
        (rule) => rule.from.some((status) => openIn.includes(status)) && !openIn.includes(rule.to),
      );
      expect(closing.length).toBeGreaterThan(0);
    });

    it('freezes ratings and findings at refer_to_committee and the self-assessment at submit', () => {
      const closedBy = (edit: (typeof CASE_EDITS)[number]) =>
        TRANSITIONS.filter(
          (rule) =>
            rule.from.some((status) => CASE_EDIT_WINDOWS[edit].openIn.includes(status)) &&
            !CASE_EDIT_WINDOWS[edit].openIn.includes(rule.to),
        )
          .map((rule) => rule.action)
          .sort();
      expect(closedBy('ratings')).toEqual(['refer_to_committee', 'withdraw']);
      expect(closedBy('findings')).toEqual(['refer_to_committee', 'withdraw']);
      expect(CaseEditWindow.isOpen('ratings', 'committee_review')).toBe(false);
      expect(closedBy('self_assessment')).toEqual(['submit', 'withdraw']);
      expect(CASE_EDIT_WINDOWS.evidence_by_institution.openIn).toEqual(STATUSES_BEFORE_COMMITTEE);
    });
  });

  describe('assertOpen', () => {
    it('refuses ratings while the committee reviews with 409 CASE_LOCKED naming the status', () => {
      expect(() => CaseEditWindow.assertOpen('ratings', 'committee_review')).toThrow(
        expect.objectContaining({
          code: ErrorCode.CaseLocked,
          message: 'Ratings cannot change while the case is committee_review',
        }) as DomainError,
      );
    });

    it('refuses evidence deletion once onsite with EVIDENCE_LOCKED, as the evidence routes always did', () => {
      expect(() => CaseEditWindow.assertOpen('evidence_deletion', 'onsite')).toThrow(
        expect.objectContaining({
          code: ErrorCode.EvidenceLocked,
          message: 'Deleting evidence is not possible while the case is onsite',
        }) as DomainError,
      );
    });

    it('lets an open edit through', () => {
      expect(() => CaseEditWindow.assertOpen('finding_responses', 'findings_issued')).not.toThrow();
    });
  });
});
