import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type CrosswalkCatalog,
  type CrosswalkDocument,
  CrosswalkValidator,
  EditionTree,
  type EditionDocumentV2,
  ussepmCodesOf,
} from '@app/standards';

const STANDARDS_DIRECTORY = resolve(__dirname, '../../../../standards');

const read = <T>(...path: string[]): T =>
  JSON.parse(readFileSync(join(STANDARDS_DIRECTORY, ...path), 'utf8')) as T;

/** The catalog of the shipped editions, as the service builds it from the database. */
function shippedCatalog(): CrosswalkCatalog {
  const trees = new Map(
    ['cps-2016', 'cps-2022', 'cps-2022-v3'].map((id) => [
      id,
      EditionTree.of(read<EditionDocumentV2>(`${id}.json`)),
    ]),
  );
  const ussepm = new Set(
    [...trees.values()].flatMap((tree) => tree.nodes().flatMap((node) => ussepmCodesOf(node.item.refs))),
  );
  return { tree: (id) => trees.get(id), ussepmCodes: () => ussepm };
}

const crosswalk = (overrides: Partial<CrosswalkDocument> = {}): CrosswalkDocument => ({
  id: 'a-crosswalk',
  from: 'cps-2022',
  to: 'cps-2022-v3',
  mappings: [{ from: '1.1.1', to: '3B.1.1', kind: 'equivalent' }],
  ...overrides,
});

describe(CrosswalkValidator.name, () => {
  const validator = new CrosswalkValidator(STANDARDS_DIRECTORY);
  const catalog = shippedCatalog();
  const problemsOf = (candidate: unknown) => {
    const outcome = validator.validate(candidate, catalog);
    return outcome.ok ? [] : outcome.problems;
  };

  describe('validate', () => {
    it.each(['cps-2016-to-cps-2022-v3.json', 'cps-2022-to-cps-2022-v3.json'])(
      'finds no problem in the shipped %s, which maps indicators to indicators',
      (file) => {
        const document = read<CrosswalkDocument>('crosswalks', file);
        expect(problemsOf(document)).toEqual([]);
        const from = catalog.tree(document.from)!;
        const to = catalog.tree(document.to)!;
        for (const mapping of document.mappings) {
          expect([
            mapping.from,
            from.isIndicator(mapping.from),
            mapping.to,
            to.isIndicator(mapping.to),
          ]).toEqual([mapping.from, true, mapping.to, true]);
        }
      },
    );

    it('accepts a crosswalk to Universal Standards codes the editions name, including listed ones', () => {
      expect(
        problemsOf(
          crosswalk({
            to: 'ussepm',
            mappings: [
              { from: '2.1.1', to: '4A.1.1', kind: 'equivalent' },
              { from: '8', to: '5B', kind: 'partial' },
            ],
          }),
        ),
      ).toEqual([]);
    });

    it('reports what the schema refuses, with paths', () => {
      expect(
        problemsOf({
          id: 'Not A Slug',
          from: 'cps-2022',
          mappings: [{ from: '1.1.1', to: '3B 1.1', kind: 'same', extra: true }],
        }),
      ).toEqual(
        expect.arrayContaining([
          { field: 'to', message: 'is required' },
          { field: 'id', message: 'must match pattern "^[a-z0-9][a-z0-9-]{1,94}$"' },
          { field: 'mappings[0].extra', message: 'is not a known field' },
          { field: 'mappings[0].to', message: 'must match pattern "^[0-9A-Za-z]+([.-][0-9A-Za-z]+)*$"' },
          { field: 'mappings[0].kind', message: 'must be equal to one of the allowed values' },
        ]),
      );
      expect(problemsOf(crosswalk({ mappings: [] }))).toEqual([
        { field: 'mappings', message: 'must NOT have fewer than 1 items' },
      ]);
    });

    it('refuses the same edition on both sides and ussepm as a source', () => {
      expect(
        problemsOf(
          crosswalk({ to: 'cps-2022', mappings: [{ from: '1.1.1', to: '1.1.1', kind: 'equivalent' }] }),
        ),
      ).toEqual([{ field: 'to', message: 'must differ from from' }]);
      expect(problemsOf(crosswalk({ from: 'ussepm', to: 'cps-2022' }))).toEqual([
        { field: 'from', message: 'must be an edition (ussepm is only a target)' },
        { field: 'mappings[0].to', message: '3B.1.1 is not an item of cps-2022' },
      ]);
    });

    it('names an edition that does not exist, on either side', () => {
      expect(problemsOf(crosswalk({ from: 'cps-1999', to: 'cps-2099' }))).toEqual([
        { field: 'from', message: 'edition cps-1999 does not exist' },
        { field: 'to', message: 'edition cps-2099 does not exist' },
      ]);
    });

    it('names every code that is not an item of its edition, and every Universal Standards code unknown to the catalog', () => {
      expect(
        problemsOf(
          crosswalk({
            mappings: [
              { from: '9.9.9', to: '3B.1.1', kind: 'equivalent' },
              { from: '1.1.1', to: '1.1.1', kind: 'partial' },
            ],
          }),
        ),
      ).toEqual([
        { field: 'mappings[0].from', message: '9.9.9 is not an item of cps-2022' },
        { field: 'mappings[1].to', message: '1.1.1 is not an item of cps-2022-v3' },
      ]);
      expect(
        problemsOf(crosswalk({ to: 'ussepm', mappings: [{ from: '1.1.1', to: '9Z.1', kind: 'broader' }] })),
      ).toEqual([
        {
          field: 'mappings[0].to',
          message: "9Z.1 is not a Universal Standards code named by the catalog's editions",
        },
      ]);
    });

    it('refuses a (from, to) pair listed twice, whatever the kinds', () => {
      expect(
        problemsOf(
          crosswalk({
            mappings: [
              { from: '1.1.1', to: '3B.1.1', kind: 'equivalent' },
              { from: '1.1.1', to: '3B.1.2', kind: 'partial' },
              { from: '1.1.1', to: '3B.1.1', kind: 'narrower' },
            ],
          }),
        ),
      ).toEqual([{ field: 'mappings[2]', message: 'maps 1.1.1 to 3B.1.1 again (first at mappings[0])' }]);
    });
  });
});

describe(ussepmCodesOf.name, () => {
  it('splits a listed reference and ignores an item without one', () => {
    expect(ussepmCodesOf({ ussepm: '2A, 2B, 5A, 5B' })).toEqual(['2A', '2B', '5A', '5B']);
    expect(ussepmCodesOf(undefined)).toEqual([]);
    expect(ussepmCodesOf({ other: 'x' })).toEqual([]);
  });
});
