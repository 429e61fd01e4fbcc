import type { InstitutionProfile } from '@app/identity';
import { type EditionDocument, type IndicatorDocument, isIndicatorApplicable } from '@app/standards';

export interface IndicatorApplicability {
  indicator: IndicatorDocument;
  applicable: boolean;
  /** Why the profile makes it not applicable; null when it applies. */
  reason: string | null;
}

function describeCondition(indicator: IndicatorDocument): string {
  const parts: string[] = [];
  if (indicator.appliesWhen?.anyOf) parts.push(`any of ${indicator.appliesWhen.anyOf.join(', ')}`);
  if (indicator.appliesWhen?.allOf) parts.push(`all of ${indicator.appliesWhen.allOf.join(', ')}`);
  return parts.join(' and ');
}

/** Every indicator of the edition, with whether the institution's profile makes it apply. */
export function applicabilityOf(
  edition: EditionDocument,
  profile: InstitutionProfile | null,
): IndicatorApplicability[] {
  return edition.principles.flatMap((principle) =>
    principle.standards.flatMap((standard) =>
      standard.indicators.map((indicator) => {
        const applicable = isIndicatorApplicable(indicator, profile);
        return {
          indicator,
          applicable,
          reason: applicable
            ? null
            : `Not applicable to this institution: applies only with ${describeCondition(indicator)} in the institution profile`,
        };
      }),
    ),
  );
}
