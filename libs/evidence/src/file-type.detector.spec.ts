import {
  aCsv,
  aDocx,
  aGif,
  aJpeg,
  anExecutable,
  anMp4,
  anOpenDocument,
  anXlsx,
  aPdf,
  aPng,
  aPptx,
  aText,
  aWebp,
  aZip,
} from '../../../test/evidence/support/sample-files';
import { UnsupportedFileTypeError } from './evidence.errors';
import { detectFileType, SNIFF_BYTES } from './file-type.detector';

const head = (file: Buffer): Buffer => file.subarray(0, SNIFF_BYTES);
const detect = (file: Buffer, fileName?: string, contentType?: string) =>
  detectFileType(head(file), file.length <= SNIFF_BYTES, { fileName, contentType });

function refusal(file: Buffer, fileName?: string, contentType?: string): UnsupportedFileTypeError {
  try {
    detect(file, fileName, contentType);
  } catch (error) {
    if (error instanceof UnsupportedFileTypeError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('detectFileType', () => {
  it.each([
    ['a PDF', aPdf(), 'policy.pdf', 'application/pdf'],
    ['a PNG', aPng(), 'poster.png', 'image/png'],
    ['a JPEG', aJpeg(), 'photo.jpg', 'image/jpeg'],
    ['a GIF', aGif(), 'chart.gif', 'image/gif'],
    ['a WebP', aWebp(), 'photo.webp', 'image/webp'],
    [
      'a docx',
      aDocx(),
      'report.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
    [
      'an xlsx',
      anXlsx(),
      'figures.xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
    [
      'a pptx',
      aPptx(),
      'deck.pptx',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    ['an odt', anOpenDocument('text'), 'acta.odt', 'application/vnd.oasis.opendocument.text'],
    [
      'an ods',
      anOpenDocument('spreadsheet'),
      'cuentas.ods',
      'application/vnd.oasis.opendocument.spreadsheet',
    ],
    [
      'an odp',
      anOpenDocument('presentation'),
      'slides.odp',
      'application/vnd.oasis.opendocument.presentation',
    ],
    ['a CSV', aCsv(), 'branches.csv', 'text/csv'],
    ['plain UTF-8 text', aText(), 'notes.txt', 'text/plain'],
    ['an MP4', anMp4(), 'training.mp4', 'video/mp4'],
  ])('recognises %s from its first bytes', (_label, file, fileName, contentType) => {
    expect(detect(file, fileName)).toEqual({
      kind: expect.any(String),
      contentType,
      fileName,
    });
  });

  it('recognises Office Open XML from the content types part alone when the extension says which', () => {
    const docx = aZip([
      ['[Content_Types].xml', '<Types/>'],
      ['_rels/.rels', '<Relationships/>'],
    ]);
    expect(detect(docx, 'minutes.docx').contentType).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(refusal(docx, 'minutes.zip')).toBeInstanceOf(UnsupportedFileTypeError);
  });

  it('decides on the first 4 KiB of a large file whose UTF-8 is cut mid-character', () => {
    const text = Buffer.from('é'.repeat(SNIFF_BYTES));
    expect(
      detectFileType(text.subarray(0, SNIFF_BYTES - 1), false, { fileName: 'long.txt' }).contentType,
    ).toBe('text/plain');
  });

  it('adds the extension of the detected type to a name without one and sanitises the name', () => {
    expect(detect(aPdf(), 'C:\\Users\\ana\\scan 2026').fileName).toBe('scan 2026.pdf');
    expect(detect(aPdf(), '../../etc/passwd\u202Efdp.pdf').fileName).toBe('passwdfdp.pdf');
    expect(detect(aPdf(), '\u0000\u0007.pdf').fileName).toBe('evidence.pdf');
    expect(detect(aPdf(), undefined).fileName).toBe('evidence.pdf');
    expect(detect(aPdf(), `${'ü'.repeat(300)}.pdf`).fileName).toBe(`${'ü'.repeat(196)}.pdf`);
    expect(detect(aPdf(), 'report v1.2 final').fileName).toBe('report v1.2 final.pdf');
    expect(detect(aJpeg(), 'PHOTO.JPG').fileName).toBe('PHOTO.jpg');
  });

  it.each([
    ['an executable', anExecutable(), 'setup.exe'],
    ['an executable without extension', anExecutable(), undefined],
    ['a ZIP archive', aZip([['data.bin', 'x']]), 'data.zip'],
    ['text with a NUL byte', Buffer.from('abc\u0000def'), 'notes.txt'],
    ['text with binary control bytes', Buffer.from([0x41, 0x01, 0x02, 0x42]), 'notes.txt'],
    ['invalid UTF-8', Buffer.from([0x61, 0xff, 0xfe, 0x61]), 'notes.txt'],
    [
      'a HEIC image',
      Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic')]),
      'a.mp4',
    ],
    [
      'an OpenDocument of an unknown kind',
      aZip([['mimetype', 'application/vnd.oasis.opendocument.formula']]),
      'f.odf',
    ],
  ])('refuses %s with 415', (_label, file, fileName) => {
    expect(refusal(file, fileName).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it.each([
    ['PNG bytes named .pdf', aPng(), 'scan.pdf', undefined],
    ['PDF bytes named .docx', aPdf(), 'scan.docx', undefined],
    ['PDF bytes named .html', aPdf(), 'page.html', undefined],
    ['PDF bytes declared image/png', aPdf(), 'scan', 'image/png'],
    ['text declared application/pdf', aText(), 'notes.txt', 'application/pdf'],
  ])('refuses %s: the declared type must agree with the content', (_label, file, fileName, contentType) => {
    expect(refusal(file, fileName, contentType).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('ignores declared types it does not know (browsers send many for the same file)', () => {
    expect(detect(aCsv(), 'branches.csv', 'application/vnd.ms-excel').contentType).toBe('text/csv');
    expect(detect(aDocx(), 'report.docx', 'application/zip').kind).toBe('docx');
    expect(detect(aPdf(), 'a.pdf', 'application/pdf; charset=binary').kind).toBe('pdf');
  });
});
