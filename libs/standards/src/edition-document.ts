export const PROFILE_FLAGS = [
  'offersCredit',
  'offersSavings',
  'offersInsurance',
  'offersPayments',
  'usesDigitalChannels',
  'usesAgents',
  'groupLending',
  'creditBureauAvailable',
] as const;
export type ProfileFlag = (typeof PROFILE_FLAGS)[number];

export const INDICATOR_LEVELS = ['entry', 'progress', 'advanced'] as const;
export type IndicatorLevel = (typeof INDICATOR_LEVELS)[number];

export interface AppliesWhen {
  anyOf?: ProfileFlag[];
  allOf?: ProfileFlag[];
}

export interface IndicatorDocument {
  code: string;
  statement: string;
  guidance: string;
  level?: IndicatorLevel;
  appliesWhen?: AppliesWhen;
}

export interface StandardDocument {
  code: string;
  title: string;
  indicators: IndicatorDocument[];
}

export interface PrincipleDocument {
  code: string;
  title: string;
  standards: StandardDocument[];
}

export interface RatingDefinition {
  value: string;
  label: string;
  compliant: boolean;
  requiresJustification: boolean;
  notApplicable: boolean;
}

export type DecisionRule =
  | { type: 'all_applicable_standards_met' }
  | { type: 'tiered'; tiers: { level: string; requiredIndicatorLevels: IndicatorLevel[] }[] };

/** A standards edition as kept in `standards/*.json` and exchanged through the API. */
export interface EditionDocument {
  id: string;
  title: string;
  effectiveFrom: string;
  validityMonths: number;
  checkInMonths: number | null;
  /** Days after a missed check-in date before the certificate is suspended (default 90). */
  checkInGraceDays?: number;
  /** The last day a new initial certification may be opened; check-ins and renewals stay allowed. */
  openForNewCasesUntil?: string | null;
  /** The day the edition was retired. */
  retiredOn?: string | null;
  scale: { ratings: RatingDefinition[] };
  decisionRule: DecisionRule;
  principles: PrincipleDocument[];
}

export interface EditionCounts {
  principleCount: number;
  standardCount: number;
  indicatorCount: number;
}

export function countEdition(document: EditionDocument): EditionCounts {
  const standards = document.principles.flatMap((principle) => principle.standards);
  return {
    principleCount: document.principles.length,
    standardCount: standards.length,
    indicatorCount: standards.reduce((sum, standard) => sum + standard.indicators.length, 0),
  };
}

/** Whether an indicator applies to an institution with the given profile flags. */
export function isIndicatorApplicable(
  indicator: Pick<IndicatorDocument, 'appliesWhen'>,
  profile: Partial<Record<ProfileFlag, boolean>> | null,
): boolean {
  const condition = indicator.appliesWhen;
  if (!condition) return true;
  const isSet = (flag: ProfileFlag): boolean => profile?.[flag] === true;
  const anyOk = !condition.anyOf || condition.anyOf.some(isSet);
  const allOk = !condition.allOf || condition.allOf.every(isSet);
  return anyOk && allOk;
}
