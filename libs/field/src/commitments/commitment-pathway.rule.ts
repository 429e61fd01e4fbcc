import { addMonths } from '@app/common';
import type { PathwayStatus } from './entities/commitment.entity';

/** What the pathway of a committed institution rests on. */
export interface PathwayFacts {
  committedOn: string;
  /** The last self-assessment submitted (a case submitted), if any. */
  lastAssessmentOn: string | null;
  /** The start of validity of its last certificate, if any. */
  lastCertifiedOn: string | null;
  hasActiveCertificate: boolean;
  remindersStartedOn: string | null;
}

export interface PathwayState {
  status: PathwayStatus;
  /** The day it turns inactive without a new assessment; null while certified. */
  inactiveAfter: string | null;
  /** The reminder due today (its months before `inactiveAfter`), if any. */
  reminderMonthsBefore: number | null;
  /** The self-assessment expected within 6 months of the commitment is late. */
  isAssessmentLate: boolean;
  remindersStartedOn: string | null;
}

export const ASSESSMENT_EXPECTED_MONTHS = 6;
export const INACTIVE_AFTER_MONTHS = 24;
export const INACTIVE_AFTER_CERTIFICATION_MONTHS = 36;
export const REMINDER_YEAR_MONTHS = 12;
/** Reminders this many months before the entry turns inactive. */
export const REMINDER_MONTHS_BEFORE = [12, 6, 3, 1] as const;

const latest = (...dates: (string | null)[]): string =>
  dates
    .filter((date): date is string => date !== null)
    .sort()
    .at(-1)!;

/**
 * The pathway rule: `certified` while a certificate is active; else `assessment_submitted` once a
 * self-assessment followed the commitment; `inactive` when no assessment came within 2 years of the
 * commitment or the last assessment (3 years of the last certification), and only after a year of
 * reminders; `committed` otherwise.
 */
export function pathwayOf(facts: PathwayFacts, today: string): PathwayState {
  if (facts.hasActiveCertificate) {
    return {
      status: 'certified',
      inactiveAfter: null,
      reminderMonthsBefore: null,
      isAssessmentLate: false,
      remindersStartedOn: null,
    };
  }
  const deadline = latest(
    addMonths(facts.committedOn, INACTIVE_AFTER_MONTHS),
    facts.lastAssessmentOn && addMonths(facts.lastAssessmentOn, INACTIVE_AFTER_MONTHS),
    facts.lastCertifiedOn && addMonths(facts.lastCertifiedOn, INACTIVE_AFTER_CERTIFICATION_MONTHS),
  );
  const reminderWindowOpens = addMonths(deadline, -REMINDER_YEAR_MONTHS);
  const isInWindow = today >= reminderWindowOpens;
  // A new assessment moves the deadline: the year of reminders starts again.
  const startedOn =
    isInWindow && facts.remindersStartedOn && facts.remindersStartedOn >= reminderWindowOpens
      ? facts.remindersStartedOn
      : isInWindow
        ? today
        : null;
  const hasHadYearOfReminders = startedOn !== null && addMonths(startedOn, REMINDER_YEAR_MONTHS) <= today;
  const hasAssessment = facts.lastAssessmentOn !== null && facts.lastAssessmentOn >= facts.committedOn;
  if (today > deadline && hasHadYearOfReminders) {
    return {
      status: 'inactive',
      inactiveAfter: deadline,
      reminderMonthsBefore: null,
      isAssessmentLate: false,
      remindersStartedOn: startedOn,
    };
  }
  const due = REMINDER_MONTHS_BEFORE.filter((months) => today >= addMonths(deadline, -months));
  return {
    status: hasAssessment || facts.lastCertifiedOn !== null ? 'assessment_submitted' : 'committed',
    inactiveAfter: deadline,
    reminderMonthsBefore: isInWindow ? (due.at(-1) ?? REMINDER_YEAR_MONTHS) : null,
    isAssessmentLate: !hasAssessment && today >= addMonths(facts.committedOn, ASSESSMENT_EXPECTED_MONTHS),
    remindersStartedOn: startedOn,
  };
}
