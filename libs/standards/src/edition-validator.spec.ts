import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  EditionValidator,
  type EditionDocument,
  isIndicatorApplicable,
  semanticProblems,
  toFieldPath,
} from '@app/standards';
import { anEdition } from '../../../test/support/edition-builder';

const STANDARDS_DIRECTORY = resolve(__dirname, '../../../standards');

const bundled = (file: string): EditionDocument =>
  JSON.parse(readFileSync(join(STANDARDS_DIRECTORY, file), 'utf8')) as EditionDocument;

describe(EditionValidator.name, () => {
  const validator = new EditionValidator(STANDARDS_DIRECTORY);

  describe('problems', () => {
    it.each(['cps-2016.json', 'cps-2022.json'])('finds no problem in the bundled %s', (file) => {
      expect(validator.problems(bundled(file))).toEqual([]);
    });

    it.each([
      ['pass/fail', anEdition().build()],
      ['tiered', anEdition().tiered().withShape(2, 2, 3).build()],
    ])('finds no problem in a small %s edition', (_label, document) => {
      expect(validator.problems(document)).toEqual([]);
    });

    it('reports a duplicate indicator code at the second occurrence, naming the first', () => {
      const document = anEdition().withShape(2, 2, 3).build();
      document.principles[1].standards[0].indicators[2].code = '2.1.2';
      expect(validator.problems(document)).toContainEqual({
        field: 'principles[1].standards[0].indicators[2].code',
        message: 'duplicate code 2.1.2 (first used at principles[1].standards[0].indicators[1].code)',
      });
    });

    it('reports a missing principle on the principles list', () => {
      const document = anEdition().withShape(4, 1, 2).build() as EditionDocument;
      document.principles.splice(2, 1);
      expect(validator.problems(document)).toEqual([
        { field: 'principles', message: 'principle 3 is missing' },
      ]);
    });

    it('reports a missing standard and a missing indicator (gaps in numbering)', () => {
      const document = anEdition().withShape(1, 3, 3).build() as EditionDocument;
      document.principles[0].standards.splice(1, 1);
      document.principles[0].standards[0].indicators.splice(1, 1);
      expect(validator.problems(document)).toEqual(
        expect.arrayContaining([
          { field: 'principles[0].standards', message: 'standard 1.2 is missing' },
          { field: 'principles[0].standards[0].indicators', message: 'indicator 1.1.2 is missing' },
        ]),
      );
    });

    it('reports a standard and an indicator whose codes do not start with their parent code', () => {
      const document = anEdition().withShape(2, 2, 2).build();
      document.principles[0].standards[1].code = '3.2';
      document.principles[1].standards[0].indicators[1].code = '1.1.9';
      const problems = validator.problems(document);
      expect(problems).toContainEqual({
        field: 'principles[0].standards[1].code',
        message: 'must start with 1.',
      });
      expect(problems).toContainEqual({
        field: 'principles[1].standards[0].indicators[1].code',
        message: 'must start with 2.1.',
      });
    });

    it('reports a tier that requires a level no indicator has', () => {
      const document = anEdition().tiered().withShape(1, 1, 2).build();
      expect(validator.problems(document)).toEqual([
        {
          field: 'decisionRule.tiers[2].requiredIndicatorLevels[2]',
          message: 'no indicator has level advanced',
        },
      ]);
    });

    it('reports a duplicate tier level', () => {
      const document = anEdition().tiered().withShape(1, 1, 3).build();
      document.decisionRule.tiers[2].level = 'silver';
      expect(validator.problems(document)).toEqual([
        { field: 'decisionRule.tiers[2].level', message: 'duplicate level silver' },
      ]);
    });

    it('reports a duplicate rating value', () => {
      const document = anEdition().build();
      document.scale.ratings[2].value = 'partially_met';
      expect(validator.problems(document)).toContainEqual({
        field: 'scale.ratings[2].value',
        message: 'duplicate rating partially_met',
      });
    });

    it('reports two not-applicable ratings', () => {
      const document = anEdition().build();
      document.scale.ratings[2].notApplicable = true;
      expect(validator.problems(document)).toContainEqual({
        field: 'scale.ratings',
        message: 'must contain exactly one not-applicable rating',
      });
    });

    it('reports a scale without a compliant rating and a compliant not-applicable rating', () => {
      const document = anEdition().build();
      document.scale.ratings[0].compliant = false;
      document.scale.ratings[3].compliant = true;
      document.scale.ratings[3].requiresJustification = false;
      const problems = validator.problems(document);
      expect(problems).toContainEqual({
        field: 'scale.ratings[3]',
        message: 'a not-applicable rating cannot be compliant',
      });
      expect(problems).toContainEqual({
        field: 'scale.ratings[3]',
        message: 'not applicable always needs a justification',
      });
    });

    it('reports a check-in that does not fall before the end of validity', () => {
      const document = { ...anEdition().build(), validityMonths: 24, checkInMonths: 24 };
      expect(validator.problems(document)).toEqual([
        { field: 'checkInMonths', message: 'must fall before the end of validityMonths' },
      ]);
    });

    it('reports schema problems with their paths: required, unknown, format', () => {
      const document: Record<string, any> = {
        ...anEdition().build(),
        colour: 'blue',
        effectiveFrom: '2026-02-30',
      };
      delete document.title;
      delete document.principles[0].standards[1].indicators[0].guidance;
      const problems = validator.problems(document);
      expect(problems).toEqual(
        expect.arrayContaining([
          { field: 'title', message: 'is required' },
          { field: 'colour', message: 'is not a known field' },
          { field: 'effectiveFrom', message: expect.stringContaining('date') },
          { field: 'principles[0].standards[1].indicators[0].guidance', message: 'is required' },
        ]),
      );
    });

    it.each([
      ['null', null],
      ['an array', []],
      ['a string', 'cps-2016'],
    ])('reports %s as a document that is not an object', (_label, candidate) => {
      expect(validator.problems(candidate)).toEqual([{ field: '(document)', message: 'must be object' }]);
    });

    it('reports each schema problem once', () => {
      const document: Record<string, any> = anEdition().build();
      document.principles[0].standards[0].indicators[0].level = 'expert';
      const problems = validator.problems(document);
      const keys = problems.map((problem) => `${problem.field}|${problem.message}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(problems.map((problem) => problem.field)).toContain(
        'principles[0].standards[0].indicators[0].level',
      );
    });
  });
});

describe(semanticProblems.name, () => {
  it('reports every rule problem of a document together', () => {
    const document = anEdition().withShape(2, 2, 3).build() as EditionDocument;
    document.principles[0].standards[0].indicators[1].code = '1.1.1';
    document.principles[1].standards[1].indicators[0].code = '7.7.1';
    document.scale.ratings[1].value = 'met';
    const fields = semanticProblems(document).map((problem) => problem.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'scale.ratings[1].value',
        'principles[0].standards[0].indicators[1].code',
        'principles[1].standards[1].indicators[0].code',
      ]),
    );
  });
});

describe(toFieldPath.name, () => {
  it.each([
    ['', undefined, ''],
    ['', 'title', 'title'],
    ['/principles', undefined, 'principles'],
    ['/principles/0/standards/1/code', undefined, 'principles[0].standards[1].code'],
    [
      '/principles/0/standards/1/indicators/2',
      'guidance',
      'principles[0].standards[1].indicators[2].guidance',
    ],
    ['/scale/ratings/3', undefined, 'scale.ratings[3]'],
    [
      '/decisionRule/tiers/0/requiredIndicatorLevels/1',
      undefined,
      'decisionRule.tiers[0].requiredIndicatorLevels[1]',
    ],
    ['/a~1b/c~0d', undefined, 'a/b.c~d'],
  ])('converts %j with child %j to %j', (pointer, child, expected) => {
    expect(toFieldPath(pointer, child)).toBe(expected);
  });
});

describe(isIndicatorApplicable.name, () => {
  it('applies an indicator without a condition to everyone, even without a profile', () => {
    expect(isIndicatorApplicable({}, null)).toBe(true);
    expect(isIndicatorApplicable({}, {})).toBe(true);
  });

  it('applies anyOf when at least one flag is set', () => {
    const condition = { appliesWhen: { anyOf: ['usesAgents' as const, 'usesDigitalChannels' as const] } };
    expect(isIndicatorApplicable(condition, { usesAgents: true })).toBe(true);
    expect(isIndicatorApplicable(condition, { usesDigitalChannels: true, usesAgents: false })).toBe(true);
    expect(isIndicatorApplicable(condition, { usesAgents: false, usesDigitalChannels: false })).toBe(false);
    expect(isIndicatorApplicable(condition, {})).toBe(false);
    expect(isIndicatorApplicable(condition, null)).toBe(false);
  });

  it('applies allOf only when every flag is set', () => {
    const condition = { appliesWhen: { allOf: ['offersCredit' as const, 'creditBureauAvailable' as const] } };
    expect(isIndicatorApplicable(condition, { offersCredit: true, creditBureauAvailable: true })).toBe(true);
    expect(isIndicatorApplicable(condition, { offersCredit: true, creditBureauAvailable: false })).toBe(
      false,
    );
    expect(isIndicatorApplicable(condition, { offersCredit: true })).toBe(false);
  });

  it('needs both anyOf and allOf when both are given', () => {
    const condition = {
      appliesWhen: {
        anyOf: ['offersSavings' as const, 'offersInsurance' as const],
        allOf: ['usesAgents' as const],
      },
    };
    expect(isIndicatorApplicable(condition, { offersSavings: true, usesAgents: true })).toBe(true);
    expect(isIndicatorApplicable(condition, { offersSavings: true, usesAgents: false })).toBe(false);
    expect(isIndicatorApplicable(condition, { offersCredit: true, usesAgents: true })).toBe(false);
  });

  it('counts only true as set', () => {
    const condition = { appliesWhen: { anyOf: ['offersSavings' as const] } };
    const truthy = { offersSavings: 'yes' } as unknown as Record<string, boolean>;
    expect(isIndicatorApplicable(condition, truthy)).toBe(false);
  });
});
