import { randomBytes } from 'node:crypto';

const RATINGS = [
  { value: 'met', label: 'Met', compliant: true, requiresJustification: false, notApplicable: false },
  {
    value: 'partially_met',
    label: 'Partially met',
    compliant: false,
    requiresJustification: true,
    notApplicable: false,
  },
  { value: 'not_met', label: 'Not met', compliant: false, requiresJustification: true, notApplicable: false },
  {
    value: 'not_applicable',
    label: 'Not applicable',
    compliant: false,
    requiresJustification: true,
    notApplicable: true,
  },
];

interface IndicatorSpec {
  level?: 'entry' | 'progress' | 'advanced';
  appliesWhen?: Record<string, string[]>;
}

/** A small valid edition document: `principles` × `standards` × `indicators`, pass/fail unless tiered. */
export class EditionBuilder {
  private id = `test-edition-${randomBytes(3).toString('hex')}`;
  private principleCount = 2;
  private standardsPerPrinciple = 2;
  private indicatorsPerStandard = 2;
  private isTiered = false;

  withId(id: string): this {
    this.id = id;
    return this;
  }

  withShape(principles: number, standards: number, indicators: number): this {
    this.principleCount = principles;
    this.standardsPerPrinciple = standards;
    this.indicatorsPerStandard = indicators;
    return this;
  }

  tiered(): this {
    this.isTiered = true;
    return this;
  }

  build(): Record<string, any> {
    const levels = ['entry', 'progress', 'advanced'] as const;
    let counter = 0;
    const indicator = (code: string): Record<string, unknown> & IndicatorSpec => ({
      code,
      statement: `The institution applies practice ${code} consistently.`,
      guidance: `Policies, procedures and a sample of files for ${code}.`,
      ...(this.isTiered ? { level: levels[counter++ % levels.length] } : {}),
    });
    return {
      id: this.id,
      title: `Test edition ${this.id}`,
      effectiveFrom: '2026-01-01',
      validityMonths: 36,
      checkInMonths: this.isTiered ? null : 18,
      scale: { ratings: RATINGS.map((rating) => ({ ...rating })) },
      decisionRule: this.isTiered
        ? {
            type: 'tiered',
            tiers: [
              { level: 'bronze', requiredIndicatorLevels: ['entry'] },
              { level: 'silver', requiredIndicatorLevels: ['entry', 'progress'] },
              { level: 'gold', requiredIndicatorLevels: ['entry', 'progress', 'advanced'] },
            ],
          }
        : { type: 'all_applicable_standards_met' },
      principles: Array.from({ length: this.principleCount }, (_, p) => ({
        code: `${p + 1}`,
        title: `Principle ${p + 1}`,
        standards: Array.from({ length: this.standardsPerPrinciple }, (__, s) => ({
          code: `${p + 1}.${s + 1}`,
          title: `Standard ${p + 1}.${s + 1}`,
          indicators: Array.from({ length: this.indicatorsPerStandard }, (___, i) =>
            indicator(`${p + 1}.${s + 1}.${i + 1}`),
          ),
        })),
      })),
    };
  }
}

export const anEdition = (): EditionBuilder => new EditionBuilder();
