import type { CrosswalkMapping, MappingKind, RatingDefinitionV2 } from '@app/standards';

/** How a pre-filled answer was reached: the same indicator of the same edition, or a crosswalk mapping kind. */
export type PrefillMappingKind = 'identical' | MappingKind;

export const MAX_PREFILLED_COMMENT = 4000;

/** A source answer (the institution's own, from a previous case or a workbook). */
export interface SourceAnswer {
  rating: string;
  comment: string | null;
}

export interface PrefillPlanInput {
  sourceEditionId: string;
  /** Answers by indicator code of the source edition. */
  sourceAnswers: ReadonlyMap<string, SourceAnswer>;
  sourceScale: readonly RatingDefinitionV2[];
  targetScale: readonly RatingDefinitionV2[];
  /** The target case's indicators in order, with their applicability under the case's profile. */
  targetIndicators: readonly { code: string; applicable: boolean }[];
  /** Null when source and target share the edition; else the crosswalk oriented source → target. */
  mappings: readonly CrosswalkMapping[] | null;
  /** Indicators whose stored answer is confirmed: never overwritten. */
  confirmedCodes: ReadonlySet<string>;
}

export interface PrefillProposal {
  indicatorCode: string;
  rating: string;
  comment: string | null;
  mappingKind: PrefillMappingKind;
  /** The source indicators the answer was taken from. */
  fromCodes: string[];
  /** Not an identical or equivalent mapping, or the source answers disagree: the institution should look closer. */
  needsReview: boolean;
}

export interface PrefillPlan {
  proposals: PrefillProposal[];
  counts: {
    prefilled: number;
    needsReview: number;
    /** Applicable target indicators with a confirmed answer, left as they are. */
    keptConfirmed: number;
    /** Target indicators the profile makes not applicable (nothing to answer). */
    notApplicableHere: number;
    /** Applicable target indicators no source answer reaches. */
    unmapped: number;
  };
}

/**
 * A rating of the source scale on the target scale: the same value when the target has it; else the
 * not-applicable rating for not applicable, or the best target rating scoring no higher than the source one
 * (never rounding up). Undefined for a value the source scale does not know.
 */
export function translateRating(
  value: string,
  sourceScale: readonly RatingDefinitionV2[],
  targetScale: readonly RatingDefinitionV2[],
): RatingDefinitionV2 | undefined {
  const same = targetScale.find((rating) => rating.value === value);
  if (same) return same;
  const source = sourceScale.find((rating) => rating.value === value);
  if (!source) return undefined;
  if (source.notApplicable) return targetScale.find((rating) => rating.notApplicable);
  const scored = targetScale
    .filter((rating) => !rating.notApplicable && rating.score !== undefined)
    .sort((a, b) => b.score! - a.score!);
  return scored.find((rating) => rating.score! <= (source.score ?? 0)) ?? scored[scored.length - 1];
}

interface Candidate {
  fromCode: string;
  rating: RatingDefinitionV2;
  comment: string | null;
  kind: PrefillMappingKind;
}

function combinedComment(candidates: Candidate[]): string | null {
  const withComment = candidates.filter((candidate) => candidate.comment);
  if (withComment.length === 0) return null;
  const text =
    candidates.length === 1
      ? withComment[0].comment!
      : withComment.map((candidate) => `${candidate.fromCode}: ${candidate.comment}`).join('\n');
  return text.length > MAX_PREFILLED_COMMENT ? `${text.slice(0, MAX_PREFILLED_COMMENT - 1)}…` : text;
}

/**
 * What a pre-fill would write: for every applicable target indicator without a confirmed answer, the source
 * answers that reach it (the same code in the same edition, or through the crosswalk's mappings). Several
 * source answers give the lowest-scoring of their ratings (not applicable only when all say so); anything but
 * an identical or equivalent mapping, or disagreeing sources, is flagged for review.
 */
export function planPrefill(input: PrefillPlanInput): PrefillPlan {
  const toTarget = new Map<string, { fromCode: string; kind: PrefillMappingKind }[]>();
  if (input.mappings === null) {
    for (const code of input.sourceAnswers.keys())
      toTarget.set(code, [{ fromCode: code, kind: 'identical' }]);
  } else {
    for (const mapping of input.mappings) {
      const list = toTarget.get(mapping.to) ?? [];
      list.push({ fromCode: mapping.from, kind: mapping.kind });
      toTarget.set(mapping.to, list);
    }
  }
  const counts: PrefillPlan['counts'] = {
    prefilled: 0,
    needsReview: 0,
    keptConfirmed: 0,
    notApplicableHere: 0,
    unmapped: 0,
  };
  const proposals: PrefillProposal[] = [];
  for (const indicator of input.targetIndicators) {
    if (!indicator.applicable) {
      counts.notApplicableHere++;
      continue;
    }
    if (input.confirmedCodes.has(indicator.code)) {
      counts.keptConfirmed++;
      continue;
    }
    const candidates: Candidate[] = [];
    for (const { fromCode, kind } of toTarget.get(indicator.code) ?? []) {
      const answer = input.sourceAnswers.get(fromCode);
      if (!answer) continue;
      const rating = translateRating(answer.rating, input.sourceScale, input.targetScale);
      if (rating) candidates.push({ fromCode, rating, comment: answer.comment, kind });
    }
    if (candidates.length === 0) {
      counts.unmapped++;
      continue;
    }
    const rated = candidates.filter((candidate) => !candidate.rating.notApplicable);
    const chosen = rated.length
      ? rated.reduce((lowest, candidate) =>
          (candidate.rating.score ?? 0) < (lowest.rating.score ?? 0) ? candidate : lowest,
        )
      : candidates[0];
    const kinds = new Set(candidates.map((candidate) => candidate.kind));
    const mappingKind: PrefillMappingKind = kinds.size === 1 ? candidates[0].kind : 'partial';
    const disagree = new Set(candidates.map((candidate) => candidate.rating.value)).size > 1;
    let comment = combinedComment(candidates);
    if (chosen.rating.notApplicable && !comment) {
      comment = `Not applicable in ${input.sourceEditionId} (${candidates.map((candidate) => candidate.fromCode).join(', ')})`;
    }
    const needsReview = !(mappingKind === 'identical' || mappingKind === 'equivalent') || disagree;
    proposals.push({
      indicatorCode: indicator.code,
      rating: chosen.rating.value,
      comment,
      mappingKind,
      fromCodes: candidates.map((candidate) => candidate.fromCode),
      needsReview,
    });
    counts.prefilled++;
    if (needsReview) counts.needsReview++;
  }
  return { proposals, counts };
}
