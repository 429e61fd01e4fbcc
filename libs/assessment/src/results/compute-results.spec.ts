import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  convertV1ToV2,
  type EditionDocument,
  type EditionDocumentV2,
  EditionTree,
  isV2Candidate,
} from '@app/standards';
import { computeResults, type IndicatorInput } from './compute-results';

/** A bundled edition as the engine reads it (v1 files converted, v2 files as they are). */
const edition = (file: string): EditionDocumentV2 => {
  const raw = JSON.parse(readFileSync(join(__dirname, '../../../../standards', file), 'utf8')) as unknown;
  return isV2Candidate(raw) ? (raw as EditionDocumentV2) : convertV1ToV2(raw as EditionDocument);
};

function codes(document: EditionDocumentV2) {
  return EditionTree.of(document)
    .indicators()
    .map((indicator) => ({ code: indicator.code, level: indicator.tag }));
}

function rateAll(
  document: EditionDocumentV2,
  rating: (code: string, level?: string) => string | null,
): Map<string, IndicatorInput> {
  return new Map(
    codes(document).map((indicator) => [
      indicator.code,
      { applicableByProfile: true, rating: rating(indicator.code, indicator.level) },
    ]),
  );
}

describe(computeResults.name, () => {
  const cps2016 = edition('cps-2016.json');
  const cps2022 = edition('cps-2022.json');

  describe('pass/fail: every applicable standard met (2016)', () => {
    it('is eligible when every applicable indicator is met', () => {
      const results = computeResults(
        cps2016,
        rateAll(cps2016, () => 'met'),
      );
      expect(results.outcome).toEqual({ eligible: true });
      expect(results.gaps).toEqual([]);
      expect(results.principles.every((principle) => principle.met === true)).toBe(true);
    });

    it('is not eligible with one indicator not met, and names it as a gap in its standard and principle', () => {
      const results = computeResults(
        cps2016,
        rateAll(cps2016, (code) => (code === '2.1.1' ? 'not_met' : 'met')),
      );
      expect(results.outcome).toEqual({ eligible: false });
      expect(results.gaps).toEqual(['2.1.1']);
      const principle = results.principles.find((entry) => entry.code === '2')!;
      expect(principle.met).toBe(false);
      expect(principle.standards.find((standard) => standard.code === '2.1')!.met).toBe(false);
      expect(results.principles.find((entry) => entry.code === '1')!.met).toBe(true);
    });

    it('leaves out indicators not applicable by profile or rated not applicable', () => {
      const inputs = rateAll(cps2016, () => 'met');
      inputs.set('2.1.1', { applicableByProfile: false, rating: null });
      inputs.set('1.1.1', { applicableByProfile: true, rating: 'not_applicable' });
      const results = computeResults(cps2016, inputs);
      expect(results.outcome.eligible).toBe(true);
      const indicator = results.principles[0].standards[0].indicators[0];
      expect(indicator).toMatchObject({ code: '1.1.1', applicable: false, compliant: false });
    });

    it('counts an unrated applicable indicator as a gap', () => {
      const results = computeResults(
        cps2016,
        rateAll(cps2016, (code) => (code === '3.1.1' ? null : 'met')),
      );
      expect(results.outcome.eligible).toBe(false);
      expect(results.unratedCount).toBe(1);
      expect(results.gaps).toEqual(['3.1.1']);
    });

    it('treats partially met as not compliant', () => {
      const results = computeResults(
        cps2016,
        rateAll(cps2016, (code) => (code === '7.1.1' ? 'partially_met' : 'met')),
      );
      expect(results.outcome.eligible).toBe(false);
    });
  });

  describe('tiered: bronze, silver, gold (2022)', () => {
    it('reaches gold when everything is met', () => {
      expect(
        computeResults(
          cps2022,
          rateAll(cps2022, () => 'met'),
        ).outcome,
      ).toEqual({ eligible: true, level: 'gold' });
    });

    it('reaches silver when an advanced indicator is not met', () => {
      const results = computeResults(
        cps2022,
        rateAll(cps2022, (_code, level) => (level === 'advanced' ? 'not_met' : 'met')),
      );
      expect(results.outcome).toEqual({ eligible: true, level: 'silver' });
    });

    it('reaches bronze when a progress indicator is not met, even with every advanced one met', () => {
      const results = computeResults(
        cps2022,
        rateAll(cps2022, (_code, level) => (level === 'progress' ? 'not_met' : 'met')),
      );
      expect(results.outcome).toEqual({ eligible: true, level: 'bronze' });
    });

    it('is not eligible when an entry indicator is not met', () => {
      const results = computeResults(
        cps2022,
        rateAll(cps2022, (_code, level) => (level === 'entry' ? 'partially_met' : 'met')),
      );
      expect(results.outcome).toEqual({ eligible: false });
    });

    it('ignores untagged indicators for the level', () => {
      const results = computeResults(
        cps2022,
        rateAll(cps2022, (_code, level) => (level === undefined ? 'not_met' : 'met')),
      );
      expect(results.outcome).toEqual({ eligible: true, level: 'gold' });
    });
  });

  it('applies a third edition with a rule of a known kind and other tier names without code change', () => {
    const third: EditionDocumentV2 = {
      ...cps2022,
      id: 'cps-2030',
      decisionRule: {
        type: 'tiered',
        tiers: [
          { level: 'certified', requiredIndicatorLevels: ['entry', 'progress'] },
          { level: 'distinction', requiredIndicatorLevels: ['entry', 'progress', 'advanced'] },
        ],
      },
    };
    const results = computeResults(
      third,
      rateAll(third, (_code, level) => (level === 'advanced' ? 'not_met' : 'met')),
    );
    expect(results.outcome).toEqual({ eligible: true, level: 'certified' });
  });

  describe('minShare thresholds', () => {
    const withShare: EditionDocumentV2 = {
      ...cps2022,
      decisionRule: {
        type: 'tiered',
        tiers: [
          { level: 'bronze', requiredIndicatorLevels: ['entry'] },
          { level: 'silver', requiredIndicatorLevels: ['entry'], minShare: { progress: 0.8 } },
          { level: 'gold', requiredIndicatorLevels: ['entry', 'progress', 'advanced'] },
        ],
      },
    };
    const progress = codes(withShare).filter((indicator) => indicator.level === 'progress');

    it('reaches silver with exactly 80 % of progress indicators met, not with fewer', () => {
      const allowed = Math.floor(progress.length * 0.2);
      const failing = new Set(progress.slice(0, allowed).map((indicator) => indicator.code));
      const atShare = computeResults(
        withShare,
        rateAll(withShare, (code) => (failing.has(code) ? 'not_met' : 'met')),
      );
      expect(atShare.outcome).toEqual({ eligible: true, level: 'silver' });
      const oneMore = new Set(progress.slice(0, allowed + 1).map((indicator) => indicator.code));
      const below = computeResults(
        withShare,
        rateAll(withShare, (code) => (oneMore.has(code) ? 'not_met' : 'met')),
      );
      expect(below.outcome).toEqual({ eligible: true, level: 'bronze' });
    });

    it('counts an empty set of applicable indicators of a tag as met', () => {
      const inputs = rateAll(withShare, (_code, level) => (level === 'advanced' ? 'not_met' : 'met'));
      for (const indicator of progress)
        inputs.set(indicator.code, { applicableByProfile: false, rating: null });
      expect(computeResults(withShare, inputs).outcome).toEqual({ eligible: true, level: 'silver' });
    });

    it('gives every item of every level its counts and score', () => {
      const results = computeResults(
        withShare,
        rateAll(withShare, (code) => (code === '1.1.1' ? 'partially_met' : 'met')),
      );
      const top = results.items.find((item) => item.code === '1')!;
      expect(top.met).toBe(false);
      expect(top.metIndicators).toBe(top.applicableIndicators - 1);
      expect(top.score).toBeCloseTo(1 - 0.5 / top.applicableIndicators, 3);
      expect(results.items.find((item) => item.code === '1.1.1')).toMatchObject({
        level: 'indicator',
        met: false,
        score: 0.5,
      });
    });
  });
});
