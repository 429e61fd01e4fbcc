import type { Actor } from '@app/common';
import { type CaseSnapshot, CaseRelation } from '../case-access.service';
import type { CaseStatus } from '../case-status';
import type { CaseAction } from './case-action';

/** Which built-in guards a transition runs; other libs may register more for an action. */
export type BuiltInGuard =
  | 'institution_profile_complete'
  | 'certifier_licensed_today'
  | 'edition_open_for_case_type'
  | 'lead_rater_valid'
  | 'no_blocking_prior_service'
  | 'mission_set'
  | 'team_declared_without_conflict'
  | 'committee_declared_without_conflict'
  | 'actor_declared_without_conflict'
  | 'response_due_date_valid'
  | 'committee_assigned'
  | 'decision_data_valid'
  | 'appeal_resolution_data_valid'
  | 'decision_not_accepted'
  | 'appeal_window_open'
  | 'appeal_window_over_or_waived'
  | 'outcome_not_certified'
  | 'outcome_certified';

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
    // The certificates lib adds: a check-in or renewal concerns a certificate the institution holds and may check or renew.
    guards: ['institution_profile_complete', 'certifier_licensed_today', 'edition_open_for_case_type'],
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
  {
    action: 'issue_findings',
    from: ['onsite'],
    to: 'findings_issued',
    mayAct: (actor, snapshot) => CaseRelation.isLeadRater(actor, snapshot),
    isReasonRequired: false,
    // Other libs add: every applicable indicator rated, every non-compliant one covered by a finding.
    guards: ['response_due_date_valid'],
    description: 'The lead rater issues the findings; the institution answers them by the response date',
  },
  {
    action: 'refer_to_committee',
    from: ['findings_issued'],
    to: 'committee_review',
    mayAct: (actor, snapshot) => CaseRelation.isLeadRater(actor, snapshot),
    isReasonRequired: false,
    // Other libs add: every finding answered, or the response date passed.
    guards: ['committee_assigned', 'committee_declared_without_conflict'],
    description: 'The lead rater hands the case to an independent committee; ratings freeze',
  },
  {
    action: 'return_to_team',
    from: ['committee_review'],
    to: 'findings_issued',
    mayAct: (actor, snapshot) => CaseRelation.isCommitteeMember(actor, snapshot),
    isReasonRequired: true,
    guards: ['actor_declared_without_conflict'],
    description: 'The committee sends the case back to the mission team with a note',
  },
  {
    action: 'decide',
    from: ['committee_review'],
    to: 'decided',
    mayAct: (actor, snapshot) => CaseRelation.isCommitteeMember(actor, snapshot),
    isReasonRequired: false,
    // The decisions lib adds: certified only when the decision rule holds, at a level no higher than earned.
    guards: ['decision_data_valid', 'actor_declared_without_conflict'],
    description: 'A committee member of the case decides; the decision package is sealed',
  },
  {
    action: 'accept_decision',
    from: ['decided'],
    to: 'decided',
    mayAct: isInstitutionAdmin,
    isReasonRequired: false,
    guards: ['decision_not_accepted'],
    description: 'The institution accepts the decision and waives its appeal',
  },
  {
    action: 'appeal',
    from: ['decided'],
    to: 'under_appeal',
    mayAct: isInstitutionAdmin,
    isReasonRequired: true,
    // The decisions lib adds: one appeal per case.
    guards: ['decision_not_accepted', 'appeal_window_open'],
    description: 'The institution appeals in writing within 10 working days of the decision',
  },
  {
    action: 'resolve_appeal',
    from: ['under_appeal'],
    to: 'decided',
    mayAct: (actor, snapshot) => CaseRelation.isCommitteeMember(actor, snapshot),
    isReasonRequired: false,
    // The decisions lib adds: the reviewer neither decided nor evaluated the case; an overturned outcome obeys the rule.
    guards: ['appeal_resolution_data_valid', 'actor_declared_without_conflict'],
    description: 'An independent committee member upholds or overturns the decision',
  },
  {
    action: 'close',
    from: ['decided'],
    to: 'closed',
    mayAct: (actor) => actor.role === 'secretariat_officer',
    isReasonRequired: false,
    guards: ['outcome_not_certified', 'appeal_window_over_or_waived'],
    description: 'The secretariat closes a case that was not certified once the appeal window is over',
  },
  {
    action: 'publish',
    from: ['decided'],
    to: 'closed',
    mayAct: (actor) => actor.role === 'secretariat_officer',
    isReasonRequired: false,
    // The certificates lib adds the effect: a certificate is issued (or, for a check-in, confirmed).
    guards: ['outcome_certified', 'appeal_window_over_or_waived'],
    description: 'The secretariat publishes a certified decision once the appeal window is over or waived',
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
