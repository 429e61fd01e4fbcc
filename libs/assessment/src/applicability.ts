import type { InstitutionProfile } from '@app/identity';
import { describeAppliesWhen, type EditionItem, EditionTree, type EditionDocumentV2 } from '@app/standards';

export interface IndicatorApplicability {
  indicator: EditionItem;
  applicable: boolean;
  /** Why the profile makes it not applicable; null when it applies. */
  reason: string | null;
}

/**
 * The institution's values by driver key: the profile's own fields, then the extra `drivers` it stores for
 * drivers editions declare beyond them (the profile's own fields win on a clash).
 */
export function driverValuesOf(
  profile: InstitutionProfile | Record<string, unknown> | null,
): Record<string, unknown> | null {
  if (!profile) return null;
  const { drivers, ...fields } = profile as Record<string, unknown> & { drivers?: Record<string, unknown> };
  return { ...(drivers ?? {}), ...fields };
}

/**
 * Every indicator of the edition, with whether the institution's profile makes it apply. The profile is
 * read by driver key (any key the edition declares), so a new driver needs no code.
 */
export function applicabilityOf(
  edition: EditionDocumentV2,
  profile: InstitutionProfile | Record<string, unknown> | null,
): IndicatorApplicability[] {
  const tree = EditionTree.of(edition);
  const values = driverValuesOf(profile);
  return tree.indicators().map((indicator) => {
    const applicable = tree.applies(indicator, values);
    return {
      indicator,
      applicable,
      reason:
        applicable || !indicator.appliesWhen
          ? null
          : `Not applicable to this institution: applies only with ${describeAppliesWhen(indicator.appliesWhen)} in the institution profile`,
    };
  });
}
