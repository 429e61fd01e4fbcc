import { type CaseSnapshot, CaseEditWindow, CaseRelation } from '@app/cases';
import { type Actor, ForbiddenError } from '@app/common';

/**
 * Who may change a case's evidence and when (the windows are the cases lib's edit-window table). The
 * caller already sees the case (else 404); a caller who may never do this gets 403, one whose case is
 * in the wrong status 409 EVIDENCE_LOCKED. Called again inside the transaction on the case as read
 * under its row lock (`EvidenceCaseAccess.lockVisible`).
 */
export const EvidenceAccessPolicy = {
  /** The case institution's users before the committee; the mission team's raters during the mission. */
  assertMayUpload(actor: Actor, snapshot: CaseSnapshot): void {
    if (CaseRelation.isInstitutionUser(actor, snapshot)) {
      CaseEditWindow.assertOpen('evidence_by_institution', snapshot.status);
      return;
    }
    if (CaseRelation.isOnMissionTeam(actor, snapshot)) {
      CaseEditWindow.assertOpen('evidence_by_raters', snapshot.status);
      return;
    }
    throw new ForbiddenError(
      "Only the case institution's users and the raters on its mission team upload evidence",
    );
  },

  /**
   * A new version of an item: as an upload, and only by the party that uploaded it (`isInstitutionsOwn`):
   * the institution does not supersede what the raters recorded, nor the raters the institution's.
   */
  assertMayAddVersion(actor: Actor, snapshot: CaseSnapshot, isInstitutionsOwn: boolean): void {
    EvidenceAccessPolicy.assertMayUpload(actor, snapshot);
    if (CaseRelation.isInstitutionUser(actor, snapshot) !== isInstitutionsOwn) {
      throw new ForbiddenError(
        isInstitutionsOwn
          ? "The institution's evidence gets new versions from the institution only"
          : 'Evidence the raters recorded gets new versions from the raters only',
      );
    }
  },

  /** The case institution's admin, before the onsite visit, and only the institution's own evidence. */
  assertMayDelete(actor: Actor, snapshot: CaseSnapshot, isInstitutionsOwn: boolean): void {
    if (!CaseRelation.isInstitutionUser(actor, snapshot) || actor.role !== 'institution_admin') {
      throw new ForbiddenError("Only the case institution's admin deletes evidence");
    }
    if (!isInstitutionsOwn) {
      throw new ForbiddenError('Evidence the raters recorded is theirs: the institution does not delete it');
    }
    CaseEditWindow.assertOpen('evidence_deletion', snapshot.status);
  },

  /** The raters on the mission team, during the mission. */
  assertMayRequest(actor: Actor, snapshot: CaseSnapshot): void {
    if (!CaseRelation.isOnMissionTeam(actor, snapshot)) {
      throw new ForbiddenError('Only the raters on the mission team request evidence');
    }
    CaseEditWindow.assertOpen('evidence_request', snapshot.status);
  },
};
