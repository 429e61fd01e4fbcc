import { type Actor, isSecretariat } from '@app/common';
import { CaseRelation, type CaseSnapshot } from './case-access.service';
import { STATUSES_SHOWN_TO_INSTITUTION } from './case-status';

/** The parties of a case, as the history tells them apart. */
export type HistoryParty = 'institution' | 'certification_body' | 'secretariat';

/** What a party sees of one event type: nothing, or the event with these data fields (and the reason or not). */
export type EventVisibility =
  | 'hidden'
  | {
      /** The data fields shown; any other field is left out. `'all'` only where the whole event is the party's. */
      fields: readonly string[] | 'all';
      /** Whether the free-text reason is shown. */
      reason: boolean;
      /**
       * The event concerns ratings or findings: shown only in the statuses in which the institution sees the
       * case's ratings, results and findings (STATUSES_SHOWN_TO_INSTITUTION, the rule of the ratings and
       * findings routes).
       */
      onceFindingsIssued?: boolean;
    };

export interface EventRule {
  institution: EventVisibility;
  certificationBody: EventVisibility;
}

const ALL_WITH_REASON: EventVisibility = { fields: 'all', reason: true };
const shown = (fields: readonly string[], reason = false): EventVisibility => ({ fields, reason });
const shownOnceIssued = (fields: readonly string[], reason = false): EventVisibility => ({
  fields,
  reason,
  onceFindingsIssued: true,
});
/** The certification body sees every field of the events of the cases submitted to it. */
const forBoth = (institution: EventVisibility): EventRule => ({
  institution,
  certificationBody: ALL_WITH_REASON,
});

/** Fields the transition effects of other libs (certificates, decisions) add to a transition event. */
const CERTIFICATE_EFFECT_FIELDS = ['certificateNumber', 'checkInConfirmed', 'suspendedCertificate'];

/**
 * The one allow-list of what each party sees of each case event and of each field of its data. The
 * secretariat sees everything; an event type not listed here is hidden from the institution (deny by
 * default) and shown to the certification body and the secretariat. Conflict-of-interest statements are
 * for the certification body and the secretariat only; ratings and findings stay with the certification
 * body until findings are issued, as on their own routes.
 */
export const CASE_HISTORY_RULES: Readonly<Record<string, EventRule>> = {
  'case.created': forBoth(shown(['type', 'editionId', 'certifierId', 'certificateNumber'])),
  'case.updated': forBoth(shown(['type', 'editionId', 'certifierId', 'certificateNumber', 'fromVersion'])),
  'case.submit': forBoth(shown(['profile'], true)),
  'case.withdraw': forBoth(shown([], true)),
  'case.accept': forBoth(shown(['leadRaterId'])),
  'case.decline': forBoth(shown([], true)),
  'case.start_onsite': forBoth(shown([])),
  'case.issue_findings': forBoth(shown(['responseDueOn'])),
  // The lead rater's note to the committee and the committee's note to the team are internal.
  'case.refer_to_committee': forBoth(shown([])),
  'case.return_to_team': forBoth(shown([])),
  // The institution learns the committee's outcome and how many dissented, never who voted how.
  'case.decide': forBoth(
    shown(['outcome', 'level', 'rationale', 'appealDueOn', 'packageSha256', 'votes', 'dissentCount']),
  ),
  // Votes are the committee's: the institution never sees them; the certification body sees that a vote
  // was cast (the votes themselves on GET /cases/:id/votes, for the committee and the body's admin).
  'committee.vote_cast': {
    institution: 'hidden',
    certificationBody: shown(['round', 'version']),
  },
  'case.accept_decision': forBoth(shown(['appealWaived'], true)),
  'case.appeal': forBoth(shown(['grounds', 'appealResponseDueOn'], true)),
  'case.resolve_appeal': forBoth(
    shown(
      ['result', 'rationale', 'outcome', 'level', 'packageSha256', 'escalationDueOn', 'reopenIndicators'],
      true,
    ),
  ),
  'case.escalate_appeal': forBoth(shown(['grounds'], true)),
  'case.resolve_escalation': forBoth(
    shown(['result', 'rationale', 'outcome', 'level', 'packageSha256', 'reopenIndicators'], true),
  ),
  'case.postpone': forBoth(shown(['until'], true)),
  'case.convert_to_pre_assessment': forBoth(shown(['isPreAssessment'], true)),
  'case.close': forBoth(shown(CERTIFICATE_EFFECT_FIELDS, true)),
  'case.publish': forBoth(shown(CERTIFICATE_EFFECT_FIELDS, true)),
  'case.team_assigned': forBoth(shown(['leadRaterId', 'raterIds', 'committeeMemberIds', 'committeeChairId'])),
  // The case shows each member's declaration (conflict or not, when); the statement is not the institution's.
  'case.conflict_declared': forBoth(shown(['userId', 'hasConflict'])),
  'case.mission_set': forBoth(shown(['startsOn', 'endsOn', 'branchesVisited', 'interviews', 'branches'])),
  'case.profile_amended': forBoth(shown(['before', 'after', 'fromVersion'], true)),
  'self_assessment.saved': forBoth(shown(['answers'])),
  // The institution's own pre-fill: where from, through which crosswalk, what it proposed (unconfirmed).
  'self_assessment.prefilled': forBoth(shown(['source', 'crosswalkId', 'counts', 'answers'])),
  'ratings.saved': forBoth(shownOnceIssued(['ratings'])),
  'finding.created': forBoth(shownOnceIssued(['indicatorCodes', 'severity'])),
  'finding.updated': forBoth(shownOnceIssued(['changes', 'fromVersion'])),
  'finding.resolution_recorded': forBoth(shownOnceIssued(['status', 'note'])),
  'finding.responded': forBoth(shown(['responseId', 'evidenceIds'])),
  // Corrective actions and their verification follow the findings' rule.
  'action.created': forBoth(shownOnceIssued(['findingId', 'indicatorCodes', 'dueOn'])),
  'action.recommended': forBoth(shownOnceIssued(['indicatorCodes', 'ownerName', 'dueOn'])),
  'action.updated': forBoth(shownOnceIssued(['changes', 'fromVersion'])),
  'action.verification_recorded': forBoth(shownOnceIssued(['result', 'note'])),
  'evidence.uploaded': forBoth(
    shown([
      'title',
      'indicatorCodes',
      'version',
      'versionId',
      'fileName',
      'contentType',
      'size',
      'sha256',
      'fulfilledRequestIds',
    ]),
  ),
  'evidence.version_added': forBoth(
    shown(['version', 'versionId', 'fileName', 'contentType', 'size', 'sha256', 'fulfilledRequestIds']),
  ),
  'evidence.deleted': forBoth(shown(['title', 'version', 'caseStatus'])),
  'evidence_request.created': forBoth(shown(['indicatorCodes', 'description', 'dueOn'])),
  'certificate.issued': forBoth(shown(['level', 'packageSha256'])),
  'certificate.check_in_confirmed': forBoth(shown([])),
  'certificate.suspend': forBoth(shown([], true)),
  'certificate.reinstate': forBoth(shown([], true)),
  'certificate.revoke': forBoth(shown([], true)),
  'certificate.superseded': forBoth(shown([], true)),
  'certificate.expired': forBoth(shown([], true)),
};

const UNKNOWN_EVENT: EventRule = { institution: 'hidden', certificationBody: ALL_WITH_REASON };

/** Which party the caller is to the case (the caller already sees the case). */
export function historyPartyOf(actor: Actor, snapshot: CaseSnapshot): HistoryParty {
  if (isSecretariat(actor)) return 'secretariat';
  if (CaseRelation.isInstitutionUser(actor, snapshot)) return 'institution';
  return 'certification_body';
}

export interface HistoryEventInput {
  action: string;
  reason: string | null;
  data: Record<string, unknown>;
}

/**
 * The event as the party may see it, or null when it is hidden. `caseStatus` is the case's current status,
 * which decides whether ratings and findings are shown to the institution yet.
 */
export function visibleHistoryEvent<T extends HistoryEventInput>(
  party: HistoryParty,
  caseStatus: CaseSnapshot['status'],
  event: T,
): T | null {
  if (party === 'secretariat') return event;
  const rule = CASE_HISTORY_RULES[event.action] ?? UNKNOWN_EVENT;
  const visibility = party === 'institution' ? rule.institution : rule.certificationBody;
  if (visibility === 'hidden') return null;
  if (visibility.onceFindingsIssued && !STATUSES_SHOWN_TO_INSTITUTION.includes(caseStatus)) return null;
  const fields = visibility.fields;
  const data =
    fields === 'all'
      ? event.data
      : Object.fromEntries(Object.entries(event.data ?? {}).filter(([field]) => fields.includes(field)));
  return { ...event, reason: visibility.reason ? event.reason : null, data };
}
