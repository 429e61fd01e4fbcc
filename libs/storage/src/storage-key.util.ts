// Generated keys only: letters, digits, `-` and `_` in `/`-separated segments, never `.` or `..`.
const STORAGE_KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/** Throws for a key that a caller did not generate the documented way (a programming error). */
export function assertStorageKey(key: string): void {
  if (key.length > 512 || !STORAGE_KEY.test(key)) throw new Error(`Invalid storage key: ${key}`);
}
