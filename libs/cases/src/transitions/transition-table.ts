import type { Actor } from '@app/common';
import { type CaseSnapshot, CaseRelation } from '../case-access.service';
import type { CaseStatus } from '../case-status';
import type { CaseAction } from './case-action';

/** Which built-in guards a transition runs; other libs may register more for an action. */
export type BuiltInGuard =
  | 'institution_profile_complete'
  | 'certifier_licensed_today'
  | 'lead_rater_valid'
  | 'no_blocking_prior_service'
  | 'mission_set'
  | 'team_declared_without_conflict';

export interface TransitionRule {
  action: CaseAction;
  from: readonly CaseStatus[];
  to: CaseStatus;
  /** Who may take the action on this case (403 otherwise). */
  mayAct: (actor: Actor, snapshot: CaseSnapshot) => boolean;
  isReasonRequired: boolean;
  guards: readonly BuiltInGuard[];
  description: string;
}

const isInstitutionAdmin = (actor: Actor, snapshot: CaseSnapshot): boolean =>
  actor.role === 'institution_admin' && CaseRelation.isInstitutionUser(actor, snapshot);

/** The case state machine of DOMAIN.md: the only description of which status follows which. */
export const TRANSITIONS: readonly TransitionRule[] = [
  {
    action: 'submit',
    from: ['draft'],
    to: 'submitted',
    mayAct: isInstitutionAdmin,
    isReasonRequired: false,
    guards: ['institution_profile_complete', 'certifier_licensed_today'],
    description: 'The institution applies to its chosen certification body',
  },
  {
    action: 'withdraw',
    from: ['draft', 'submitted', 'desk_review', 'onsite', 'findings_issued'],
    to: 'withdrawn',
    mayAct: isInstitutionAdmin,
    isReasonRequired: true,
    guards: [],
    description: 'The institution ends the case before the committee reviews it',
  },
  {
    action: 'accept',
    from: ['submitted'],
    to: 'desk_review',
    mayAct: (actor, snapshot) => CaseRelation.isCertifierAdmin(actor, snapshot),
    isReasonRequired: false,
    guards: ['certifier_licensed_today', 'lead_rater_valid', 'no_blocking_prior_service'],
    description: 'The certification body takes the engagement and names the lead rater',
  },
  {
    action: 'decline',
    from: ['submitted'],
    to: 'declined',
    mayAct: (actor, snapshot) => CaseRelation.isCertifierAdmin(actor, snapshot),
    isReasonRequired: true,
    guards: [],
    description: 'The certification body declines the engagement',
  },
  {
    action: 'start_onsite',
    from: ['desk_review'],
    to: 'onsite',
    mayAct: (actor, snapshot) => CaseRelation.isLeadRater(actor, snapshot),
    isReasonRequired: false,
    guards: ['mission_set', 'team_declared_without_conflict', 'no_blocking_prior_service'],
    description: 'The lead rater starts the onsite mission with a declared, conflict-free team',
  },
];

export function findRule(action: CaseAction): TransitionRule | undefined {
  return TRANSITIONS.find((rule) => rule.action === action);
}

/** The actions this caller may take on the case now (guards are checked when the action is taken). */
export function availableActions(actor: Actor, snapshot: CaseSnapshot): CaseAction[] {
  return TRANSITIONS.filter(
    (rule) => rule.from.includes(snapshot.status) && rule.mayAct(actor, snapshot),
  ).map((rule) => rule.action);
}
