import { RenderedAnswers, RenderedJson } from './rendered-json';

describe(RenderedJson.name, () => {
  it('holds the bytes JSON.stringify writes', () => {
    const value = { caseId: 'c1', ratings: [{ code: '1.1.1', note: 'é "quoted" <b>' }], ratedCount: 1 };
    expect(RenderedJson.of(value).json).toBe(JSON.stringify(value));
  });
});

describe(RenderedAnswers.name, () => {
  const rendered = (characters: number) => RenderedJson.of('x'.repeat(characters - 2));

  it('answers what was kept for a key with the fingerprint it was kept for, and replaces it', () => {
    const answers = new RenderedAnswers();
    const first = rendered(10);
    answers.keep('case-1', 'f1', first);
    expect(answers.get('case-1')).toEqual({ fingerprint: 'f1', rendered: first });
    const second = rendered(12);
    answers.keep('case-1', 'f2', second);
    expect(answers.get('case-1')).toEqual({ fingerprint: 'f2', rendered: second });
    expect(answers.get('case-2')).toBeUndefined();
    expect(answers.size).toBe(1);
  });

  it('makes room by dropping the least recently used answers beyond its bound in bytes', () => {
    const answers = new RenderedAnswers(100); // 50 characters
    answers.keep('a', 'f', rendered(20));
    answers.keep('b', 'f', rendered(20));
    answers.get('a');
    answers.keep('c', 'f', rendered(20));
    expect([answers.get('a'), answers.get('b'), answers.get('c')].map(Boolean)).toEqual([true, false, true]);
    answers.keep('a', 'g', rendered(30));
    expect([answers.get('a')?.fingerprint, answers.get('c')?.fingerprint]).toEqual(['g', 'f']);
    answers.keep('d', 'f', rendered(51));
    expect(answers.get('d')).toBeUndefined();
    expect(answers.size).toBe(2);
  });
});
