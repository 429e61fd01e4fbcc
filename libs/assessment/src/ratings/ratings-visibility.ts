import { CaseRelation, type CaseSnapshot, STATUSES_SHOWN_TO_INSTITUTION } from '@app/cases';
import { type Actor, NotFoundError } from '@app/common';

/** Ratings stay with the certification body until findings are issued; before that the institution gets 404. */
export function assertRatingsVisible(actor: Actor, snapshot: CaseSnapshot): void {
  if (
    CaseRelation.isInstitutionUser(actor, snapshot) &&
    !STATUSES_SHOWN_TO_INSTITUTION.includes(snapshot.status)
  ) {
    throw new NotFoundError('Ratings');
  }
}
