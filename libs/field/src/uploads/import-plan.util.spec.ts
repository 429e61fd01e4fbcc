import { type ImportCandidate, markRepeatedKeys, planImport } from './import-plan.util';

function candidate(line: number, key: string | null): ImportCandidate<{ key: string }> {
  return {
    report: { line, outcome: key ? 'new' : 'invalid', key: null, problems: key ? [] : ['name is missing'] },
    ...(key ? { entry: { key } } : {}),
  };
}

describe(planImport.name, () => {
  it('reports every row by line on a dry run and saves nothing', () => {
    const rows = [candidate(2, 'a'), candidate(3, null)];
    const { report, toSave } = planImport(rows, true);
    expect(report).toMatchObject({ dryRun: true, applied: false, counts: { rows: 2, new: 1, invalid: 1 } });
    expect(toSave).toEqual([]);
  });

  it('refuses to apply a file with an invalid row, naming its line', () => {
    expect(() => planImport([candidate(2, 'a'), candidate(3, null)], false)).toThrow(
      /1 row\(s\) cannot be imported/,
    );
  });

  it('applies the new rows with their lines, skipping duplicates', () => {
    const rows = [candidate(2, 'a'), candidate(3, 'a'), candidate(4, 'b')];
    markRepeatedKeys(rows, {
      keyOf: (entry) => entry.key,
      taken: new Set(['b']),
      takenProblem: 'already listed',
      thing: 'organization',
      outcome: 'duplicate',
    });
    expect(rows.map((row) => [row.report.outcome, row.report.problems])).toEqual([
      ['new', []],
      ['duplicate', ['same organization as line 2']],
      ['duplicate', ['already listed']],
    ]);
    const { report, toSave } = planImport(rows, false);
    expect(report).toMatchObject({ applied: true, counts: { rows: 3, new: 1, duplicate: 2, invalid: 0 } });
    expect(toSave).toEqual([{ line: 2, entry: { key: 'a' } }]);
  });
});
