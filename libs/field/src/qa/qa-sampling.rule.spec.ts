import { checkForQa, type QaCaseFacts, qaDraw } from './qa-sampling.rule';

const DECIDED_AT = new Date('2026-06-30T10:00:00.000Z');

function facts(overrides: Partial<QaCaseFacts> = {}): QaCaseFacts {
  return {
    caseId: '6f1c2f2e-0d7a-4b1e-9a53-1f4a1f0c9b11',
    decidedAt: DECIDED_AT,
    outcome: 'certified',
    level: null,
    applicableRatings: 10,
    metRatings: 10,
    ratingsCitingEvidence: 4,
    computed: { eligible: true, level: null },
    isTiered: false,
    dissentCount: 0,
    ...overrides,
  };
}

describe(checkForQa.name, () => {
  describe('the random share', () => {
    it('draws the same number for the same decision, and another for a later decision', () => {
      const first = qaDraw('6f1c2f2e-0d7a-4b1e-9a53-1f4a1f0c9b11', DECIDED_AT);
      expect(qaDraw('6f1c2f2e-0d7a-4b1e-9a53-1f4a1f0c9b11', new Date(DECIDED_AT))).toBe(first);
      expect(qaDraw('6f1c2f2e-0d7a-4b1e-9a53-1f4a1f0c9b11', new Date('2026-07-01T00:00:00Z'))).not.toBe(
        first,
      );
      expect(first).toBeGreaterThanOrEqual(0);
      expect(first).toBeLessThan(1);
    });

    it('selects a case exactly when its draw is under the share: none at 0, all at 1', () => {
      const draw = qaDraw(facts().caseId, DECIDED_AT);
      expect(checkForQa(facts(), 0).reasons).toEqual([]);
      expect(checkForQa(facts(), 1).reasons).toEqual(['sampled']);
      expect(checkForQa(facts(), draw).reasons).toEqual([]);
      expect(checkForQa(facts(), draw + 1e-9).reasons).toEqual(['sampled']);
    });

    it('samples close to the share over many cases', () => {
      const ids = Array.from(
        { length: 4000 },
        (_, n) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
      );
      const selected = ids.filter((caseId) => checkForQa(facts({ caseId }), 0.1).reasons.includes('sampled'));
      expect(selected.length).toBeGreaterThan(320);
      expect(selected.length).toBeLessThan(480);
    });
  });

  describe('the flagged patterns', () => {
    it('flags every applicable indicator met with no evidence cited, not one citing evidence', () => {
      expect(checkForQa(facts({ ratingsCitingEvidence: 0 }), 0)).toMatchObject({
        reasons: ['all_met_without_evidence'],
        details: { metWithoutEvidence: 10 },
      });
      expect(checkForQa(facts({ ratingsCitingEvidence: 1 }), 0).reasons).toEqual([]);
      expect(checkForQa(facts({ ratingsCitingEvidence: 0, metRatings: 9 }), 0).reasons).toEqual([]);
      expect(
        checkForQa(facts({ ratingsCitingEvidence: 0, metRatings: 0, applicableRatings: 0 }), 0).reasons,
      ).toEqual([]);
    });

    it('flags a decision against the results: certified when not eligible, refused when eligible', () => {
      expect(checkForQa(facts({ computed: { eligible: false, level: null } }), 0)).toMatchObject({
        reasons: ['decision_against_results'],
        details: { decided: { outcome: 'certified' }, computed: { outcome: 'not_certified' } },
      });
      expect(checkForQa(facts({ outcome: 'not_certified' }), 0).reasons).toEqual([
        'decision_against_results',
      ]);
      expect(
        checkForQa(facts({ outcome: 'not_certified', computed: { eligible: false, level: null } }), 0)
          .reasons,
      ).toEqual([]);
    });

    it('flags a certified level other than the computed one on a tiered edition only', () => {
      const tiered = { isTiered: true, computed: { eligible: true, level: 'gold' } };
      expect(checkForQa(facts({ ...tiered, level: 'silver' }), 0)).toMatchObject({
        reasons: ['decision_against_results'],
        details: { decided: { level: 'silver' }, computed: { level: 'gold' } },
      });
      expect(checkForQa(facts({ ...tiered, level: 'gold' }), 0).reasons).toEqual([]);
    });

    it('flags a decision with dissenting votes, beside any other reason', () => {
      expect(checkForQa(facts({ dissentCount: 1, ratingsCitingEvidence: 0 }), 1).reasons).toEqual([
        'sampled',
        'all_met_without_evidence',
        'committee_dissent',
      ]);
    });
  });
});
