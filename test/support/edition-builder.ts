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

type Text = string | Record<string, string>;
type Json = Record<string, any>;

const RATINGS_V2 = [
  { value: 'met', label: { en: 'Met', fr: 'Atteint', es: 'Cumplido' }, compliant: true, score: 1 },
  {
    value: 'partially_met',
    label: { en: 'Partially met', fr: 'Partiellement atteint' },
    compliant: false,
    score: 0.5,
  },
  { value: 'not_met', label: { en: 'Not met', fr: 'Non atteint' }, compliant: false, score: 0 },
  { value: 'not_applicable', label: 'Not applicable', compliant: false, notApplicable: true },
].map(({ notApplicable = false, ...rating }) => ({
  ...rating,
  requiresJustification: !rating.compliant,
  notApplicable,
}));

/**
 * An edition document v2: `tops` CP standards × `practices` essential practices × `indicators` indicators,
 * alphanumeric codes (`1A.2`), optional French titles, tags, extra drivers and conditions per indicator code.
 */
export class EditionV2Builder {
  private id = `test-v2-${randomBytes(3).toString('hex')}`;
  private shape = [2, 2, 3];
  private tagOf: (index: number) => string | undefined = () => undefined;
  private rule: Json = { type: 'all_applicable_standards_met' };
  private french = false;
  private drivers: Json[] = [];
  private conditions: Record<string, Json> = {};

  withId(id: string): this {
    this.id = id;
    return this;
  }

  withShape(tops: number, practices: number, indicators: number): this {
    this.shape = [tops, practices, indicators];
    return this;
  }

  /** Tags by indicator position (0-based, document order). */
  tagged(tagOf: (index: number) => string | undefined): this {
    this.tagOf = tagOf;
    return this;
  }

  withTiers(tiers: Json[]): this {
    this.rule = { type: 'tiered', tiers };
    return this;
  }

  inFrench(): this {
    this.french = true;
    return this;
  }

  withDriver(driver: Json): this {
    this.drivers.push(driver);
    return this;
  }

  applyingWhen(code: string, appliesWhen: Json): this {
    this.conditions[code] = appliesWhen;
    return this;
  }

  private text(en: string, fr: string): Text {
    return this.french ? { en, fr } : en;
  }

  build(): Json {
    const [tops, practices, indicators] = this.shape;
    let position = 0;
    const items = Array.from({ length: tops }, (_, t) => {
      const top = `${t + 1}`;
      return {
        code: top,
        level: 'cp_standard',
        title: this.text(`CP standard ${top}`, `Norme de protection ${top}`),
        children: Array.from({ length: practices }, (__, p) => {
          const practice = `${top}${String.fromCharCode(65 + p)}`;
          return {
            code: practice,
            level: 'essential_practice',
            title: this.text(`Essential practice ${practice}`, `Pratique essentielle ${practice}`),
            refs: { ussepm: `${practice}.x` },
            children: Array.from({ length: indicators }, (___, i) => {
              const code = `${practice}.${i + 1}`;
              const tag = this.tagOf(position++);
              return {
                code,
                level: 'indicator',
                statement: this.text(`The institution applies ${code}.`, `L'institution applique ${code}.`),
                guidance: `Policies and files for ${code}.`,
                ...(tag ? { tag } : {}),
                ...(this.conditions[code] ? { appliesWhen: this.conditions[code] } : {}),
              };
            }),
          };
        }),
      };
    });
    return {
      schemaVersion: 2,
      id: this.id,
      title: this.text(`Test edition ${this.id}`, `Édition de test ${this.id}`),
      languages: this.french ? ['en', 'fr'] : ['en'],
      effectiveFrom: '2026-01-01',
      validityMonths: 36,
      checkInMonths: null,
      levels: [
        { key: 'cp_standard', label: { en: 'CP standard', fr: 'Norme de protection des clients' } },
        { key: 'essential_practice', label: { en: 'Essential practice', fr: 'Pratique essentielle' } },
        { key: 'indicator', label: { en: 'Indicator', fr: 'Indicateur' }, rated: true },
      ],
      drivers: [
        { key: 'offersCredit', type: 'boolean', label: { en: 'Offers credit', fr: 'Offre du crédit' } },
        ...this.drivers,
      ],
      scale: { ratings: RATINGS_V2.map((rating) => ({ ...rating })) },
      decisionRule: structuredClone(this.rule),
      items,
    };
  }
}

export const anEditionV2 = (): EditionV2Builder => new EditionV2Builder();

/** A small deterministic PRNG, so a failing random edition can be reproduced from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random valid edition v2: 1–4 levels (any of them the rated one, details below it optional), random
 * alphanumeric codes, texts in random languages, refs, tags, mandatory flags, boolean/enum/number drivers with
 * random conditions (v1 flag lists too), and a pass/fail or tiered rule with minShare thresholds.
 */
export function randomEditionV2(seed: number, id = `random-${seed}`): Json {
  const random = prng(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const chance = (p: number): boolean => random() < p;
  const languages = ['en', ...['fr', 'es', 'pt-BR'].filter(() => chance(0.5))];
  const text = (base: string): Text =>
    chance(0.3)
      ? base
      : Object.fromEntries(
          languages.filter((lang) => lang === 'en' || chance(0.8)).map((lang) => [lang, `${base} [${lang}]`]),
        );
  const levelCount = 1 + Math.floor(random() * 3);
  const indicatorDepth = levelCount - 1;
  const withDetails = chance(0.4);
  const levels = [
    ...Array.from({ length: levelCount }, (_, depth) => ({
      key: depth === indicatorDepth ? 'indicator' : `level_${depth}`,
      label: text(`Level ${depth}`),
      ...(depth === indicatorDepth ? { rated: true } : {}),
    })),
    ...(withDetails ? [{ key: 'detail', label: text('Detail') }] : []),
  ];
  const drivers: Json[] = [
    { key: 'offersCredit', type: 'boolean', label: text('Offers credit') },
    { key: 'legalForm', type: 'enum', values: ['bank', 'ngo', 'cooperative'], label: text('Legal form') },
    { key: 'clientCount', type: 'number', label: text('Clients') },
  ];
  const condition = (): Json =>
    pick([
      () => ({ anyOf: ['offersCredit'] }),
      () => ({
        allOf: [
          {
            field: 'clientCount',
            op: pick(['gt', 'gte', 'lt', 'lte', 'eq', 'ne']),
            value: Math.floor(random() * 50000),
          },
        ],
      }),
      () => ({
        anyOf: [
          { field: 'legalForm', op: 'in', value: ['bank', 'ngo'] },
          { field: 'offersCredit', op: 'eq', value: true },
        ],
      }),
      () => ({ noneOf: [{ field: 'legalForm', op: 'eq', value: 'cooperative' }] }),
    ])();
  const tags = ['entry', 'progress', 'advanced'] as const;
  const used = new Set<string>();
  let counter = 0;
  let indicatorCounter = 0;
  const code = (parent: string | null): string => {
    counter += 1;
    const own = chance(0.3) ? `${counter}${pick(['A', 'B', 'x'])}` : `${counter}`;
    return parent ? `${parent}${pick(['.', '-'])}${own}` : own;
  };
  const item = (depth: number, parent: string | null): Json => {
    const itemCode = code(parent);
    const isIndicator = depth === indicatorDepth;
    const base: Json = { code: itemCode, level: levels[depth].key };
    if (depth < indicatorDepth) base.title = text(`Title ${itemCode}`);
    else {
      base.statement = text(`Statement ${itemCode}`);
      if (chance(0.7)) base.guidance = text(`Guidance ${itemCode}`);
    }
    if (chance(0.4)) base.refs = { ussepm: `U${itemCode}` };
    if (isIndicator) {
      indicatorCounter += 1;
      const tag = indicatorCounter <= 3 ? tags[indicatorCounter - 1] : chance(0.6) ? pick(tags) : undefined;
      if (tag) {
        base.tag = tag;
        used.add(tag);
      }
      if (chance(0.2)) base.mandatory = chance(0.5);
      if (chance(0.3)) base.appliesWhen = condition();
    }
    const childCount =
      depth < indicatorDepth
        ? 1 + Math.floor(random() * 3)
        : isIndicator && withDetails && chance(0.5)
          ? 1 + Math.floor(random() * 2)
          : 0;
    if (childCount > 0) base.children = Array.from({ length: childCount }, () => item(depth + 1, itemCode));
    return base;
  };
  // The first indicator gets entry, then progress, advanced: every tier below has its tags.
  const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => item(0, null));
  const tiered = indicatorDepth === 0 || chance(0.5);
  const decisionRule = tiered
    ? {
        type: 'tiered',
        tiers: [
          {
            level: 'bronze',
            label: text('Bronze'),
            requiredIndicatorLevels: [...used].filter((tag) => tag === 'entry'),
          },
          ...(used.has('progress')
            ? [
                {
                  level: 'silver',
                  requiredIndicatorLevels: ['entry'],
                  minShare: { progress: Math.round((0.5 + random() / 2) * 100) / 100 },
                },
              ]
            : []),
          ...(used.has('advanced') && used.has('progress')
            ? [
                {
                  level: 'gold',
                  label: text('Gold'),
                  requiredIndicatorLevels: ['entry', 'progress', 'advanced'],
                },
              ]
            : []),
        ],
      }
    : { type: 'all_applicable_standards_met' };
  return {
    schemaVersion: 2,
    id,
    title: text(`Random edition ${seed}`),
    languages,
    ...(chance(0.3) ? { modelled: text('Modelled structure') } : {}),
    effectiveFrom: '2026-01-01',
    ...(chance(0.3) ? { openForNewCasesUntil: '2030-12-31' } : {}),
    validityMonths: 36,
    checkInMonths: chance(0.5) ? 18 : null,
    ...(chance(0.3) ? { checkInGraceDays: 60 } : {}),
    levels,
    drivers,
    scale: { ratings: RATINGS_V2.map((rating) => ({ ...rating })) },
    decisionRule,
    items,
  };
}

/** The indicators (items of the last rated level) of an edition document v2 as GET /standards/:id answers it. */
export function indicatorsOfDocument<T = Json>(document: Json): T[] {
  const levels = document.levels as { rated?: boolean }[];
  const depth = Math.max(...levels.map((level, index) => (level.rated ? index : -1)));
  const walk = (items: Json[] | undefined, at: number): Json[] =>
    (items ?? []).flatMap((item) => (at === depth ? [item] : walk(item.children, at + 1)));
  return walk(document.items, 0) as T[];
}
