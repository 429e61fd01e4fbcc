import { ErrorCode } from '@app/common';
import { assertEditionOpenFor } from './case-guards';

describe('assertEditionOpenFor', () => {
  const edition = (openForNewCasesUntil: string | null, retiredOn: string | null = null) => ({
    id: 'cps-2016',
    openForNewCasesUntil,
    retiredOn,
  });
  const codeOf = (run: () => void): string | undefined => {
    try {
      run();
      return undefined;
    } catch (error) {
      return (error as { code?: string }).code;
    }
  };

  it('refuses a new initial certification after the closing date', () => {
    expect(codeOf(() => assertEditionOpenFor(edition('2021-04-30'), 'certification', '2021-05-01'))).toBe(
      ErrorCode.EditionClosed,
    );
  });

  it('accepts one on the closing date itself and on an edition without one', () => {
    expect(
      codeOf(() => assertEditionOpenFor(edition('2021-04-30'), 'certification', '2021-04-30')),
    ).toBeUndefined();
    expect(codeOf(() => assertEditionOpenFor(edition(null), 'certification', '2030-01-01'))).toBeUndefined();
  });

  it('refuses a new initial certification on a retired edition', () => {
    expect(
      codeOf(() => assertEditionOpenFor(edition(null, '2026-01-01'), 'certification', '2026-01-01')),
    ).toBe(ErrorCode.EditionClosed);
  });

  it.each(['check_in', 'renewal'] as const)('accepts a %s of a closed edition', (type) => {
    expect(
      codeOf(() => assertEditionOpenFor(edition('2021-04-30', '2022-01-01'), type, '2026-11-30')),
    ).toBeUndefined();
  });
});
