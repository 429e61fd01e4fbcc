import { ANONYMITY_THRESHOLD, suppressSmall } from './anonymity.util';

describe('suppressSmall', () => {
  it('hides every figure of a cell under the threshold, the institution count too', () => {
    expect(suppressSmall({ key: 'PE', institutions: ANONYMITY_THRESHOLD - 1, passRate: 1 }, ['key'])).toEqual(
      {
        key: 'PE',
        institutions: null,
        passRate: null,
        suppressed: true,
      },
    );
  });

  it('shows a cell of exactly the threshold', () => {
    expect(suppressSmall({ key: 'PE', institutions: ANONYMITY_THRESHOLD, passRate: 0.5 }, ['key'])).toEqual({
      key: 'PE',
      institutions: ANONYMITY_THRESHOLD,
      passRate: 0.5,
      suppressed: false,
    });
  });
});
