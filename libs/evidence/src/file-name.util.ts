export const MAX_FILE_NAME_LENGTH = 200;

// C0/C1 controls, bidirectional overrides and isolates (they disguise extensions), and characters that
// file systems or headers refuse.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*\\/]/g;
const EXTENSION = /\.([A-Za-z][A-Za-z0-9]{0,9})$/;

export interface FileNameParts {
  /** The name without its extension; may be empty. */
  stem: string;
  /** Lower-case, with its dot (`.pdf`), or empty when the name has none. */
  extension: string;
}

/**
 * The client's file name made safe to show and to send back in a header: the last path segment only,
 * without control or reserved characters, trimmed, in NFC. It is never used as a storage key.
 */
export function sanitizeFileName(raw: string | undefined): FileNameParts {
  const lastSegment = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment
    .normalize('NFC')
    .replace(UNSAFE, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.\s]+$/, '');
  const match = EXTENSION.exec(cleaned);
  const stem = (match ? cleaned.slice(0, match.index) : cleaned).replace(/^[.\s]+|[.\s]+$/g, '');
  return { stem, extension: match ? `.${match[1].toLowerCase()}` : '' };
}

/** Joins stem and extension, shortening the stem (by code points) to stay within 200 characters. */
export function joinFileName(stem: string, extension: string, fallbackStem = 'evidence'): string {
  const room = MAX_FILE_NAME_LENGTH - extension.length;
  const shortened = [...(stem || fallbackStem)].slice(0, room).join('').trim();
  return `${shortened || fallbackStem}${extension}`;
}
