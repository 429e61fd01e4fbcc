/** No figure describing fewer institutions than this is ever shown. */
export const ANONYMITY_THRESHOLD = 5;

export interface CountedCell {
  institutions: number;
}

export type Suppressed<T> = (T & { suppressed: false }) | ({ [K in keyof T]: null } & { suppressed: true });

/**
 * A cell as it may be shown: as it is when it describes at least `ANONYMITY_THRESHOLD` institutions,
 * otherwise every figure (the institution count too) replaced by null and marked suppressed.
 */
export function suppressSmall<T extends CountedCell, K extends keyof T>(cell: T, keep: K[]): Suppressed<T> {
  return withhold(cell, keep, cell.institutions < ANONYMITY_THRESHOLD);
}

/** A cell as it may be shown: whole, or (`isWithheld`) every figure but `keep` replaced by null. */
export function withhold<T extends object, K extends keyof T>(
  cell: T,
  keep: K[],
  isWithheld: boolean,
): Suppressed<T> {
  if (!isWithheld) return { ...cell, suppressed: false };
  const hidden = Object.fromEntries(
    Object.keys(cell).map((key) => [key, keep.includes(key as K) ? cell[key as K] : null]),
  );
  return { ...hidden, suppressed: true };
}
