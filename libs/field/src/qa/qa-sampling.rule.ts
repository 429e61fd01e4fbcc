import { createHash } from 'node:crypto';

/** Why a decided case is selected for a QA review. */
export const QA_REASONS = [
  /** The random share: the case's draw fell under `QA_SAMPLE_SHARE`. */
  'sampled',
  /** Every applicable indicator rated `met` and not one rating cites evidence. */
  'all_met_without_evidence',
  /** The decision is not what the edition's rule gives on the ratings (outcome or level). */
  'decision_against_results',
  /** The committee did not agree: at least one counted vote differed from the decision. */
  'committee_dissent',
] as const;
export type QaReason = (typeof QA_REASONS)[number];
/** A review the secretariat opens on a case that was not selected. */
export const MANUAL_REASON = 'manual';

/**
 * The case's draw in [0, 1): the first 32 bits of SHA-256 over `<caseId>|<decidedAt ISO>`. Anyone can
 * recompute it, so the random share is reproducible and cannot be steered case by case.
 */
export function qaDraw(caseId: string, decidedAt: Date): number {
  const digest = createHash('sha256').update(`${caseId}|${decidedAt.toISOString()}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

export interface QaCaseFacts {
  caseId: string;
  decidedAt: Date;
  outcome: 'certified' | 'not_certified';
  level: string | null;
  /** Applicable ratings: how many, how many `met`, how many cite at least one evidence item. */
  applicableRatings: number;
  metRatings: number;
  ratingsCitingEvidence: number;
  /** What the edition's rule gives on the ratings. */
  computed: { eligible: boolean; level: string | null };
  /** The edition certifies at levels (tiered): only then is the level compared. */
  isTiered: boolean;
  dissentCount: number;
}

export interface QaCheck {
  draw: number;
  reasons: QaReason[];
  details: Record<string, unknown>;
}

/** The sampling rule: the random share, then every flagged pattern. Pure, unit-tested. */
export function checkForQa(facts: QaCaseFacts, share: number): QaCheck {
  const draw = qaDraw(facts.caseId, facts.decidedAt);
  const reasons: QaReason[] = [];
  const details: Record<string, unknown> = {};
  if (draw < share) reasons.push('sampled');
  if (
    facts.applicableRatings > 0 &&
    facts.metRatings === facts.applicableRatings &&
    facts.ratingsCitingEvidence === 0
  ) {
    reasons.push('all_met_without_evidence');
    details.metWithoutEvidence = facts.metRatings;
  }
  const certified = facts.outcome === 'certified';
  const levelDiffers = certified && facts.isTiered && facts.level !== facts.computed.level;
  if (certified !== facts.computed.eligible || levelDiffers) {
    reasons.push('decision_against_results');
    details.decided = { outcome: facts.outcome, level: facts.level };
    details.computed = {
      outcome: facts.computed.eligible ? 'certified' : 'not_certified',
      level: facts.computed.level,
    };
  }
  if (facts.dissentCount > 0) {
    reasons.push('committee_dissent');
    details.dissentingVotes = facts.dissentCount;
  }
  return { draw, reasons, details };
}
