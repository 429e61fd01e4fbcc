export const CASE_STATUSES = [
  'draft',
  'submitted',
  'desk_review',
  'onsite',
  'findings_issued',
  'committee_review',
  'decided',
  'under_appeal',
  'under_escalation',
  'closed',
  'declined',
  'withdrawn',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_TYPES = ['certification', 'check_in', 'renewal'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CASE_OUTCOMES = ['certified', 'not_certified'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

export const TEAM_ROLES = ['lead_rater', 'rater', 'committee_member'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** Statuses in which the mission team works on the case before the committee: evidence may still change. */
export const STATUSES_BEFORE_COMMITTEE: readonly CaseStatus[] = [
  'draft',
  'submitted',
  'desk_review',
  'onsite',
  'findings_issued',
];

/** From these statuses on, the institution sees its case's ratings, results and findings. */
export const STATUSES_SHOWN_TO_INSTITUTION: readonly CaseStatus[] = [
  'findings_issued',
  'committee_review',
  'decided',
  'under_appeal',
  'under_escalation',
  'closed',
];
