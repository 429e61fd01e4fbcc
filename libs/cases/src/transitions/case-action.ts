/** The actions of the case state machine implemented so far; the transition table holds one row per action. */
export const CASE_ACTIONS = [
  'submit',
  'withdraw',
  'accept',
  'decline',
  'start_onsite',
  'issue_findings',
  'refer_to_committee',
  'return_to_team',
  'decide',
  'accept_decision',
  'appeal',
  'resolve_appeal',
  'escalate_appeal',
  'resolve_escalation',
  'close',
  'publish',
  'postpone',
  'convert_to_pre_assessment',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
