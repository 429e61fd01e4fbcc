import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** Small generated files of every accepted type (and some that are refused), for upload tests. */

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A minimal valid PDF, padded with comment lines to about `size` bytes. */
export function aPdf(size = 600, marker = 'evidence'): Buffer {
  const body = [
    '%PDF-1.7',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj',
    `% ${marker}`,
  ].join('\n');
  const padding = Math.max(0, size - body.length - 40);
  return Buffer.from(
    `${body}\n${'% padding line\n'.repeat(Math.ceil(padding / 15))}trailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

/** A PDF header then random bytes, `size` bytes in all: large, incompressible uploads. */
export function aLargePdf(size: number): Buffer {
  const header = Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n', 'latin1');
  return Buffer.concat([header, randomBytes(Math.max(0, size - header.length))]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A PNG signature, an IHDR for a `width`×1 RGB image, opaque data and IEND. */
export function aPng(width = 64): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', randomBytes(200)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export function aJpeg(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'latin1'),
    Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0]),
    randomBytes(300),
    Buffer.from([0xff, 0xd9]),
  ]);
}

export function aGif(): Buffer {
  return Buffer.concat([
    Buffer.from('GIF89a', 'latin1'),
    Buffer.from([1, 0, 1, 0, 0, 0, 0]),
    Buffer.from(';'),
  ]);
}

export function aWebp(): Buffer {
  const payload = Buffer.concat([Buffer.from('WEBPVP8 ', 'latin1'), randomBytes(100)]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(payload.length);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), size, payload]);
}

/** A ZIP archive of stored (uncompressed) entries, local headers then a central directory. */
export function aZip(entries: [name: string, content: string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(content, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

export function aDocx(): Buffer {
  return aZip([
    ['[Content_Types].xml', CONTENT_TYPES],
    ['_rels/.rels', '<Relationships/>'],
    ['word/document.xml', '<w:document/>'],
  ]);
}

export function anXlsx(): Buffer {
  return aZip([
    ['[Content_Types].xml', CONTENT_TYPES],
    ['xl/workbook.xml', '<workbook/>'],
  ]);
}

export function aPptx(): Buffer {
  return aZip([
    ['[Content_Types].xml', CONTENT_TYPES],
    ['ppt/presentation.xml', '<presentation/>'],
  ]);
}

export function anOpenDocument(kind: 'text' | 'spreadsheet' | 'presentation' = 'text'): Buffer {
  return aZip([
    ['mimetype', `application/vnd.oasis.opendocument.${kind}`],
    ['content.xml', '<office:document-content/>'],
  ]);
}

export function aCsv(): Buffer {
  return Buffer.from(
    'branch,clients,complaints\nLima Norte,1200,3\nCusco,830,1\nArequipa “Centro”,990,0\n',
    'utf8',
  );
}

export function aText(): Buffer {
  return Buffer.from('Minutes of the board meeting — política de protección al cliente.\n', 'utf8');
}

export function anMp4(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypisom', 4, 'latin1');
  ftyp.writeUInt32BE(0x200, 12);
  ftyp.write('isommp41', 16, 'latin1');
  const mdat = Buffer.concat([Buffer.from([0, 0, 0, 108]), Buffer.from('mdat', 'latin1'), randomBytes(100)]);
  return Buffer.concat([ftyp, mdat]);
}

/** Not an accepted type: a Windows executable header. */
export function anExecutable(): Buffer {
  return Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), randomBytes(500)]);
}
