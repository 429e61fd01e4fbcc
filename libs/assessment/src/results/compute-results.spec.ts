import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EditionDocument } from '@app/standards';
import { computeResults, type IndicatorInput } from './compute-results';

const edition = (file: string): EditionDocument =>
  JSON.parse(readFileSync(join(__dirname, '../../../../standards', file), 'utf8')) as EditionDocument;

function codes(document: EditionDocument) {
  return document.principles.flatMap((principle) =>
    principle.standards.flatMap((standard) => standard.indicators.map((indicator) => indicator)),
  );
}

function rateAll(
  document: EditionDocument,
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
    const third: EditionDocument = {
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
});
