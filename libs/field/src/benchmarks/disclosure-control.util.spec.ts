import { type SummaryCell, withheldCells } from './disclosure-control.util';

type CellSpec = Partial<SummaryCell> & Pick<SummaryCell, 'groupKey' | 'institutions'>;

const cell = (spec: CellSpec): SummaryCell => ({
  measure: 'pass_rate',
  groupingBy: 'country',
  indicatorCode: '',
  scopeKind: 'field',
  scopeValue: '',
  editionId: '',
  count: spec.institutions,
  ...spec,
});

/** The keys (`scope:edition:grouping:key`) of the withheld cells. */
const withheldKeys = (cells: SummaryCell[]) => {
  const withheld = withheldCells(cells);
  return cells
    .filter((_, index) => withheld[index])
    .map((c) => `${c.scopeKind}${c.scopeValue}:${c.editionId}:${c.groupingBy}:${c.groupKey}`)
    .sort();
};

// A country grouping of the field with each country's own (country scope) cell beside it.
const countries = (sizes: Record<string, number>) =>
  Object.entries(sizes).flatMap(([country, institutions]) => [
    cell({ groupKey: country, institutions }),
    cell({ groupKey: country, institutions, scopeKind: 'country', scopeValue: country }),
  ]);

describe('withheldCells', () => {
  describe('primary', () => {
    it('withholds a field or country cell of 5 institutions: each of them would learn the other 4', () => {
      expect(
        withheldKeys([
          cell({ groupingBy: 'year', groupKey: '2025', institutions: 5 }),
          cell({
            groupingBy: 'year',
            groupKey: '2025',
            institutions: 5,
            scopeKind: 'country',
            scopeValue: 'PE',
          }),
        ]),
      ).toEqual(['countryPE::year:2025', 'field::year:2025']);
    });

    it('shows a cell of 6 institutions, and a certification body its own cell of 5', () => {
      expect(
        withheldKeys([
          cell({ groupingBy: 'year', groupKey: '2025', institutions: 6 }),
          cell({
            groupingBy: 'year',
            groupKey: '2025',
            institutions: 6,
            scopeKind: 'country',
            scopeValue: 'PE',
          }),
          cell({
            groupingBy: 'year',
            groupKey: '2023',
            institutions: 5,
            scopeKind: 'certifier',
            scopeValue: 'x',
          }),
          cell({
            groupingBy: 'year',
            groupKey: '2024',
            institutions: 4,
            scopeKind: 'certifier',
            scopeValue: 'x',
          }),
        ]),
      ).toEqual(['certifierx::year:2024']);
    });

    it('withholds a field cell a certification body or a country could subtract its own part from', () => {
      const year = (
        institutions: number,
        count: number,
        scopeKind: SummaryCell['scopeKind'],
        scopeValue = '',
      ) => cell({ groupingBy: 'year', groupKey: '2025', institutions, count, scopeKind, scopeValue });
      // 9 institutions, 4 of them the body's: the other 5 are safe; 5 of them the body's: 4 are not.
      // (The body's own cell of 4 is withheld from it, though it knows its cases.)
      expect(withheldKeys([year(9, 9, 'field'), year(4, 5, 'certifier', 'x')])).toEqual([
        'certifierx::year:2025',
      ]);
      expect(withheldKeys([year(9, 9, 'field'), year(5, 5, 'certifier', 'x')])).toEqual(['field::year:2025']);
      // A body that is the whole cell learns nothing from it.
      expect(withheldKeys([year(9, 9, 'field'), year(9, 9, 'certifier', 'x')])).toEqual([]);
      // Peru's institutions see Peru's cell of 6: the field's 9 would give them the other 3.
      expect(withheldKeys([year(9, 9, 'field'), year(6, 6, 'country', 'PE')])).toEqual(['field::year:2025']);
      // Peru's cell of 5 is withheld from them: they know only themselves.
      expect(withheldKeys([year(9, 9, 'field'), year(5, 5, 'country', 'PE')])).toEqual([
        'countryPE::year:2025',
      ]);
    });
  });

  describe('complementary', () => {
    it('withholds more cells until the withheld ones describe 5 institutions besides a reader', () => {
      // Bolivia (1) alone would come out of the total; with Ecuador (5) the two describe 6.
      expect(withheldKeys(countries({ PE: 6, BO: 1, EC: 5 }))).toEqual([
        'countryBO::country:BO',
        'countryEC::country:EC',
        'field::country:BO',
        'field::country:EC',
      ]);
    });

    it('withholds the next smallest cell while the withheld ones describe 5 institutions or fewer', () => {
      // Bolivia and Ecuador describe 5: a Bolivian institution would learn Ecuador's 4.
      expect(withheldKeys(countries({ PE: 6, BO: 1, EC: 4 }).filter((c) => c.scopeKind === 'field'))).toEqual(
        ['field::country:BO', 'field::country:EC', 'field::country:PE'],
      );
    });

    it('never leaves a single withheld cell in a grouping', () => {
      // Peru (6) can be shown; Bolivia (1) cannot, and would be the total less Peru.
      expect(withheldKeys(countries({ PE: 6, BO: 1 }))).toEqual([
        'countryBO::country:BO',
        'field::country:BO',
        'field::country:PE',
      ]);
    });

    it('counts an institution once across the cells of a grouping that are not disjoint', () => {
      // Two years of 3 institutions each may be the same 3: a third year is withheld as well.
      const years = { '2023': 3, '2024': 3, '2025': 20 };
      expect(
        withheldKeys(
          Object.entries(years).map(([year, institutions]) =>
            cell({ groupingBy: 'year', groupKey: year, institutions }),
          ),
        ),
      ).toEqual(['field::year:2023', 'field::year:2024', 'field::year:2025']);
    });
  });

  describe('hierarchical', () => {
    it('withholds the all-editions cell whose withheld editions would come out of it', () => {
      const cells = [
        cell({ groupKey: 'PE', institutions: 12 }),
        cell({ groupKey: 'BO', institutions: 8 }),
        cell({ groupKey: 'PE', institutions: 6, editionId: 'cps-2016' }),
        cell({ groupKey: 'BO', institutions: 6, editionId: 'cps-2016' }),
        cell({ groupKey: 'PE', institutions: 6, editionId: 'cps-2022' }),
        cell({ groupKey: 'BO', institutions: 2, editionId: 'cps-2022' }),
      ];
      // Bolivia over both editions less Bolivia in 2016 would be Bolivia in 2022.
      expect(withheldKeys(cells)).toEqual([
        'field::country:BO',
        'field::country:PE',
        'field:cps-2022:country:BO',
        'field:cps-2022:country:PE',
      ]);
    });

    it('withholds a child of a withheld parent whose children are all shown', () => {
      const cells = [
        cell({ groupKey: 'PE', institutions: 30 }),
        cell({ groupKey: 'BO', institutions: 1 }),
        cell({ groupKey: 'EC', institutions: 12 }),
        cell({ groupKey: 'PE', institutions: 30, editionId: 'cps-2016' }),
        cell({ groupKey: 'BO', institutions: 1, editionId: 'cps-2016' }),
        cell({ groupKey: 'EC', institutions: 6, editionId: 'cps-2016' }),
        cell({ groupKey: 'EC', institutions: 6, editionId: 'cps-2022' }),
        cell({ groupKey: 'PE', institutions: 6, editionId: 'cps-2022' }),
      ];
      const withheld = withheldKeys(cells);
      // Ecuador's all-editions cell protects Bolivia's: it must not be the sum of two shown editions.
      expect(withheld).toEqual(expect.arrayContaining(['field::country:BO', 'field::country:EC']));
      expect(
        withheld.filter((key) => key.startsWith('field:cps-') && key.endsWith(':EC')).length,
      ).toBeGreaterThan(0);
    });

    it('withholds a standard whose one withheld indicator would come out of it', () => {
      const indicator = (code: string, institutions: number, count = institutions) =>
        cell({ groupingBy: 'indicator', groupKey: code, institutions, count });
      const cells = [
        cell({ groupingBy: 'standard', groupKey: '1.1', institutions: 20, count: 22 }),
        cell({ groupingBy: 'standard', groupKey: '1.2', institutions: 6, count: 6 }),
        indicator('1.1.1', 20),
        indicator('1.1.2', 2),
        indicator('1.2.1', 6),
      ];
      expect(withheldKeys(cells)).toEqual([
        'field::indicator:1.1.2',
        'field::indicator:1.2.1',
        'field::standard:1.1',
        'field::standard:1.2',
      ]);
    });
  });
});
