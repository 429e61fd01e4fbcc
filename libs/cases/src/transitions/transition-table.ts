import type { Actor } from '@app/common';
import { type CaseSnapshot, CaseRelation } from '../case-access.service';
import type { CaseStatus } from '../case-status';
import type { CaseAction } from './case-action';
import { PAYLOAD_PARSERS, type PayloadParser } from './transition-payloads';

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
  | 'mission_team_declared_without_conflict'
  | 'actor_declared_without_conflict'
  | 'committee_assigned'
  | 'decision_not_accepted'
  | 'appeal_window_open'
  | 'appeal_window_over_or_waived'
  | 'escalation_window_over_or_waived'
  | 'outcome_not_certified'
  | 'outcome_certified'
  | 'appeal_escalable'
  | 'not_pre_assessment'
  | 'initial_certification'
  | 'never_decided';

/** What the cases lib itself does when a transition runs, besides moving the status. */
export type BuiltInEffect =
  | 'assign_lead_rater'
  | 'open_committee_round'
  | 'set_response_due_date'
  | 'record_decision_date_and_open_appeal_window'
  | 'record_acceptance_of_decision'
  | 'set_appeal_response_due_date'
  | 'end_appeal_window'
  | 'reopen_indicators'
  | 'end_escalation_window'
  | 'record_postponement'
  | 'mark_pre_assessment';

/** A guard or effect another lib registers under this name, `<lib>.<what it does>`. */
export type TransitionHookName = `${string}.${string}`;

const NOTIFY: TransitionHookName = 'notifications.notify_handoff';

export interface TransitionRule<A extends CaseAction = CaseAction> {
  action: A;
  from: readonly CaseStatus[];
  to: CaseStatus;
  /** Where the case goes instead when the payload reopens indicators for a re-rating. */
  reopensTo?: CaseStatus;
  /** Who may take the action on this case (403 otherwise). */
  mayAct: (actor: Actor, snapshot: CaseSnapshot) => boolean;
  isReasonRequired: boolean;
  /** Parses the request's `data` once into the payload every guard and effect reads; its OpenAPI schema. */
  payload: PayloadParser<A>;
  /** Checked before the status moves, in this order: the built-in guards, then the registered ones. */
  guards: readonly BuiltInGuard[];
  externalGuards: readonly TransitionHookName[];
  /** Run after the status moved, in this order, in the same transaction. */
  effects: readonly BuiltInEffect[];
  externalEffects: readonly TransitionHookName[];
  description: string;
}

type RuleFields<A extends CaseAction> = Omit<TransitionRule<A>, 'action' | 'payload'>;

/** The status a transition leads to with this payload. */
export function targetStatus(rule: TransitionRule, payload: unknown): CaseStatus {
  const reopen = (payload as { reopenIndicators?: readonly string[] | null }).reopenIndicators;
  return rule.reopensTo && reopen && reopen.length > 0 ? rule.reopensTo : rule.to;
}

/** A row of the table, with its action's payload parser. */
function row<A extends CaseAction>(action: A, fields: RuleFields<A>): TransitionRule<A> {
  return { action, payload: PAYLOAD_PARSERS[action], ...fields };
}

const isInstitutionAdmin = (actor: Actor, snapshot: CaseSnapshot): boolean =>
  actor.role === 'institution_admin' && CaseRelation.isInstitutionUser(actor, snapshot);

/**
 * The case state machine of DOMAIN.md: the only description of which status follows which, and the full
 * list of what runs on each action (guards and effects, built in or registered by other libs).
 */
export const TRANSITIONS: readonly TransitionRule[] = [
  row('submit', {
    from: ['draft'],
    to: 'submitted',
    mayAct: isInstitutionAdmin,
    isReasonRequired: false,
    guards: ['institution_profile_complete', 'certifier_licensed_today', 'edition_open_for_case_type'],
    externalGuards: ['assessment.self_assessment_complete', 'certificates.certificate_may_be_concerned'],
    effects: [],
    externalEffects: ['cases.snapshot_profile', 'improvement.take_over_certificate_plan', NOTIFY],
    description: 'The institution applies to its chosen certification body',
  }),
  row('withdraw', {
    from: ['draft', 'submitted', 'desk_review', 'onsite', 'findings_issued'],
    to: 'withdrawn',
    mayAct: isInstitutionAdmin,
    isReasonRequired: true,
    // Once decided, a case reopened by its appeal ends by its decision (close or publish), never withdrawn.
    guards: ['never_decided'],
    externalGuards: [],
    effects: [],
    externalEffects: [],
    description: 'The institution ends the case before the committee reviews it',
  }),
  row('accept', {
    from: ['submitted'],
    to: 'desk_review',
    mayAct: (actor, snapshot) => CaseRelation.isCertifierAdmin(actor, snapshot),
    isReasonRequired: false,
    guards: ['certifier_licensed_today', 'lead_rater_valid', 'no_blocking_prior_service'],
    externalGuards: ['certificates.certificate_may_be_concerned'],
    effects: ['assign_lead_rater', 'record_postponement'],
    externalEffects: [NOTIFY],
    description: 'The certification body takes the engagement and names the lead rater',
  }),
  row('decline', {
    from: ['submitted', 'desk_review'],
    to: 'declined',
    mayAct: (actor, snapshot) => CaseRelation.isCertifierAdmin(actor, snapshot),
    isReasonRequired: true,
    guards: [],
    externalGuards: [],
    effects: [],
    externalEffects: [NOTIFY],
    description: 'The certification body declines the engagement, at submission or after the desk review',
  }),
  row('start_onsite', {
    from: ['desk_review'],
    to: 'onsite',
    mayAct: (actor, snapshot) => CaseRelation.isLeadRater(actor, snapshot),
    isReasonRequired: false,
    guards: ['mission_set', 'team_declared_without_conflict', 'no_blocking_prior_service'],
    externalGuards: [],
    effects: [],
    externalEffects: [],
    description: 'The lead rater starts the onsite mission with a declared, conflict-free team',
  }),
  row('issue_findings', {
    from: ['onsite'],
    to: 'findings_issued',
    mayAct: (actor, snapshot) => CaseRelation.isLeadRater(actor, snapshot),
    isReasonRequired: false,
    // The mission team may change after the visit began: whoever is on it now has declared, unconflicted.
    guards: ['mission_team_declared_without_conflict'],
    externalGuards: ['assessment.every_applicable_indicator_rated', 'findings.every_gap_has_a_finding'],
    effects: ['set_response_due_date'],
    externalEffects: [NOTIFY],
    description: 'The lead rater issues the findings; the institution answers them by the response date',
  }),
  row('refer_to_committee', {
    from: ['findings_issued'],
    to: 'committee_review',
    mayAct: (actor, snapshot) => CaseRelation.isLeadRater(actor, snapshot),
    isReasonRequired: false,
    guards: [
      'committee_assigned',
      'mission_team_declared_without_conflict',
      'committee_declared_without_conflict',
    ],
    externalGuards: ['findings.every_finding_answered_or_window_over'],
    effects: ['open_committee_round'],
    externalEffects: [NOTIFY],
    description: 'The lead rater hands the case to an independent committee; ratings freeze',
  }),
  row('return_to_team', {
    from: ['committee_review'],
    to: 'findings_issued',
    mayAct: (actor, snapshot) => CaseRelation.isCommitteeMember(actor, snapshot),
    isReasonRequired: true,
    guards: ['actor_declared_without_conflict'],
    externalGuards: [],
    effects: [],
    externalEffects: [NOTIFY],
    description: 'The committee sends the case back to the mission team with a note',
  }),
  row('decide', {
    from: ['committee_review'],
    to: 'decided',
    mayAct: (actor, snapshot) => CaseRelation.isCommitteeMember(actor, snapshot),
    isReasonRequired: false,
    guards: ['actor_declared_without_conflict'],
    externalGuards: [],
    effects: ['record_decision_date_and_open_appeal_window'],
    // The seal checks the decision rule (certified only when it holds, at a level no higher than earned),
    // writes the outcome and level once and seals the package; it refuses (422) and nothing is written.
    externalEffects: ['decisions.seal_decision_package', 'improvement.carry_open_actions_into_plan', NOTIFY],
    description:
      "A committee member seals the committee's decision once the quorum has voted and a majority agrees",
  }),
  row('accept_decision', {
    from: ['decided'],
    to: 'decided',
    mayAct: isInstitutionAdmin,
    isReasonRequired: false,
    guards: ['decision_not_accepted'],
    externalGuards: [],
    effects: ['record_acceptance_of_decision'],
    externalEffects: [NOTIFY],
    description: 'The institution accepts the decision and waives its appeal',
  }),
  row('appeal', {
    from: ['decided'],
    to: 'under_appeal',
    mayAct: isInstitutionAdmin,
    isReasonRequired: true,
    guards: ['decision_not_accepted', 'appeal_window_open'],
    externalGuards: ['decisions.one_appeal_per_case'],
    effects: ['set_appeal_response_due_date'],
    externalEffects: ['decisions.record_appeal', NOTIFY],
    description:
      'The institution appeals in writing within 10 working days of the decision; the body answers within 14 days',
  }),
  row('resolve_appeal', {
    from: ['under_appeal'],
    to: 'decided',
    reopensTo: 'findings_issued',
    mayAct: (actor, snapshot) => CaseRelation.isCommitteeMember(actor, snapshot),
    isReasonRequired: false,
    guards: ['actor_declared_without_conflict'],
    // The reviewer neither decided nor evaluated the case; an overturned outcome obeys the decision rule.
    externalGuards: ['decisions.independent_reviewer'],
    effects: ['end_appeal_window', 'reopen_indicators'],
    externalEffects: ['decisions.record_appeal_resolution', NOTIFY],
    description:
      'An independent committee member upholds or overturns the decision, or reopens indicators for a re-rating',
  }),
  row('escalate_appeal', {
    from: ['decided', 'under_appeal'],
    to: 'under_escalation',
    mayAct: isInstitutionAdmin,
    isReasonRequired: true,
    // After the resolution, within 10 working days; or once the 14-day answer is overdue. Accepting the
    // decision (after the resolution too) waives the escalation.
    guards: ['decision_not_accepted', 'appeal_escalable'],
    externalGuards: [],
    effects: ['end_escalation_window'],
    externalEffects: ['decisions.record_escalation', NOTIFY],
    description:
      'The institution escalates a contested or unanswered appeal to the secretariat (standard owner)',
  }),
  row('resolve_escalation', {
    from: ['under_escalation'],
    to: 'decided',
    reopensTo: 'findings_issued',
    mayAct: (actor) => actor.role === 'secretariat_admin',
    isReasonRequired: false,
    guards: [],
    externalGuards: [],
    effects: ['reopen_indicators'],
    externalEffects: ['decisions.record_escalation_resolution', NOTIFY],
    description:
      'The secretariat records its finding: the decision upheld, overturned, or indicators reopened',
  }),
  row('close', {
    from: ['decided'],
    to: 'closed',
    mayAct: (actor) => actor.role === 'secretariat_officer',
    isReasonRequired: false,
    guards: ['outcome_not_certified', 'appeal_window_over_or_waived', 'escalation_window_over_or_waived'],
    externalGuards: ['certificates.certificate_held'],
    effects: [],
    // A check-in that ends not certified suspends the certificate it concerned.
    externalEffects: ['certificates.suspend_unconfirmed_certificate'],
    description:
      'The secretariat closes a case that was not certified (or a pre-assessment) once the appeal window is over',
  }),
  row('publish', {
    from: ['decided'],
    to: 'closed',
    mayAct: (actor) => actor.role === 'secretariat_officer',
    isReasonRequired: false,
    // Never while the appeal's resolution may still be escalated (nor, by `from`, while it is escalated):
    // a certificate issued then could not be withdrawn by the secretariat's finding.
    guards: [
      'outcome_certified',
      'not_pre_assessment',
      'appeal_window_over_or_waived',
      'escalation_window_over_or_waived',
    ],
    externalGuards: ['certificates.certificate_may_be_concerned'],
    effects: [],
    // A certificate is issued (or, for a check-in, confirmed).
    externalEffects: ['certificates.issue_certificate', NOTIFY],
    description:
      'The secretariat publishes a certified decision once the appeal and escalation windows are over or waived',
  }),
  row('postpone', {
    from: ['desk_review'],
    to: 'submitted',
    mayAct: (actor, snapshot) => CaseRelation.isCertifierAdmin(actor, snapshot),
    isReasonRequired: true,
    guards: [],
    externalGuards: [],
    effects: ['record_postponement'],
    externalEffects: [NOTIFY],
    description: 'After the desk review the body postpones the engagement until a date (not ready yet)',
  }),
  row('convert_to_pre_assessment', {
    from: ['desk_review'],
    to: 'desk_review',
    mayAct: (actor, snapshot) => CaseRelation.isCertifierAdmin(actor, snapshot),
    isReasonRequired: true,
    guards: ['initial_certification'],
    externalGuards: [],
    effects: ['mark_pre_assessment'],
    externalEffects: [NOTIFY],
    description: 'After the desk review the case continues as a confidential pre-assessment: never published',
  }),
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
