/** Dates as `YYYY-MM-DD`; working days are Monday to Friday except the given holidays. */
export class WorkingCalendar {
  private readonly holidays: ReadonlySet<string>;

  constructor(holidays: Iterable<string> = []) {
    this.holidays = new Set(holidays);
  }

  isWorkingDay(date: string): boolean {
    const day = new Date(`${date}T00:00:00Z`).getUTCDay();
    return day !== 0 && day !== 6 && !this.holidays.has(date);
  }

  /** The date `count` working days after `date` (the start date itself is not counted). */
  addWorkingDays(date: string, count: number): string {
    let current = new Date(`${date}T00:00:00Z`);
    let remaining = count;
    while (remaining > 0) {
      current = new Date(current.getTime() + 86_400_000);
      if (this.isWorkingDay(current.toISOString().slice(0, 10))) remaining -= 1;
    }
    return current.toISOString().slice(0, 10);
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
  workingDaysBetween(from: string, to: string): number {
    let count = 0;
    let current = new Date(`${from}T00:00:00Z`);
    const end = new Date(`${to}T00:00:00Z`);
    while (current < end) {
      current = new Date(current.getTime() + 86_400_000);
      if (this.isWorkingDay(current.toISOString().slice(0, 10))) count += 1;
    }
    return count;
  }
}

/** Calendar date of an instant, in UTC. */
export function dateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
