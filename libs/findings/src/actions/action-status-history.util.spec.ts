import { type ActionStatusEvent, statusWithoutHiddenVerifications } from './action-status-history.util';

const CHECK_IN = '6a1d3f00-0000-4000-8000-000000000001';
const EARLIER = '6a1d3f00-0000-4000-8000-000000000002';

const created: ActionStatusEvent = { action: 'action.created', caseId: EARLIER, data: { findingId: 'f' } };
const reported = (status: string, caseId = CHECK_IN): ActionStatusEvent => ({
  action: 'action.updated',
  caseId,
  data: { changes: { status }, fromVersion: 1 },
});
const verified = (result: string, caseId = CHECK_IN): ActionStatusEvent => ({
  action: 'action.verification_recorded',
  caseId,
  data: { result, note: 'Sampled 20 files' },
});

describe('statusWithoutHiddenVerifications', () => {
  it('returns the status the institution last reported when a hidden verification came after it', () => {
    expect(
      statusWithoutHiddenVerifications(
        [created, reported('in_progress', EARLIER), reported('done'), verified('not_verified')],
        new Set([CHECK_IN]),
      ),
    ).toBe('done');
  });

  it('keeps the result of a verification recorded in a case the institution sees', () => {
    expect(
      statusWithoutHiddenVerifications(
        [created, verified('not_verified', EARLIER), verified('verified')],
        new Set([CHECK_IN]),
      ),
    ).toBe('not_verified');
  });

  it('keeps a status the institution reported after a hidden verification', () => {
    expect(
      statusWithoutHiddenVerifications(
        [created, verified('not_verified'), reported('in_progress')],
        new Set([CHECK_IN]),
      ),
    ).toBe('in_progress');
  });

  it('ignores updates that do not change the status, and starts a recommendation open', () => {
    expect(
      statusWithoutHiddenVerifications(
        [
          { action: 'action.recommended', caseId: EARLIER, data: {} },
          { action: 'action.updated', caseId: EARLIER, data: { changes: { ownerName: 'Head of credit' } } },
        ],
        new Set(),
      ),
    ).toBe('open');
  });

  it('returns null when no event sets a status', () => {
    expect(statusWithoutHiddenVerifications([], new Set([CHECK_IN]))).toBeNull();
  });
});
