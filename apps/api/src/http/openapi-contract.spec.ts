import { longestMatch } from './openapi-contract';

describe('longestMatch (the maxLength a pattern states)', () => {
  it.each([
    ['^\\d{6}$', 6],
    ['^[A-Za-z]{2}$', 2],
    ['^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$', 50],
    ['^[A-Z]{2,6}-\\d{4}-\\d{4,6}$', 18],
    ['^[a-z0-9][a-z0-9-]{1,62}$', 63],
    ['^(?=.{3,40}$)[A-Z0-9]+(?:[-.][A-Z0-9]+)+$', 40],
    ['^\\x41[b]?$', 2],
  ])('%s matches at most %d characters', (pattern, longest) => {
    expect(longestMatch(pattern)).toBe(longest);
  });

  it.each([
    '^[0-9A-Za-z]+([.-][0-9A-Za-z]+)*$',
    '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$',
    '^[a-z]{2,}$',
    '[a-z]{2}',
    '^a|b$',
  ])('%s states no maximum', (pattern) => {
    expect(longestMatch(pattern)).toBeUndefined();
  });
});
