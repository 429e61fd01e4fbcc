import { scoreResults, type ScoredIndicator } from './score-results';

const scale = [
  { value: 'met', compliant: true, notApplicable: false },
  { value: 'partially_met', compliant: false, notApplicable: false },
  { value: 'not_met', compliant: false, notApplicable: false },
  { value: 'not_applicable', compliant: false, notApplicable: true },
];

const indicator = (
  code: string,
  tag: string | null,
  rating: string | null,
  applicableByProfile = true,
): ScoredIndicator => ({
  code,
  itemCodes: [code.split('.')[0], code.split('.').slice(0, 2).join('.')],
  tag,
  applicableByProfile,
  rating,
});

describe('scoreResults', () => {
  it('scores items and tags over applicable indicators (met 1, partially 0.5, not met 0)', () => {
    const result = scoreResults(
      [
        indicator('1.1.1', 'entry', 'met'),
        indicator('1.1.2', 'entry', 'partially_met'),
        indicator('1.2.1', 'progress', 'not_met'),
        indicator('1.2.2', 'progress', 'not_applicable'),
        indicator('2.1.1', null, 'met', false),
      ],
      scale,
      [{ level: 'bronze', requiredIndicatorLevels: ['entry'] }],
    );
    expect(result.scores).toEqual([
      { code: '1', score: 0.5, applicable: 3, met: 1 },
      { code: '1.1', score: 0.75, applicable: 2, met: 1 },
      { code: '1.2', score: 0, applicable: 1, met: 0 },
      { code: '2', score: null, applicable: 0, met: 0 },
      { code: '2.1', score: null, applicable: 0, met: 0 },
      { code: 'tag:entry', score: 0.75, applicable: 2, met: 1 },
      { code: 'tag:progress', score: 0, applicable: 1, met: 0 },
    ]);
    expect(result.levelReached).toBeNull();
    expect(result.nextLevels).toEqual([{ level: 'bronze', blockers: ['1.1.2'], missing: [] }]);
  });

  it('reads the score per rating from the scale when it gives one', () => {
    const result = scoreResults(
      [indicator('1.1.1', null, 'partially_met')],
      [{ value: 'partially_met', compliant: false, notApplicable: false, score: 0.25 }],
      null,
    );
    expect(result.scores[0]).toEqual({ code: '1', score: 0.25, applicable: 1, met: 0 });
    expect(result.nextLevels).toEqual([]);
  });

  it('names the indicators and the missing count under a minimum share', () => {
    const indicators = [
      indicator('1.1.1', 'entry', 'met'),
      ...Array.from({ length: 10 }, (_, index) =>
        indicator(`1.2.${index + 1}`, 'progress', index < 6 ? 'met' : 'not_met'),
      ),
      indicator('1.3.1', 'advanced', null),
    ];
    const tiers = [
      { level: 'bronze', requiredIndicatorLevels: ['entry'] },
      { level: 'silver', requiredIndicatorLevels: ['entry'], minShare: { progress: 0.8 } },
      { level: 'gold', requiredIndicatorLevels: ['entry', 'progress', 'advanced'] },
    ];
    const result = scoreResults(indicators, scale, tiers);
    expect(result.levelReached).toBe('bronze');
    expect(result.nextLevels).toEqual([
      {
        level: 'silver',
        blockers: ['1.2.7', '1.2.8', '1.2.9', '1.2.10'],
        missing: [{ tag: 'progress', count: 2, minShare: 0.8 }],
      },
      { level: 'gold', blockers: ['1.2.7', '1.2.8', '1.2.9', '1.2.10', '1.3.1'], missing: [] },
    ]);
  });
});
