import type { RatingDefinitionV2 } from '@app/standards';
import { planPrefill, type PrefillPlanInput, translateRating } from './prefill-plan';

const SCALE: RatingDefinitionV2[] = [
  {
    value: 'met',
    label: 'Met',
    compliant: true,
    score: 1,
    requiresJustification: false,
    notApplicable: false,
  },
  {
    value: 'partially_met',
    label: 'Partially met',
    compliant: false,
    score: 0.5,
    requiresJustification: true,
    notApplicable: false,
  },
  {
    value: 'not_met',
    label: 'Not met',
    compliant: false,
    score: 0,
    requiresJustification: true,
    notApplicable: false,
  },
  {
    value: 'not_applicable',
    label: 'N/A',
    compliant: false,
    requiresJustification: true,
    notApplicable: true,
  },
];

const YES_NO: RatingDefinitionV2[] = [
  {
    value: 'yes',
    label: 'Yes',
    compliant: true,
    score: 1,
    requiresJustification: false,
    notApplicable: false,
  },
  { value: 'no', label: 'No', compliant: false, score: 0, requiresJustification: true, notApplicable: false },
  { value: 'na', label: 'N/A', compliant: false, requiresJustification: true, notApplicable: true },
];

const input = (overrides: Partial<PrefillPlanInput>): PrefillPlanInput => ({
  sourceEditionId: 'old',
  sourceAnswers: new Map(),
  sourceScale: SCALE,
  targetScale: SCALE,
  targetIndicators: [],
  mappings: null,
  confirmedCodes: new Set(),
  ...overrides,
});

describe(planPrefill.name, () => {
  describe('same edition', () => {
    it('copies each answer to the same indicator as identical, not flagged', () => {
      const plan = planPrefill(
        input({
          sourceAnswers: new Map([
            ['1.1', { rating: 'met', comment: 'Policy p. 3' }],
            ['1.2', { rating: 'not_met', comment: null }],
          ]),
          targetIndicators: [
            { code: '1.1', applicable: true },
            { code: '1.2', applicable: true },
            { code: '1.3', applicable: true },
          ],
        }),
      );
      expect(plan.proposals).toEqual([
        {
          indicatorCode: '1.1',
          rating: 'met',
          comment: 'Policy p. 3',
          mappingKind: 'identical',
          fromCodes: ['1.1'],
          needsReview: false,
        },
        {
          indicatorCode: '1.2',
          rating: 'not_met',
          comment: null,
          mappingKind: 'identical',
          fromCodes: ['1.2'],
          needsReview: false,
        },
      ]);
      expect(plan.counts).toEqual({
        prefilled: 2,
        needsReview: 0,
        keptConfirmed: 0,
        notApplicableHere: 0,
        unmapped: 1,
      });
    });

    it('never proposes over a confirmed answer nor for an indicator the profile makes not applicable', () => {
      const plan = planPrefill(
        input({
          sourceAnswers: new Map([
            ['1.1', { rating: 'met', comment: null }],
            ['1.2', { rating: 'met', comment: null }],
          ]),
          targetIndicators: [
            { code: '1.1', applicable: true },
            { code: '1.2', applicable: false },
          ],
          confirmedCodes: new Set(['1.1']),
        }),
      );
      expect(plan.proposals).toEqual([]);
      expect(plan.counts).toMatchObject({ prefilled: 0, keptConfirmed: 1, notApplicableHere: 1 });
    });
  });

  describe('through a crosswalk', () => {
    it('marks equivalent mappings unflagged and partial, broader and narrower ones for review', () => {
      const plan = planPrefill(
        input({
          sourceAnswers: new Map([
            ['a', { rating: 'met', comment: null }],
            ['b', { rating: 'met', comment: null }],
            ['c', { rating: 'partially_met', comment: 'Draft only' }],
            ['d', { rating: 'met', comment: null }],
          ]),
          targetIndicators: ['A', 'B', 'C', 'D'].map((code) => ({ code, applicable: true })),
          mappings: [
            { from: 'a', to: 'A', kind: 'equivalent' },
            { from: 'b', to: 'B', kind: 'partial' },
            { from: 'c', to: 'C', kind: 'broader' },
            { from: 'd', to: 'D', kind: 'narrower' },
          ],
        }),
      );
      expect(
        plan.proposals.map((proposal) => [
          proposal.indicatorCode,
          proposal.mappingKind,
          proposal.needsReview,
        ]),
      ).toEqual([
        ['A', 'equivalent', false],
        ['B', 'partial', true],
        ['C', 'broader', true],
        ['D', 'narrower', true],
      ]);
      expect(plan.counts).toMatchObject({ prefilled: 4, needsReview: 3 });
    });

    it('takes the lowest rating of several sources, names them all and flags the disagreement', () => {
      const plan = planPrefill(
        input({
          sourceAnswers: new Map([
            ['a', { rating: 'met', comment: 'Manual' }],
            ['b', { rating: 'partially_met', comment: 'Not yet trained' }],
            ['c', { rating: 'not_applicable', comment: 'No savings' }],
          ]),
          targetIndicators: [{ code: 'A', applicable: true }],
          mappings: [
            { from: 'a', to: 'A', kind: 'equivalent' },
            { from: 'b', to: 'A', kind: 'equivalent' },
            { from: 'c', to: 'A', kind: 'equivalent' },
          ],
        }),
      );
      expect(plan.proposals).toEqual([
        {
          indicatorCode: 'A',
          rating: 'partially_met',
          comment: 'a: Manual\nb: Not yet trained\nc: No savings',
          mappingKind: 'equivalent',
          fromCodes: ['a', 'b', 'c'],
          needsReview: true,
        },
      ]);
    });

    it('calls a mix of kinds partial, and explains a not-applicable answer that had no comment', () => {
      const plan = planPrefill(
        input({
          sourceAnswers: new Map([
            ['a', { rating: 'not_applicable', comment: null }],
            ['b', { rating: 'not_applicable', comment: null }],
          ]),
          targetIndicators: [{ code: 'A', applicable: true }],
          mappings: [
            { from: 'a', to: 'A', kind: 'equivalent' },
            { from: 'b', to: 'A', kind: 'narrower' },
          ],
        }),
      );
      expect(plan.proposals[0]).toMatchObject({
        rating: 'not_applicable',
        comment: 'Not applicable in old (a, b)',
        mappingKind: 'partial',
        needsReview: true,
      });
    });

    it('counts target indicators no source answer reaches as unmapped', () => {
      const plan = planPrefill(
        input({
          sourceAnswers: new Map([['a', { rating: 'met', comment: null }]]),
          targetIndicators: [
            { code: 'A', applicable: true },
            { code: 'B', applicable: true },
          ],
          mappings: [
            { from: 'a', to: 'A', kind: 'equivalent' },
            { from: 'z', to: 'B', kind: 'equivalent' },
          ],
        }),
      );
      expect(plan.proposals.map((proposal) => proposal.indicatorCode)).toEqual(['A']);
      expect(plan.counts.unmapped).toBe(1);
    });
  });
});

describe(translateRating.name, () => {
  it('keeps a value both scales have', () => {
    expect(translateRating('met', SCALE, SCALE)?.value).toBe('met');
  });

  it('maps by score without rounding up, and not applicable to not applicable', () => {
    expect(translateRating('partially_met', SCALE, YES_NO)?.value).toBe('no');
    expect(translateRating('met', SCALE, YES_NO)?.value).toBe('yes');
    expect(translateRating('not_applicable', SCALE, YES_NO)?.value).toBe('na');
  });

  it('refuses a value the source scale does not know', () => {
    expect(translateRating('maybe', SCALE, YES_NO)).toBeUndefined();
  });
});
