/** The actions of the case state machine implemented so far; the transition table holds one row per action. */
export const CASE_ACTIONS = ['submit', 'withdraw', 'accept', 'decline', 'start_onsite'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
