import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  appliesTo,
  convertV1ToV2,
  type EditionDocument,
  type EditionDocumentV2,
  EditionTree,
  EditionValidator,
  localizeDocument,
  missingTranslations,
} from '@app/standards';
import { anEdition, anEditionV2, randomEditionV2 } from '../../../../test/support/edition-builder';

const STANDARDS_DIRECTORY = resolve(__dirname, '../../../../standards');

type Json = Record<string, any>;

describe('edition document v2', () => {
  const validator = new EditionValidator(STANDARDS_DIRECTORY);
  const problemsOf = (mutate: (document: Json) => void, base: Json = anEditionV2().build()) => {
    const document = structuredClone(base);
    mutate(document);
    return validator.problems(document);
  };
  const tiered = () =>
    anEditionV2()
      .tagged((index) => ['entry', 'progress', 'advanced'][index % 3])
      .withTiers([
        { level: 'bronze', requiredIndicatorLevels: ['entry'] },
        { level: 'silver', requiredIndicatorLevels: ['entry'], minShare: { progress: 0.8 } },
        { level: 'gold', requiredIndicatorLevels: ['entry', 'progress', 'advanced'] },
      ])
      .build();

  it('accepts a small v2 edition, a tiered one with a threshold, and a French one', () => {
    expect(validator.problems(anEditionV2().build())).toEqual([]);
    expect(validator.problems(tiered())).toEqual([]);
    expect(validator.problems(anEditionV2().inFrench().build())).toEqual([]);
  });

  it.each(readdirSync(STANDARDS_DIRECTORY).filter((file) => file.endsWith('.json')))(
    'accepts the bundled %s (v1 converted or v2)',
    (file) => {
      const result = validator.normalize(JSON.parse(readFileSync(join(STANDARDS_DIRECTORY, file), 'utf8')));
      expect(result.ok ? [] : result.problems).toEqual([]);
    },
  );

  it('converts a v1 document without changing codes, English texts, tags, conditions or the rule', () => {
    const v1 = anEdition().tiered().withShape(2, 2, 3).build() as unknown as EditionDocument;
    v1.principles[0].standards[0].indicators[0].appliesWhen = { anyOf: ['offersSavings'] };
    const result = validator.normalize(v1);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.convertedFrom).toBe(1);
    const tree = EditionTree.of(result.document);
    const v1Indicators = v1.principles.flatMap((p) => p.standards.flatMap((s) => s.indicators));
    expect(
      tree.indicators().map((item) => [item.code, item.statement, item.guidance, item.tag, item.appliesWhen]),
    ).toEqual(
      v1Indicators.map((item) => [item.code, item.statement, item.guidance, item.level, item.appliesWhen]),
    );
    expect(tree.atLevel(1).map((item) => [item.code, item.title])).toEqual(
      v1.principles.flatMap((p) => p.standards.map((s) => [s.code, s.title])),
    );
    expect(result.document.decisionRule).toEqual(v1.decisionRule);
    expect(tree.counts()).toEqual({ principleCount: 2, standardCount: 4, indicatorCount: 12 });
  });

  describe('every problem with its path', () => {
    const cases: [string, (document: Json) => void, { field: string; message: RegExp }][] = [
      ['an unknown field', (d) => (d.colour = 'red'), { field: 'colour', message: /not a known field/ }],
      [
        'a missing schemaVersion value',
        (d) => (d.schemaVersion = 3),
        { field: 'schemaVersion', message: /constant/ },
      ],
      ['a Text without en', (d) => (d.title = { fr: 'Titre' }), { field: 'title', message: /en|match/ }],
      [
        'a languages list without en',
        (d) => (d.languages = ['fr']),
        { field: 'languages', message: /contain/ },
      ],
      [
        'a code with a space',
        (d) => (d.items[0].code = '1 A'),
        { field: 'items[0].code', message: /pattern/ },
      ],
      [
        'an unknown tag',
        (d) => (d.items[0].children[0].children[0].tag = 'platinum'),
        { field: 'items[0].children[0].children[0].tag', message: /allowed/ },
      ],
      [
        'a duplicate code',
        (d) => (d.items[1].children[0].children[0].code = '1A.1'),
        {
          field: 'items[1].children[0].children[0].code',
          message: /duplicate code 1A.1 \(first used at items\[0\].children\[0\].children\[0\].code\)/,
        },
      ],
      [
        'a level out of sequence',
        (d) => (d.items[0].children[0].level = 'indicator'),
        { field: 'items[0].children[0].level', message: /must be essential_practice/ },
      ],
      [
        'an undeclared level',
        (d) => (d.items[0].level = 'chapter'),
        { field: 'items[0].level', message: /not a declared level/ },
      ],
      [
        'an item below the last level',
        (d) =>
          (d.items[0].children[0].children[0].children = [
            { code: 'X1', level: 'indicator', statement: 's' },
          ]),
        { field: 'items[0].children[0].children[0].children[0].level', message: /below the last level/ },
      ],
      [
        'a standard without children',
        (d) => (d.items[0].children[0].children = []),
        { field: 'items[0].children[0].children', message: /at least one indicator/ },
      ],
      [
        'a missing title above indicators',
        (d) => delete d.items[0].title,
        { field: 'items[0].title', message: /required above/ },
      ],
      [
        'a missing statement',
        (d) => delete d.items[0].children[0].children[0].statement,
        { field: 'items[0].children[0].children[0].statement', message: /required on indicators/ },
      ],
      [
        'a tag above the indicator level',
        (d) => (d.items[0].tag = 'entry'),
        { field: 'items[0].tag', message: /only allowed on indicators/ },
      ],
      [
        'a duplicate level key',
        (d) => (d.levels[1].key = 'cp_standard'),
        { field: 'levels[1].key', message: /duplicate level/ },
      ],
      ['no rated level', (d) => delete d.levels[2].rated, { field: 'levels', message: /rated level/ }],
      [
        'a duplicate driver',
        (d) => d.drivers.push({ ...d.drivers[0] }),
        { field: 'drivers[1].key', message: /duplicate driver/ },
      ],
      [
        'an enum driver without values',
        (d) => d.drivers.push({ key: 'legalForm', type: 'enum', label: 'Legal form' }),
        { field: 'drivers[1].values', message: /required for an enum/ },
      ],
      [
        'values on a number driver',
        (d) => d.drivers.push({ key: 'clientCount', type: 'number', values: ['1'], label: 'Clients' }),
        { field: 'drivers[1].values', message: /only allowed on enum/ },
      ],
      [
        'repeated enum values',
        (d) => d.drivers.push({ key: 'legalForm', type: 'enum', values: ['a', 'a'], label: 'Legal form' }),
        { field: 'drivers[1].values', message: /repeat/ },
      ],
      [
        'a condition on an undeclared driver',
        (d) =>
          (d.items[0].children[0].children[0].appliesWhen = {
            allOf: [{ field: 'clientCount', op: 'gte', value: 1 }],
          }),
        {
          field: 'items[0].children[0].children[0].appliesWhen.allOf[0].field',
          message: /not a declared driver/,
        },
      ],
      [
        'a value that does not fit a boolean driver',
        (d) =>
          (d.items[0].children[0].children[0].appliesWhen = {
            allOf: [{ field: 'offersCredit', op: 'eq', value: 'yes' }],
          }),
        {
          field: 'items[0].children[0].children[0].appliesWhen.allOf[0].value',
          message: /does not fit the boolean driver/,
        },
      ],
      [
        'gte on a boolean driver',
        (d) =>
          (d.items[0].children[0].children[0].appliesWhen = {
            allOf: [{ field: 'offersCredit', op: 'gte', value: true }],
          }),
        { field: 'items[0].children[0].children[0].appliesWhen.allOf[0].op', message: /gte does not apply/ },
      ],
      [
        'in without an array',
        (d) =>
          (d.items[0].children[0].children[0].appliesWhen = {
            anyOf: [{ field: 'offersCredit', op: 'in', value: true }],
          }),
        { field: 'items[0].children[0].children[0].appliesWhen.anyOf[0].value', message: /non-empty array/ },
      ],
      [
        'a flag list naming an undeclared flag',
        (d) => (d.items[0].children[0].children[0].appliesWhen = { anyOf: ['offersSavings'] }),
        { field: 'items[0].children[0].children[0].appliesWhen.anyOf[0]', message: /not a declared driver/ },
      ],
      [
        'a flag mixed into a condition',
        (d) =>
          (d.items[0].children[0].children[0].appliesWhen = {
            allOf: ['offersCredit', { field: 'offersCredit', op: 'eq', value: true }],
          }),
        {
          field: 'items[0].children[0].children[0].appliesWhen.allOf[0]',
          message: /only allowed in a flag list/,
        },
      ],
      [
        'a leaf missing its value',
        (d) =>
          (d.items[0].children[0].children[0].appliesWhen = { allOf: [{ field: 'offersCredit', op: 'eq' }] }),
        { field: 'items[0].children[0].children[0].appliesWhen.allOf[0]', message: /value/ },
      ],
      [
        'a leaf that is also a group',
        (d) =>
          (d.items[0].children[0].children[0].appliesWhen = {
            allOf: [
              {
                field: 'offersCredit',
                op: 'eq',
                value: true,
                anyOf: [{ field: 'offersCredit', op: 'eq', value: false }],
              },
            ],
          }),
        { field: 'items[0].children[0].children[0].appliesWhen.allOf[0]', message: /not both/ },
      ],
      [
        'a rating without score',
        (d) => delete d.scale.ratings[1].score,
        { field: 'scale.ratings[1].score', message: /required on every rating/ },
      ],
      [
        'a score on not applicable',
        (d) => (d.scale.ratings[3].score = 0),
        { field: 'scale.ratings[3].score', message: /has no score/ },
      ],
      [
        'a non-compliant rating scoring above a compliant one',
        (d) => (d.scale.ratings[1].score = 1),
        { field: 'scale.ratings[1].score', message: /must be below/ },
      ],
      [
        'a duplicate rating',
        (d) => (d.scale.ratings[2].value = 'met'),
        { field: 'scale.ratings[2].value', message: /duplicate rating/ },
      ],
      [
        'no compliant rating',
        (d) => (d.scale.ratings[0].compliant = false),
        { field: 'scale.ratings', message: /compliant rating/ },
      ],
      [
        'two not-applicable ratings',
        (d) => (d.scale.ratings[2].notApplicable = true),
        { field: 'scale.ratings', message: /exactly one not-applicable/ },
      ],
      [
        'a compliant not-applicable rating',
        (d) => (d.scale.ratings[3].compliant = true),
        { field: 'scale.ratings[3]', message: /cannot be compliant/ },
      ],
      [
        'an unjustified not-applicable rating',
        (d) => (d.scale.ratings[3].requiresJustification = false),
        { field: 'scale.ratings[3]', message: /justification/ },
      ],
      [
        'a check-in after validity',
        (d) => (d.checkInMonths = 40),
        { field: 'checkInMonths', message: /before the end/ },
      ],
      [
        'a closing date before effectiveFrom',
        (d) => (d.openForNewCasesUntil = '2025-01-01'),
        { field: 'openForNewCasesUntil', message: /not be before/ },
      ],
      [
        'a retirement before effectiveFrom',
        (d) => (d.retiredOn = '2025-01-01'),
        { field: 'retiredOn', message: /not be before/ },
      ],
      ['a bad date', (d) => (d.effectiveFrom = '2026-02-30'), { field: 'effectiveFrom', message: /format/ }],
      [
        'tiers on a pass/fail rule',
        (d) => (d.decisionRule.tiers = [{ level: 'x', requiredIndicatorLevels: ['entry'] }]),
        { field: 'decisionRule.tiers', message: /only allowed on a tiered/ },
      ],
      [
        'a tiered rule without tiers',
        (d) => (d.decisionRule = { type: 'tiered' }),
        { field: 'decisionRule.tiers', message: /required for a tiered/ },
      ],
      [
        'pass/fail with no level above the indicators',
        (d) => {
          d.levels = [d.levels[2]];
          d.items = d.items.flatMap((top: Json) =>
            top.children.flatMap((practice: Json) => practice.children),
          );
        },
        { field: 'decisionRule.type', message: /needs a level above/ },
      ],
    ];
    it.each(cases)('reports %s', (_label, mutate, expected) => {
      expect(problemsOf(mutate)).toContainEqual({
        field: expected.field,
        message: expect.stringMatching(expected.message),
      });
    });

    const tierCases: [string, (document: Json) => void, { field: string; message: RegExp }][] = [
      [
        'a duplicate tier level',
        (d) => (d.decisionRule.tiers[1].level = 'bronze'),
        { field: 'decisionRule.tiers[1].level', message: /duplicate level/ },
      ],
      [
        'a required tag no indicator has',
        (d) => (
          (d.decisionRule.tiers[0].requiredIndicatorLevels = ['entry', 'advanced']),
          d.items.forEach(() => undefined),
          (d.decisionRule.tiers[2].requiredIndicatorLevels = ['entry', 'progress', 'advanced']),
          stripTag(d, 'advanced')
        ),
        {
          field: 'decisionRule.tiers[0].requiredIndicatorLevels[1]',
          message: /no indicator has level advanced/,
        },
      ],
      [
        'a minShare tag no indicator has',
        (d) => stripTag(d, 'progress'),
        { field: 'decisionRule.tiers[1].minShare.progress', message: /no indicator has tag progress/ },
      ],
      [
        'a minShare over 1',
        (d) => (d.decisionRule.tiers[1].minShare.progress = 1.5),
        { field: 'decisionRule.tiers[1].minShare.progress', message: /<= 1/ },
      ],
      [
        'a minShare on a tag the tier requires in full',
        (d) => (d.decisionRule.tiers[1].minShare = { entry: 0.5 }),
        { field: 'decisionRule.tiers[1].minShare.entry', message: /already required/ },
      ],
      [
        'a tier that drops a tag the tier below requires',
        (d) => (d.decisionRule.tiers[2].requiredIndicatorLevels = ['progress', 'advanced']),
        { field: 'decisionRule.tiers[2].requiredIndicatorLevels', message: /must include entry/ },
      ],
      [
        'a tier that lowers the share of the tier below',
        (d) =>
          (d.decisionRule.tiers[2] = {
            level: 'gold',
            requiredIndicatorLevels: ['entry', 'advanced'],
            minShare: { progress: 0.5 },
          }),
        { field: 'decisionRule.tiers[2].minShare', message: /at least 0.8 of progress/ },
      ],
      [
        'a tier requiring nothing',
        (d) => (d.decisionRule.tiers[0].requiredIndicatorLevels = []),
        { field: 'decisionRule.tiers[0]', message: /must require some/ },
      ],
    ];
    function stripTag(document: Json, tag: string): void {
      for (const top of document.items)
        for (const practice of top.children)
          for (const indicator of practice.children) if (indicator.tag === tag) delete indicator.tag;
    }
    it.each(tierCases)('reports %s', (_label, mutate, expected) => {
      expect(problemsOf(mutate, tiered())).toContainEqual({
        field: expected.field,
        message: expect.stringMatching(expected.message),
      });
    });

    it('reports every problem of a document in one answer', () => {
      const problems = problemsOf((d) => {
        d.items[1].children[0].children[0].code = '1A.1';
        d.checkInMonths = 40;
        d.scale.ratings[1].score = 1;
      });
      expect(problems.map((problem) => problem.field).sort()).toEqual(
        ['checkInMonths', 'items[1].children[0].children[0].code', 'scale.ratings[1].score'].sort(),
      );
    });
  });

  it('warns (does not fail) on a text missing a listed language', () => {
    const document = anEditionV2().inFrench().build();
    document.items[0].children[0].children[0].statement = 'English only';
    expect(validator.problems(document)).toEqual([]);
    expect(missingTranslations(document as EditionDocumentV2)).toEqual(
      [
        { field: 'items[0].children[0].children[0].statement', message: 'no fr text; English is used' },
        ...Array.from({ length: 0 }),
      ].concat(missingTranslations(document as EditionDocumentV2).slice(1)),
    );
  });

  it('resolves texts per language with fallback to English per text', () => {
    const document = anEditionV2().inFrench().build() as EditionDocumentV2;
    document.items[0].children![0].title = 'Only English';
    const french = localizeDocument(document, 'fr');
    expect(french.title).toBe(`Édition de test ${document.id}`);
    expect(french.items[0].title).toBe('Norme de protection 1');
    expect(french.items[0].children![0].title).toBe('Only English');
    expect(localizeDocument(document, 'es').items[0].title).toBe('CP standard 1');
    const tree = EditionTree.of(document);
    expect(tree.text(tree.item('1A.1')!, 'statement', 'fr')).toBe("L'institution applique 1A.1.");
  });

  it('evaluates conditions over drivers of every type', () => {
    const profile = { offersCredit: true, clientCount: 12000, legalForm: 'bank' };
    expect(appliesTo({ allOf: [{ field: 'clientCount', op: 'gte', value: 10000 }] }, profile)).toBe(true);
    expect(appliesTo({ allOf: [{ field: 'clientCount', op: 'gte', value: 20000 }] }, profile)).toBe(false);
    expect(appliesTo({ anyOf: [{ field: 'legalForm', op: 'in', value: ['ngo', 'bank'] }] }, profile)).toBe(
      true,
    );
    expect(appliesTo({ noneOf: [{ field: 'legalForm', op: 'eq', value: 'bank' }] }, profile)).toBe(false);
    expect(appliesTo({ allOf: [{ field: 'offersCredit', op: 'ne', value: true }] }, profile)).toBe(false);
    expect(appliesTo({ anyOf: ['offersSavings'], allOf: ['offersCredit'] }, profile)).toBe(false);
    expect(appliesTo({ allOf: ['offersCredit'] }, profile)).toBe(true);
    // A missing value satisfies only `ne`.
    expect(appliesTo({ allOf: [{ field: 'memberCount', op: 'lt', value: 5 }] }, profile)).toBe(false);
    expect(appliesTo({ allOf: [{ field: 'memberCount', op: 'ne', value: 5 }] }, profile)).toBe(true);
  });

  it('accepts 200 random valid editions and reads them through the tree', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const document = randomEditionV2(seed);
      const result = validator.normalize(document);
      if (!result.ok) throw new Error(`seed ${seed}: ${JSON.stringify(result.problems)}`);
      const tree = EditionTree.of(result.document);
      expect(tree.indicators().length).toBeGreaterThan(0);
      expect(new Set(tree.nodes().map((node) => node.item.code)).size).toBe(tree.nodes().length);
    }
  });

  it('converts the v1 builder edition into a document the v2 schema accepts as it is', () => {
    const converted = convertV1ToV2(anEdition().build() as unknown as EditionDocument);
    expect(validator.normalize(structuredClone(converted))).toMatchObject({ ok: true, convertedFrom: 2 });
  });
});
