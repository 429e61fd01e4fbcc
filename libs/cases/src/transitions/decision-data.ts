import { type ErrorDetail, ValidationError } from '@app/common';
import { CASE_OUTCOMES, type CaseOutcome } from '../case-status';

export interface DecisionData {
  outcome: CaseOutcome;
  level: string | null;
  rationale: string;
}

export interface AppealResolutionData {
  result: 'upheld' | 'overturned';
  /** The new outcome when overturned on the ratings as they stand. */
  decision: DecisionData | null;
  /**
   * When overturned because ratings were wrong: the indicators the team re-rates before a new referral
   * and decision (the case returns to findings_issued with only these ratings open).
   */
  reopenIndicators: string[] | null;
  rationale: string;
}

/** A level's name, such as silver. */
export const LEVEL_PATTERN = /^[a-z][a-z_]{0,49}$/;
/** The most ratings an overturned appeal may reopen. */
export const MAX_REOPENED_INDICATORS = 500;
export const INDICATOR_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$/;

const MAX_RATIONALE = 8000;

function text(data: Record<string, unknown>, field: string, problems: ErrorDetail[]): string {
  const value = data[field];
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push({ field: `data.${field}`, message: 'is required' });
    return '';
  }
  if (value.length > MAX_RATIONALE)
    problems.push({ field: `data.${field}`, message: `must be at most ${MAX_RATIONALE} characters` });
  return value.trim();
}

function outcomeAndLevel(
  data: Record<string, unknown>,
  problems: ErrorDetail[],
): { outcome: CaseOutcome; level: string | null } {
  const outcome = data.outcome;
  if (typeof outcome !== 'string' || !(CASE_OUTCOMES as readonly string[]).includes(outcome)) {
    problems.push({ field: 'data.outcome', message: `must be one of ${CASE_OUTCOMES.join(', ')}` });
  }
  const level = data.level;
  if (level !== undefined && level !== null && (typeof level !== 'string' || !LEVEL_PATTERN.test(level))) {
    problems.push({ field: 'data.level', message: 'must be a level of the edition such as silver' });
  }
  if (outcome === 'not_certified' && typeof level === 'string') {
    problems.push({ field: 'data.level', message: 'must be omitted when not certified' });
  }
  return { outcome: outcome as CaseOutcome, level: typeof level === 'string' ? level : null };
}

/** `decide`'s data: `{ outcome, level?, rationale }`. */
export function parseDecisionData(data: Record<string, unknown>): DecisionData {
  const problems: ErrorDetail[] = [];
  const { outcome, level } = outcomeAndLevel(data, problems);
  const rationale = text(data, 'rationale', problems);
  if (problems.length > 0) throw new ValidationError('The decision is incomplete', problems);
  return { outcome, level, rationale };
}

/** `decide`'s data: the deciding member's own vote `{ outcome, level?, rationale }`, or nothing. */
export interface DecideData {
  vote: DecisionData | null;
}

export function parseDecideData(data: Record<string, unknown>): DecideData {
  const isEmpty = data.outcome === undefined && data.level === undefined && data.rationale === undefined;
  return { vote: isEmpty ? null : parseDecisionData(data) };
}

/**
 * `resolve_appeal`'s and `resolve_escalation`'s data: `{ result, rationale }`; overturning names either
 * the new `outcome` (and `level`) or `reopenIndicators: [codes]` for a re-rating.
 */
export function parseAppealResolutionData(data: Record<string, unknown>): AppealResolutionData {
  const problems: ErrorDetail[] = [];
  const result = data.result;
  if (result !== 'upheld' && result !== 'overturned') {
    problems.push({ field: 'data.result', message: 'must be upheld or overturned' });
  }
  const rationale = text(data, 'rationale', problems);
  let decision: DecisionData | null = null;
  let reopenIndicators: string[] | null = null;
  const reopen = data.reopenIndicators;
  if (reopen !== undefined && reopen !== null) {
    if (
      !Array.isArray(reopen) ||
      reopen.length === 0 ||
      reopen.length > MAX_REOPENED_INDICATORS ||
      !reopen.every((code) => typeof code === 'string' && INDICATOR_CODE.test(code))
    ) {
      problems.push({
        field: 'data.reopenIndicators',
        message: 'must be a non-empty list of indicator codes',
      });
    } else {
      reopenIndicators = [...new Set(reopen as string[])];
    }
  }
  if (result === 'overturned') {
    if (reopenIndicators && (data.outcome !== undefined || data.level !== undefined)) {
      problems.push({
        field: 'data.outcome',
        message: 'is omitted when indicators are reopened for a re-rating',
      });
    } else if (!reopenIndicators) {
      decision = { ...outcomeAndLevel(data, problems), rationale };
    }
  } else if (data.outcome !== undefined || data.level !== undefined || reopenIndicators) {
    problems.push({ field: 'data.outcome', message: 'is only given when the decision is overturned' });
  }
  if (problems.length > 0) throw new ValidationError('The resolution is incomplete', problems);
  return { result: result as 'upheld' | 'overturned', decision, reopenIndicators, rationale };
}
