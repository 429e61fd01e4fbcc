import { DomainError, ErrorCode, NotFoundError } from '@app/common';
import type { EntityManager } from 'typeorm';
import type { CaseStatus } from './case-status';

/** Every kind of change to a case's content that is open only while the case is in some statuses. */
export const CASE_EDITS = [
  'case_scope',
  'self_assessment',
  'team',
  'committee',
  'coi_declaration',
  'mission',
  'evidence_by_institution',
  'evidence_by_raters',
  'evidence_deletion',
  'evidence_request',
  'ratings',
  'findings',
  'finding_responses',
  'finding_resolutions',
  'actions',
  'action_verifications',
  'votes',
] as const;
export type CaseEdit = (typeof CASE_EDITS)[number];

interface EditWindow {
  /** The statuses in which the edit is open. */
  openIn: readonly CaseStatus[];
  /** What the refusal names, e.g. "Ratings cannot change while the case is committee_review". */
  what: string;
  /** The code the API has always answered for this edit out of its window (409 either way). */
  code: ErrorCode.CaseLocked | ErrorCode.EvidenceLocked;
}

/**
 * When each edit is open: the one table the services and their locks read. A transition that moves a
 * case out of a status closes the edits open there; it locks the case row `FOR UPDATE` first, and every
 * edit locks the same row (`FOR SHARE`, or `FOR UPDATE` when it updates the row) and checks this table
 * in its own transaction, so an edit commits either before the transition or not at all.
 */
export const CASE_EDIT_WINDOWS: Readonly<Record<CaseEdit, EditWindow>> = {
  // The institution prepares its application.
  case_scope: { openIn: ['draft'], what: 'The case scope', code: ErrorCode.CaseLocked },
  self_assessment: { openIn: ['draft'], what: 'The self-assessment', code: ErrorCode.CaseLocked },
  // The mission team is set from acceptance until the committee takes over.
  team: {
    openIn: ['desk_review', 'onsite', 'findings_issued'],
    what: 'The team',
    code: ErrorCode.CaseLocked,
  },
  // Later the mission team is fixed, but committee members may still be added (an appeal needs a fresh one).
  committee: {
    openIn: ['desk_review', 'onsite', 'findings_issued', 'committee_review', 'decided', 'under_appeal'],
    what: 'The committee',
    code: ErrorCode.CaseLocked,
  },
  // Whoever is on the team declares while the case is worked on, up to the resolution of an appeal.
  coi_declaration: {
    openIn: ['desk_review', 'onsite', 'findings_issued', 'committee_review', 'decided', 'under_appeal'],
    what: 'Conflict-of-interest declarations',
    code: ErrorCode.CaseLocked,
  },
  mission: { openIn: ['desk_review', 'onsite'], what: 'The mission', code: ErrorCode.CaseLocked },
  // The institution adds evidence until the committee reviews the case.
  evidence_by_institution: {
    openIn: ['draft', 'submitted', 'desk_review', 'onsite', 'findings_issued'],
    what: 'Uploading evidence',
    code: ErrorCode.EvidenceLocked,
  },
  evidence_by_raters: {
    openIn: ['desk_review', 'onsite', 'findings_issued'],
    what: 'Uploading evidence as a rater',
    code: ErrorCode.EvidenceLocked,
  },
  // Evidence may be withdrawn until the onsite visit starts.
  evidence_deletion: {
    openIn: ['draft', 'submitted', 'desk_review'],
    what: 'Deleting evidence',
    code: ErrorCode.EvidenceLocked,
  },
  evidence_request: {
    openIn: ['desk_review', 'onsite', 'findings_issued'],
    what: 'Requesting evidence',
    code: ErrorCode.EvidenceLocked,
  },
  // Ratings freeze when the case is referred to the committee.
  ratings: { openIn: ['onsite', 'findings_issued'], what: 'Ratings', code: ErrorCode.CaseLocked },
  findings: { openIn: ['onsite', 'findings_issued'], what: 'Findings', code: ErrorCode.CaseLocked },
  finding_responses: {
    openIn: ['findings_issued'],
    what: 'Responses to findings',
    code: ErrorCode.CaseLocked,
  },
  finding_resolutions: {
    openIn: ['findings_issued'],
    what: 'Finding resolution',
    code: ErrorCode.CaseLocked,
  },
  // Corrective actions are worked on in their own case until the committee reviews it, and in the check-in
  // or renewal of the certificate they were carried into from its draft on.
  actions: {
    openIn: ['draft', 'submitted', 'desk_review', 'onsite', 'findings_issued'],
    what: 'Corrective actions',
    code: ErrorCode.CaseLocked,
  },
  // The raters verify them during the mission of the case they are worked in.
  action_verifications: {
    openIn: ['onsite', 'findings_issued'],
    what: 'Verifying corrective actions',
    code: ErrorCode.CaseLocked,
  },
  // Committee members vote (and change their vote) while the committee has the case, until it is sealed.
  votes: { openIn: ['committee_review'], what: 'Committee votes', code: ErrorCode.CaseLocked },
};

/** An edit refused because the case's status closed its window: 409 CASE_LOCKED or EVIDENCE_LOCKED. */
export class EditWindowClosedError extends DomainError {
  constructor(edit: CaseEdit, status: CaseStatus) {
    const window = CASE_EDIT_WINDOWS[edit];
    super(
      window.code,
      window.code === ErrorCode.EvidenceLocked
        ? `${window.what} is not possible while the case is ${status}`
        : `${window.what} cannot change while the case is ${status}`,
      [{ message: window.what, status }],
    );
  }
}

/** The case row as an edit locked it. */
export interface LockedCase {
  id: string;
  status: CaseStatus;
  version: number;
  /** After an upheld appeal or escalation: the only indicators whose ratings may change. */
  reopenedIndicatorCodes: string[] | null;
}

export type CaseLockMode = 'share' | 'update';

/** Locks the case row in the caller's transaction; null when there is no such case. */
export async function lockCaseRow(
  manager: EntityManager,
  caseId: string,
  mode: CaseLockMode,
): Promise<LockedCase | null> {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new Error('A case row is locked inside the transaction that makes the change');
  }
  const rows = await manager.query<LockedCase[]>(
    `SELECT id, status, version, reopened_indicator_codes AS "reopenedIndicatorCodes" FROM certification_case WHERE id = $1 ${mode === 'update' ? 'FOR UPDATE' : 'FOR SHARE'}`,
    [caseId],
  );
  return rows[0] ?? null;
}

export const CaseEditWindow = {
  isOpen(edit: CaseEdit, status: CaseStatus): boolean {
    return CASE_EDIT_WINDOWS[edit].openIn.includes(status);
  },

  /** Refuses the edit (409) when its window is closed in `status`. */
  assertOpen(edit: CaseEdit, status: CaseStatus): void {
    if (!CaseEditWindow.isOpen(edit, status)) throw new EditWindowClosedError(edit, status);
  },

  /**
   * Inside the edit's transaction: locks the case row — `share` when the edit writes other rows (edits
   * run side by side, a transition waits for them and they for it), `update` when it updates the case
   * row itself — and checks the edit's window on the status read under the lock.
   */
  async lockForEdit(
    manager: EntityManager,
    caseId: string,
    edit: CaseEdit,
    mode: CaseLockMode = 'share',
    indicatorCodes: readonly string[] = [],
  ): Promise<LockedCase> {
    return CaseEditWindow.assertLockedOpen(await lockCaseRow(manager, caseId, mode), edit, indicatorCodes);
  },

  /**
   * The checks of `lockForEdit` on a case row its caller locked itself (in the statement that makes the
   * change, which must then be undone when this throws): 404 when there is no such case, 409 when the
   * edit's window is closed or, for ratings, an indicator is not reopened.
   */
  assertLockedOpen(
    locked: LockedCase | null,
    edit: CaseEdit,
    indicatorCodes: readonly string[] = [],
  ): LockedCase {
    if (!locked) throw new NotFoundError('Case');
    CaseEditWindow.assertOpen(edit, locked.status);
    if (edit === 'ratings') CaseEditWindow.assertIndicatorsReopened(locked, indicatorCodes);
    return locked;
  },

  /**
   * A case reopened for a re-rating (an upheld appeal or escalation) opens only the reopened indicators'
   * ratings; every other rating stays as the sealed decision saw it (409 CASE_LOCKED naming them).
   */
  assertIndicatorsReopened(locked: LockedCase, indicatorCodes: readonly string[]): void {
    const reopened = locked.reopenedIndicatorCodes;
    if (reopened === null) return;
    const closed = indicatorCodes.filter((code) => !reopened.includes(code));
    if (closed.length > 0) {
      throw new DomainError(
        ErrorCode.CaseLocked,
        `Only the reopened indicators (${reopened.join(', ')}) may be re-rated`,
        closed.map((code) => ({
          field: 'ratings',
          message: 'is not reopened for a re-rating',
          indicatorCode: code,
        })),
      );
    }
  },
};
