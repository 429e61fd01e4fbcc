import { CaseRelation, type CaseSnapshot, type CaseStatus } from '@app/cases';
import { type Actor, NotFoundError } from '@app/common';

/** From these statuses on, the institution sees the ratings and results of its case. */
const SHOWN_TO_INSTITUTION: readonly CaseStatus[] = [
  'findings_issued',
  'committee_review',
  'decided',
  'under_appeal',
  'closed',
];

/** Ratings stay with the certification body until findings are issued; before that the institution gets 404. */
export function assertRatingsVisible(actor: Actor, snapshot: CaseSnapshot): void {
  if (CaseRelation.isInstitutionUser(actor, snapshot) && !SHOWN_TO_INSTITUTION.includes(snapshot.status)) {
    throw new NotFoundError('Ratings');
  }
}
