import { MAX_ECHOED_FIELD_LENGTH, safeFieldName } from './field-name.util';

describe('safeFieldName', () => {
  it('keeps an ordinary field path as it is', () => {
    expect(safeFieldName('profile.extra')).toBe('profile.extra');
    expect(safeFieldName('ratings[3].rating_note-2')).toBe('ratings[3].rating_note-2');
  });

  it('replaces markup and quotes so that nothing typed is reflected as typed', () => {
    expect(safeFieldName('<img src=x onerror=alert(1)>')).toBe('_img_src_x_onerror_alert_1__');
    expect(safeFieldName('"\'`&;')).toBe('_____');
  });

  it(`cuts a name longer than ${MAX_ECHOED_FIELD_LENGTH} characters`, () => {
    const safe = safeFieldName('a'.repeat(5000));
    expect(safe).toBe(`${'a'.repeat(MAX_ECHOED_FIELD_LENGTH)}…`);
  });
});
