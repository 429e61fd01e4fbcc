import { WorkingCalendar } from '@app/common';
import { ApiClient } from '../support/api-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { buildWorld, type World } from '../support/world';
import { CaseFixtures, isWeekend, nextWeekday, todayUtc, workingDaysAfter } from './case-fixtures';

describe('working days of case deadlines', () => {
  describe('with a public holiday on the next weekday', () => {
    let testApp: TestApp;
    let client: ApiClient;
    let world: World;
    let cases: CaseFixtures;
    const today = todayUtc();
    const holiday = nextWeekday(today);

    beforeAll(async () => {
      testApp = await startTestApp({ HOLIDAYS: holiday });
      client = new ApiClient(testApp.app);
      world = await buildWorld(client);
      cases = new CaseFixtures(client, world);
    });

    afterAll(() => testApp?.close());

    it('gives the certification body 10 working days, skipping weekends and the holiday', async () => {
      const submitted = await cases.submitted();

      const response = await client
        .get(`/api/v1/cases/${submitted.id}`, world.sessions.certifier_admin)
        .expect(200);

      const dueOn = response.body.deadlines.acceptanceDueOn as string;
      // The holiday is a weekday, so the 10 working days span 11 weekdays.
      expect(dueOn).toBe(workingDaysAfter(today, 11));
      expect(dueOn).toBe(workingDaysAfter(today, 10, [holiday]));
      expect(dueOn).not.toBe(workingDaysAfter(today, 10));
      expect(isWeekend(dueOn)).toBe(false);
    });
  });

  describe('WorkingCalendar', () => {
    const calendar = new WorkingCalendar(['2026-12-25', '2027-01-01']);

    it('skips the weekend', () => {
      // Friday 2026-11-27 + 1 working day is Monday 2026-11-30.
      expect(calendar.addWorkingDays('2026-11-27', 1)).toBe('2026-11-30');
      // Thursday + 3 working days: Friday, Monday, Tuesday.
      expect(calendar.addWorkingDays('2026-11-26', 3)).toBe('2026-12-01');
      // From a Saturday, the first working day is the Monday after.
      expect(calendar.addWorkingDays('2026-11-28', 1)).toBe('2026-11-30');
      expect(calendar.addWorkingDays('2026-11-23', 10)).toBe('2026-12-07');
    });

    it('skips the holidays', () => {
      // Thursday 2026-12-24 + 1: Friday the 25th is a holiday, so Monday the 28th.
      expect(calendar.addWorkingDays('2026-12-24', 1)).toBe('2026-12-28');
      // Across Christmas and New Year: 28, 29, 30, 31 Dec, (1 Jan holiday), 4 Jan.
      expect(calendar.addWorkingDays('2026-12-24', 5)).toBe('2027-01-04');
      expect(new WorkingCalendar().addWorkingDays('2026-12-24', 1)).toBe('2026-12-25');
      expect(calendar.isWorkingDay('2026-12-25')).toBe(false);
      expect(calendar.isWorkingDay('2026-12-26')).toBe(false);
      expect(calendar.isWorkingDay('2026-12-28')).toBe(true);
    });

    it('counts the working days between two dates, the first one excluded', () => {
      expect(calendar.workingDaysBetween('2026-11-23', '2026-11-27')).toBe(4);
      expect(calendar.workingDaysBetween('2026-11-27', '2026-11-30')).toBe(1);
      expect(calendar.workingDaysBetween('2026-12-24', '2027-01-04')).toBe(5);
      expect(calendar.workingDaysBetween('2026-11-30', '2026-11-30')).toBe(0);
      expect(calendar.workingDaysBetween('2026-12-01', '2026-11-30')).toBe(0);
    });

    it('agrees with adding working days', () => {
      for (const start of ['2026-11-23', '2026-11-27', '2026-11-28', '2026-12-24', '2026-12-31']) {
        for (const days of [1, 2, 5, 10, 15]) {
          expect(calendar.workingDaysBetween(start, calendar.addWorkingDays(start, days))).toBe(days);
        }
      }
    });
  });
});
