import { addDays, addMonths } from './calendar-date';

describe('calendar dates', () => {
  describe(addDays.name, () => {
    it('moves across month, year and leap-day boundaries, backwards too', () => {
      expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
      expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
      expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
      expect(addDays('2026-11-23', -18)).toBe('2026-11-05');
    });
  });

  describe(addMonths.name, () => {
    it('gives the day before the anniversary as the last day of a validity', () => {
      expect(addDays(addMonths('2026-11-23', 48), -1)).toBe('2030-11-22');
    });
  });
});
