import { ANONYMITY_THRESHOLD } from './anonymity.util';

/** One cell of the benchmarks' summary (`benchmark_cell`), as the disclosure control sees it. */
export interface SummaryCell {
  measure: 'pass_rate' | 'state_time' | 'finding';
  groupingBy: string;
  groupKey: string;
  indicatorCode: string;
  scopeKind: 'field' | 'certifier' | 'country';
  scopeValue: string;
  editionId: string;
  institutions: number;
  /** Additive over editions, certifiers, countries and (per standard) indicators. */
  count: number;
}

// Pass-rate groupings that partition the decided cases of a scope: they share one total.
const CASE_GROUPINGS = new Set(['country', 'edition', 'year']);

/** A sum the reader may know or derive: `parent` (null when it is a table's total, assumed known) = Σ `parts`. */
interface Relation {
  parent: number | null;
  parts: number[];
  /** Each institution is in at most one part (by country): the parts' institutions add up. */
  disjoint: boolean;
  /** A grouping's cells: protect by withholding more cells; a parent and its children: by withholding the parent. */
  kind: 'grouping' | 'hierarchy';
}

/** What one reader of a field cell already knows of it: a certification body's or a country's own cell there. */
interface KnownPart {
  member: string;
  cell: number;
}

const coordinate = (cell: SummaryCell, editionId = cell.editionId) =>
  [cell.measure, cell.groupingBy, cell.groupKey, cell.indicatorCode, editionId].join('\u0000');
const scopeOf = (cell: SummaryCell) => `${cell.scopeKind}\u0000${cell.scopeValue}`;
const standardOf = (indicatorCode: string) => indicatorCode.split('.').slice(0, 2).join('.');

/**
 * Which cells of the summary to withhold, so that no figure describing fewer than `ANONYMITY_THRESHOLD`
 * institutions besides a reader's own can be read or derived by subtraction from what that reader is
 * shown (statistical disclosure control, threshold rule with secondary suppression):
 *
 * - primary: a cell is withheld unless it describes 5 institutions besides any one reader's own. The
 *   field and a country are read by institutions in them (each knows itself: 6 institutions needed); a
 *   field cell is also read by certification bodies, which know their own cases in it, and by the
 *   institutions of a country, which see their country's cell: 5 institutions besides those are needed
 *   too, unless that body or country is the whole cell (the reader then learns nothing new).
 * - grouping: the cells of one table add up to a total that may be derived from another grouping or
 *   edition; when any cell is withheld, more are withheld (fewest institutions first) until the withheld
 *   ones together describe 5 institutions besides any reader's known part of them, and never just one.
 * - hierarchy: an all-editions cell is the sum of its per-edition cells, a standard the sum of its
 *   indicators; withheld children of a shown parent must be protected as above, else the parent is
 *   withheld; a withheld parent whose children are all shown has one child withheld.
 * - a field cell identical to a withheld country cell is withheld (that country's institutions see both).
 *
 * A certification body's own scope is only ever read by that body, which knows every case in it: its
 * cells are held to the primary threshold of 5 only. Returns, per cell of `cells`, whether to withhold it.
 */
export function withheldCells(cells: SummaryCell[]): boolean[] {
  const withheld = cells.map(() => false);
  const byScopeCoordinate = new Map<string, number>();
  cells.forEach((cell, index) => byScopeCoordinate.set(`${scopeOf(cell)}\u0000${coordinate(cell)}`, index));
  const find = (scope: string, coordinateKey: string) =>
    byScopeCoordinate.get(`${scope}\u0000${coordinateKey}`);

  // What each reader of a field cell knows of it: the certification bodies' and countries' cells there.
  const knownParts = new Map<number, KnownPart[]>();
  const fieldAt = new Map<string, number>();
  cells.forEach((cell, index) => {
    if (cell.scopeKind === 'field') fieldAt.set(coordinate(cell), index);
  });
  cells.forEach((cell, index) => {
    if (cell.scopeKind === 'field') return;
    const field = fieldAt.get(coordinate(cell));
    if (field === undefined) return;
    const parts = knownParts.get(field) ?? [];
    parts.push({ member: scopeOf(cell), cell: index });
    knownParts.set(field, parts);
  });
  const ownInstitution = (cell: SummaryCell) => (cell.scopeKind === 'certifier' ? 0 : 1);

  // Primary suppression, countries and certification bodies first: a country's institution knows its
  // country's cell only when it is shown to it.
  const primaryShown = (index: number) => {
    const cell = cells[index];
    return cell.institutions - ownInstitution(cell) >= ANONYMITY_THRESHOLD;
  };
  cells.forEach((cell, index) => {
    if (cell.scopeKind !== 'field') withheld[index] = !primaryShown(index);
  });
  // What `member` knows of cell `index`: a certification body all its cases, a country's institution its
  // country's cell when shown to it, else itself alone.
  const knownInstitutions = (part: KnownPart) => {
    const cell = cells[part.cell];
    if (cell.scopeKind === 'certifier' || !withheld[part.cell]) return cell.institutions;
    return Math.min(1, cell.institutions);
  };
  cells.forEach((cell, index) => {
    if (cell.scopeKind !== 'field') return;
    const exposedBySubtraction = (knownParts.get(index) ?? []).some(
      (part) =>
        cells[part.cell].count < cell.count &&
        cell.institutions - knownInstitutions(part) < ANONYMITY_THRESHOLD,
    );
    withheld[index] = !primaryShown(index) || exposedBySubtraction;
  });

  const relations = relationsOf(cells, find);
  // Field cells that are exactly a country's cell: that country's institutions see both.
  const twins = cells.flatMap((cell, index) => {
    if (cell.scopeKind !== 'country') return [];
    const field = fieldAt.get(coordinate(cell));
    return field !== undefined && cells[field].count === cell.count ? [[index, field] as const] : [];
  });

  const isProtected = (relation: Relation, hidden: number[]) => {
    if (hidden.length < 2) return false;
    const institutions = hidden.map((index) => cells[index].institutions);
    const union = relation.disjoint ? institutions.reduce((a, b) => a + b, 0) : Math.max(...institutions);
    const count = hidden.reduce((sum, index) => sum + cells[index].count, 0);
    // Each reader's known part of the withheld cells, summed over them (an upper bound of what it knows).
    const known = new Map<string, { institutions: number; count: number }>();
    for (const index of hidden) {
      for (const part of knownParts.get(index) ?? []) {
        const sum = known.get(part.member) ?? { institutions: 0, count: 0 };
        sum.institutions += knownInstitutions(part);
        sum.count += cells[part.cell].count;
        known.set(part.member, sum);
      }
    }
    const own = Math.max(
      ownInstitution(cells[hidden[0]]),
      ...Array.from(known.values(), (sum) => (sum.count < count ? sum.institutions : 0)),
    );
    return union - own >= ANONYMITY_THRESHOLD;
  };
  const smallest = (candidates: number[]) =>
    candidates
      .filter((index) => !withheld[index])
      .sort(
        (a, b) =>
          cells[a].institutions - cells[b].institutions ||
          cells[a].count - cells[b].count ||
          coordinate(cells[a]).localeCompare(coordinate(cells[b])),
      )[0];

  // Every step only withholds more, so this ends; it stops when every relation holds.
  for (let changed = true; changed;) {
    changed = false;
    const withhold = (index: number | undefined) => {
      if (index === undefined || withheld[index]) return false;
      withheld[index] = true;
      changed = true;
      return true;
    };
    for (const [country, field] of twins) if (withheld[country]) withhold(field);
    for (const relation of relations) {
      const hidden = relation.parts.filter((index) => withheld[index]);
      const parentKnown = relation.parent === null || !withheld[relation.parent];
      if (parentKnown) {
        if (hidden.length === 0 || isProtected(relation, hidden)) continue;
        if (relation.kind === 'grouping' || relation.parent === null) {
          if (!withhold(smallest(relation.parts)) && relation.parent !== null) withhold(relation.parent);
        } else {
          withhold(relation.parent);
        }
      } else if (hidden.length === 0) {
        withhold(smallest(relation.parts));
      }
    }
  }
  return withheld;
}

function relationsOf(
  cells: SummaryCell[],
  find: (scope: string, coordinateKey: string) => number | undefined,
): Relation[] {
  const groups = new Map<string, { kind: 'grouping' | 'editions' | 'standard'; parts: number[] }>();
  const add = (kind: 'grouping' | 'editions' | 'standard', key: string, index: number) => {
    const group = groups.get(`${kind}\u0000${key}`);
    if (group) group.parts.push(index);
    else groups.set(`${kind}\u0000${key}`, { kind, parts: [index] });
  };
  cells.forEach((cell, index) => {
    // A certification body reads only its own cases: nothing it could derive is news to it.
    if (cell.scopeKind === 'certifier') return;
    const scope = scopeOf(cell);
    if (cell.measure === 'pass_rate')
      add('grouping', `${scope}\u0000${cell.groupingBy}\u0000${cell.editionId}`, index);
    if (cell.editionId !== '') add('editions', `${scope}\u0000${coordinate(cell, '')}`, index);
    if (cell.measure === 'pass_rate' && cell.groupingBy === 'indicator') {
      add('standard', `${scope}\u0000${cell.editionId}\u0000${standardOf(cell.groupKey)}`, index);
    }
  });
  const relations: Relation[] = [];
  for (const { kind, parts } of groups.values()) {
    const sample = cells[parts[0]];
    const scope = scopeOf(sample);
    if (kind === 'grouping') {
      if (sample.groupingBy === 'edition' && sample.editionId !== '') continue; // its one cell is its total
      // The decided cases of one edition add up to that edition's by-edition cell; other totals are
      // taken as known (the grouping total may be derived from another grouping).
      const total =
        CASE_GROUPINGS.has(sample.groupingBy) && sample.editionId !== ''
          ? find(
              scope,
              coordinate({ ...sample, groupingBy: 'edition', groupKey: sample.editionId, indicatorCode: '' }),
            )
          : undefined;
      relations.push({
        parent: total ?? null,
        parts,
        disjoint: sample.groupingBy === 'country',
        kind: 'grouping',
      });
    } else {
      const parent =
        kind === 'editions'
          ? find(scope, coordinate(sample, ''))
          : find(
              scope,
              coordinate({ ...sample, groupingBy: 'standard', groupKey: standardOf(sample.groupKey) }),
            );
      if (parent !== undefined) relations.push({ parent, parts, disjoint: false, kind: 'hierarchy' });
    }
  }
  return relations;
}
