/** The longest field name an error answer repeats. */
export const MAX_ECHOED_FIELD_LENGTH = 64;

/**
 * A field name chosen by the caller (an unknown parameter or body field), made safe to repeat in an
 * error: only letters, digits and `_ . - [ ]` are kept (anything else becomes `_`) and it is cut to
 * MAX_ECHOED_FIELD_LENGTH characters. An error never reflects what an attacker typed as it was typed.
 */
export function safeFieldName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.[\]-]/g, '_');
  return cleaned.length > MAX_ECHOED_FIELD_LENGTH ? `${cleaned.slice(0, MAX_ECHOED_FIELD_LENGTH)}…` : cleaned;
}
