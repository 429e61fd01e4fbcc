import { type CaseSnapshot, CaseRelation, type CaseStatus, STATUSES_BEFORE_COMMITTEE } from '@app/cases';
import { type Actor, ForbiddenError } from '@app/common';
import { EvidenceLockedError } from './evidence.errors';

/** While the mission team reviews evidence: raters upload and request evidence. */
const MISSION_STATUSES: readonly CaseStatus[] = ['desk_review', 'onsite', 'findings_issued'];
/** Evidence may be withdrawn until the onsite visit starts. */
const DELETABLE_STATUSES: readonly CaseStatus[] = ['draft', 'submitted', 'desk_review'];

/**
 * Who may change a case's evidence and when. The caller already sees the case (else 404); a caller
 * who may never do this gets 403, one whose case is in the wrong status 409 EVIDENCE_LOCKED.
 */
export const EvidenceAccessPolicy = {
  /** The case institution's users before the committee; the mission team's raters during the mission. */
  assertMayUpload(actor: Actor, snapshot: CaseSnapshot): void {
    if (CaseRelation.isInstitutionUser(actor, snapshot)) {
      if (!STATUSES_BEFORE_COMMITTEE.includes(snapshot.status)) {
        throw new EvidenceLockedError('Uploading evidence', snapshot.status);
      }
      return;
    }
    if (CaseRelation.isOnMissionTeam(actor, snapshot)) {
      if (!MISSION_STATUSES.includes(snapshot.status)) {
        throw new EvidenceLockedError('Uploading evidence as a rater', snapshot.status);
      }
      return;
    }
    throw new ForbiddenError(
      "Only the case institution's users and the raters on its mission team upload evidence",
    );
  },

  /** The case institution's admin, before the onsite visit. */
  assertMayDelete(actor: Actor, snapshot: CaseSnapshot): void {
    if (!CaseRelation.isInstitutionUser(actor, snapshot) || actor.role !== 'institution_admin') {
      throw new ForbiddenError("Only the case institution's admin deletes evidence");
    }
    if (!DELETABLE_STATUSES.includes(snapshot.status)) {
      throw new EvidenceLockedError('Deleting evidence', snapshot.status);
    }
  },

  /** The raters on the mission team, during the mission. */
  assertMayRequest(actor: Actor, snapshot: CaseSnapshot): void {
    if (!CaseRelation.isOnMissionTeam(actor, snapshot)) {
      throw new ForbiddenError('Only the raters on the mission team request evidence');
    }
    if (!MISSION_STATUSES.includes(snapshot.status)) {
      throw new EvidenceLockedError('Requesting evidence', snapshot.status);
    }
  },
};
