/**
 * A crosswalk (see `standards/schema/crosswalk.schema.json` and the README's "Crosswalks and pre-fill"):
 * many-to-many mappings of the item codes of one edition to those of another edition, or to Universal
 * Standards codes (`to: "ussepm"`, the codes items carry in `refs.ussepm`).
 */

export const MAPPING_KINDS = ['equivalent', 'partial', 'broader', 'narrower'] as const;
/**
 * How the `from` item relates to the `to` item: the same requirement, an overlap, a `from` item that asks
 * more than (covers) the `to` item, or one that covers only part of it.
 */
export type MappingKind = (typeof MAPPING_KINDS)[number];

/** The `to` of a crosswalk to Universal Standards codes rather than to an edition. */
export const USSEPM_TARGET = 'ussepm';

export interface CrosswalkMapping {
  from: string;
  to: string;
  kind: MappingKind;
  note?: string;
}

export interface CrosswalkDocument {
  schemaVersion?: 1;
  id: string;
  title?: string;
  description?: string;
  from: string;
  to: string;
  mappings: CrosswalkMapping[];
}

/** The Universal Standards codes an item names: `refs.ussepm` may list several, comma-separated. */
export function ussepmCodesOf(refs: Record<string, string> | undefined): string[] {
  const value = refs?.[USSEPM_TARGET];
  if (!value) return [];
  return value
    .split(',')
    .map((code) => code.trim())
    .filter((code) => code.length > 0);
}
