import { pathwayOf, type PathwayFacts } from './commitment-pathway.rule';

const committed = (facts: Partial<PathwayFacts> = {}): PathwayFacts => ({
  committedOn: '2024-01-15',
  lastAssessmentOn: null,
  lastCertifiedOn: null,
  hasActiveCertificate: false,
  remindersStartedOn: null,
  ...facts,
});

describe('pathwayOf', () => {
  it('keeps a fresh commitment committed, the assessment not yet late', () => {
    expect(pathwayOf(committed(), '2024-03-01')).toMatchObject({
      status: 'committed',
      isAssessmentLate: false,
      reminderMonthsBefore: null,
    });
  });

  it('flags the self-assessment late after 6 months', () => {
    expect(pathwayOf(committed(), '2024-07-15').isAssessmentLate).toBe(true);
  });

  it('moves to assessment_submitted once a self-assessment follows the commitment', () => {
    expect(pathwayOf(committed({ lastAssessmentOn: '2024-05-01' }), '2024-06-01').status).toBe(
      'assessment_submitted',
    );
  });

  it('is certified while a certificate is active', () => {
    expect(pathwayOf(committed({ hasActiveCertificate: true }), '2030-01-01').status).toBe('certified');
  });

  it('starts reminders a year before the two-year mark', () => {
    const state = pathwayOf(committed(), '2025-01-15');
    expect(state).toMatchObject({
      status: 'committed',
      reminderMonthsBefore: 12,
      remindersStartedOn: '2025-01-15',
    });
    expect(
      pathwayOf(committed({ remindersStartedOn: '2025-01-15' }), '2025-12-20').reminderMonthsBefore,
    ).toBe(1);
  });

  it('turns inactive after two years without an assessment and a year of reminders', () => {
    expect(pathwayOf(committed({ remindersStartedOn: '2025-01-15' }), '2026-01-16').status).toBe('inactive');
  });

  it('does not turn inactive before a full year of reminders, even past the date', () => {
    // An old signatory imported today: its deadline passed long ago, its reminders start now.
    const state = pathwayOf(committed({ committedOn: '2015-03-01' }), '2026-01-16');
    expect(state).toMatchObject({ status: 'committed', remindersStartedOn: '2026-01-16' });
    expect(
      pathwayOf(committed({ committedOn: '2015-03-01', remindersStartedOn: '2026-01-16' }), '2027-01-16')
        .status,
    ).toBe('inactive');
  });

  it('waits three years after a certification', () => {
    const facts = committed({ lastCertifiedOn: '2024-06-01', remindersStartedOn: '2026-06-01' });
    expect(pathwayOf(facts, '2027-05-01').status).toBe('assessment_submitted');
    expect(pathwayOf(facts, '2027-06-02').status).toBe('inactive');
  });
});
