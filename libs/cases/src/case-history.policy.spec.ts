import { CASE_ACTIONS } from './transitions/case-action';
import { CASE_HISTORY_RULES, visibleHistoryEvent } from './case-history.policy';

const event = (action: string, data: Record<string, unknown> = {}, reason: string | null = 'why') => ({
  id: 'event-1',
  action,
  reason,
  data,
});

describe('visibleHistoryEvent', () => {
  it('has a rule for every transition of the state machine', () => {
    expect(CASE_ACTIONS.filter((action) => !CASE_HISTORY_RULES[`case.${action}`])).toEqual([]);
  });

  it('hides an event type no rule lists from the institution, not from the others', () => {
    const unknown = event('case.something_new', { secret: 1 });
    expect(visibleHistoryEvent('institution', 'closed', unknown)).toBeNull();
    expect(visibleHistoryEvent('certification_body', 'closed', unknown)).toEqual(unknown);
    expect(visibleHistoryEvent('secretariat', 'closed', unknown)).toEqual(unknown);
  });

  it('leaves the conflict-of-interest statement out for the institution only', () => {
    const declared = event('case.conflict_declared', {
      userId: 'u',
      hasConflict: true,
      statement: 'I advised them',
    });
    expect(visibleHistoryEvent('institution', 'onsite', declared)?.data).toEqual({
      userId: 'u',
      hasConflict: true,
    });
    expect(visibleHistoryEvent('certification_body', 'onsite', declared)?.data.statement).toBe(
      'I advised them',
    );
  });

  it('shows ratings and findings to the institution only from findings_issued on', () => {
    const saved = event('ratings.saved', { ratings: [{ code: '1.1.1', rating: 'not_met' }] });
    for (const status of ['submitted', 'desk_review', 'onsite', 'withdrawn'] as const) {
      expect(visibleHistoryEvent('institution', status, saved)).toBeNull();
    }
    for (const status of [
      'findings_issued',
      'committee_review',
      'decided',
      'under_appeal',
      'closed',
    ] as const) {
      expect(visibleHistoryEvent('institution', status, saved)?.data).toEqual(saved.data);
    }
    expect(visibleHistoryEvent('certification_body', 'onsite', saved)).toEqual(saved);
  });

  it('drops the data fields and the reason the rule does not list', () => {
    const referred = event('case.refer_to_committee', { note: 'internal' }, 'internal note');
    expect(visibleHistoryEvent('institution', 'committee_review', referred)).toEqual({
      ...referred,
      reason: null,
      data: {},
    });
  });
});
