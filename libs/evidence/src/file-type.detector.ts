import { sanitizeFileName, joinFileName } from './file-name.util';
import { UnsupportedFileTypeError } from './evidence.errors';

/** How many first bytes the detector looks at. */
export const SNIFF_BYTES = 4096;

interface FileKind {
  contentType: string;
  /** Accepted extensions; the first is added to names that have none. */
  extensions: readonly string[];
  /** Content types a client may declare for it (others of the known ones are refused). */
  declaredTypes: readonly string[];
}

const KINDS = {
  pdf: { contentType: 'application/pdf', extensions: ['.pdf'], declaredTypes: ['application/x-pdf'] },
  png: { contentType: 'image/png', extensions: ['.png'], declaredTypes: [] },
  jpeg: {
    contentType: 'image/jpeg',
    extensions: ['.jpg', '.jpeg', '.jpe', '.jfif'],
    declaredTypes: ['image/jpg', 'image/pjpeg'],
  },
  gif: { contentType: 'image/gif', extensions: ['.gif'], declaredTypes: [] },
  webp: { contentType: 'image/webp', extensions: ['.webp'], declaredTypes: [] },
  docx: {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['.docx'],
    declaredTypes: [],
  },
  xlsx: {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['.xlsx'],
    declaredTypes: [],
  },
  pptx: {
    contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    extensions: ['.pptx'],
    declaredTypes: [],
  },
  odt: { contentType: 'application/vnd.oasis.opendocument.text', extensions: ['.odt'], declaredTypes: [] },
  ods: {
    contentType: 'application/vnd.oasis.opendocument.spreadsheet',
    extensions: ['.ods'],
    declaredTypes: [],
  },
  odp: {
    contentType: 'application/vnd.oasis.opendocument.presentation',
    extensions: ['.odp'],
    declaredTypes: [],
  },
  odg: {
    contentType: 'application/vnd.oasis.opendocument.graphics',
    extensions: ['.odg'],
    declaredTypes: [],
  },
  csv: {
    contentType: 'text/csv',
    extensions: ['.csv'],
    declaredTypes: ['text/plain', 'application/csv', 'text/x-csv', 'text/comma-separated-values'],
  },
  text: {
    contentType: 'text/plain',
    extensions: ['.txt', '.text', '.log', '.md', '.tsv'],
    declaredTypes: ['text/csv', 'text/markdown', 'text/tab-separated-values'],
  },
  mp4: {
    contentType: 'video/mp4',
    extensions: ['.mp4', '.m4v'],
    declaredTypes: ['video/x-m4v', 'application/mp4'],
  },
} as const satisfies Record<string, FileKind>;

export type FileKindName = keyof typeof KINDS;

const KNOWN_TYPES = new Map<string, FileKindName[]>();
for (const [name, kind] of Object.entries(KINDS) as [FileKindName, FileKind][]) {
  for (const type of [kind.contentType, ...kind.declaredTypes]) {
    KNOWN_TYPES.set(type, [...(KNOWN_TYPES.get(type) ?? []), name]);
  }
}

const KNOWN_EXTENSIONS = new Set<string>(Object.values(KINDS).flatMap((kind) => kind.extensions));

const OPEN_DOCUMENT: Record<string, FileKindName> = {
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
  'application/vnd.oasis.opendocument.graphics': 'odg',
};

const OFFICE_FOLDERS: [string, FileKindName][] = [
  ['word/', 'docx'],
  ['xl/', 'xlsx'],
  ['ppt/', 'pptx'],
];

const MP4_BRANDS = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'iso8',
  'iso9',
  'mp41',
  'mp42',
  'avc1',
  'M4V ',
  'dash',
  'mmp4',
  'msnv',
  'f4v ',
]);
// ISO media files that are not MP4 video: HEIF/AVIF images, QuickTime, audio-only and camera raw.
const NOT_MP4_BRANDS = new Set([
  'heic',
  'heix',
  'hevc',
  'mif1',
  'msf1',
  'avif',
  'avis',
  'qt  ',
  'M4A ',
  'M4B ',
  'crx ',
]);

function startsWith(head: Buffer, signature: number[] | string, offset = 0): boolean {
  const bytes = typeof signature === 'string' ? Buffer.from(signature, 'latin1') : Buffer.from(signature);
  return head.length >= offset + bytes.length && head.subarray(offset, offset + bytes.length).equals(bytes);
}

interface ZipEntry {
  name: string;
  method: number;
  data: Buffer | undefined;
}

/** The local file headers found in the first bytes of a ZIP archive, in order. */
function zipEntries(head: Buffer): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let offset = 0;
  while (offset + 30 <= head.length && head.readUInt32LE(offset) === 0x04034b50) {
    const flags = head.readUInt16LE(offset + 6);
    const method = head.readUInt16LE(offset + 8);
    const compressedSize = head.readUInt32LE(offset + 18);
    const nameEnd = offset + 30 + head.readUInt16LE(offset + 26);
    const dataStart = nameEnd + head.readUInt16LE(offset + 28);
    if (nameEnd > head.length) break;
    const hasKnownSize = (flags & 0x08) === 0;
    const dataEnd = dataStart + compressedSize;
    entries.push({
      name: head.toString('utf8', offset + 30, nameEnd),
      method,
      data: hasKnownSize && dataEnd <= head.length ? head.subarray(dataStart, dataEnd) : undefined,
    });
    // With a data descriptor the size comes after the data: the next header cannot be found.
    if (!hasKnownSize) break;
    offset = dataEnd;
  }
  return entries;
}

function detectZip(head: Buffer, declaredExtension: string): FileKindName | undefined {
  const entries = zipEntries(head);
  const first = entries[0];
  if (first?.name === 'mimetype' && first.method === 0 && first.data) {
    return OPEN_DOCUMENT[first.data.toString('latin1').trim()];
  }
  const names = entries.map((entry) => entry.name);
  const folder = OFFICE_FOLDERS.find(([prefix]) => names.some((name) => name.startsWith(prefix)));
  if (folder) return folder[1];
  const isOfficeOpenXml = names.some(
    (name) => ['[Content_Types].xml', '_rels/.rels'].includes(name) || name.startsWith('docProps/'),
  );
  // The part naming the document type lies beyond the first bytes: trust the extension, within OOXML.
  if (isOfficeOpenXml) {
    return OFFICE_FOLDERS.map(([, kind]) => kind).find((kind) =>
      (KINDS[kind].extensions as readonly string[]).includes(declaredExtension),
    );
  }
  return undefined;
}

function detectMp4(head: Buffer): boolean {
  if (head.length < 12 || !startsWith(head, 'ftyp', 4)) return false;
  const major = head.toString('latin1', 8, 12);
  if (MP4_BRANDS.has(major)) return true;
  if (NOT_MP4_BRANDS.has(major)) return false;
  const boxEnd = Math.min(head.readUInt32BE(0), head.length);
  for (let offset = 16; offset + 4 <= boxEnd; offset += 4) {
    if (MP4_BRANDS.has(head.toString('latin1', offset, offset + 4))) return true;
  }
  return false;
}

/** UTF-8 (a sequence cut by the end of the first bytes is fine) without NUL or binary control bytes. */
function isPlainText(head: Buffer, isComplete: boolean): boolean {
  for (const byte of head) {
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) || byte === 0x7f) {
      return false;
    }
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !isComplete });
    return true;
  } catch {
    return false;
  }
}

function detectKind(head: Buffer, isComplete: boolean, declaredExtension: string): FileKindName | undefined {
  if (startsWith(head, '%PDF-')) return 'pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return 'gif';
  if (startsWith(head, 'RIFF') && startsWith(head, 'WEBP', 8)) return 'webp';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return detectZip(head, declaredExtension);
  if (detectMp4(head)) return 'mp4';
  if (head.length > 0 && isPlainText(head, isComplete)) return declaredExtension === '.csv' ? 'csv' : 'text';
  return undefined;
}

export interface DeclaredFile {
  /** The file name the client sent, as is. */
  fileName?: string;
  /** The part's Content-Type, as the client sent it. */
  contentType?: string;
}

export interface DetectedFile {
  kind: FileKindName;
  /** From the content, never from the client. */
  contentType: string;
  /** Sanitised, at most 200 characters, ending with an extension of the detected type. */
  fileName: string;
}

/**
 * The type of a file from its first bytes (up to SNIFF_BYTES; `isComplete` when they are the whole
 * file). The declared extension and content type must agree with it. Throws UnsupportedFileTypeError.
 */
export function detectFileType(head: Buffer, isComplete: boolean, declared: DeclaredFile = {}): DetectedFile {
  const { stem, extension } = sanitizeFileName(declared.fileName);
  const kindName = detectKind(head, isComplete, extension);
  if (!kindName) {
    throw new UnsupportedFileTypeError(
      extension
        ? `The content of this ${extension} file is not an accepted type`
        : 'The content is not an accepted type',
    );
  }
  const kind: FileKind = KINDS[kindName];
  if (extension && !kind.extensions.includes(extension)) {
    throw new UnsupportedFileTypeError(
      KNOWN_EXTENSIONS.has(extension)
        ? `The file is named ${extension} but its content is ${kind.contentType}`
        : `The extension ${extension} is not accepted for ${kind.contentType} content`,
    );
  }
  const declaredType = declared.contentType?.split(';')[0].trim().toLowerCase();
  const claimedKinds = declaredType ? KNOWN_TYPES.get(declaredType) : undefined;
  if (claimedKinds && !claimedKinds.includes(kindName)) {
    throw new UnsupportedFileTypeError(
      `The file is declared as ${declaredType} but its content is ${kind.contentType}`,
    );
  }
  return {
    kind: kindName,
    contentType: kind.contentType,
    fileName: joinFileName(stem, extension || kind.extensions[0]),
  };
}
