import type { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { WorkbookTooLargeError, WorkbookUnreadableError } from '../workbooks.errors';

export interface WorkbookLimits {
  /** The upload itself. */
  maxFileBytes: number;
  /** Entries in the zip's central directory. */
  maxEntries: number;
  /** The sum of the entries' uncompressed sizes, as declared and as inflated. */
  maxUncompressedBytes: number;
  /** Uncompressed over compressed size, for the whole archive and for any entry over 1 MiB. */
  maxCompressionRatio: number;
  /** `<row>` elements over every worksheet. */
  maxRows: number;
}

export const WORKBOOK_LIMITS: WorkbookLimits = {
  maxFileBytes: 10 * 1024 * 1024,
  maxEntries: 200,
  maxUncompressedBytes: 120 * 1024 * 1024,
  maxCompressionRatio: 100,
  maxRows: 5000,
};

export interface ZipInspection {
  entryNames: string[];
  rowCount: number;
  uncompressedBytes: number;
}

const ROW_TAG = /<(?:[A-Za-z_][\w.-]*:)?row[\s>/]/g;
const WORKSHEET = /^xl\/worksheets\/[^/]+\.xml$/i;
const LARGE_ENTRY = 1024 * 1024;

function open(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) reject(new WorkbookUnreadableError(`not an .xlsx (zip) file: ${error?.message}`));
      else resolve(zip);
    });
  });
}

/**
 * The entry's bytes, inflated here with zlib rather than by yauzl (whose size check on a lying entry
 * stalls the stream instead of failing it): the caller counts what comes out against what was declared.
 */
function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
    return Promise.reject(
      new WorkbookUnreadableError(`entry ${entry.fileName} uses an unsupported compression`),
    );
  }
  return new Promise((resolve, reject) => {
    zip.openReadStream(
      entry,
      { decompress: entry.compressionMethod === 8 ? false : null } as yauzl.ZipFileOptions,
      (error, stream) => {
        if (error || !stream) {
          reject(new WorkbookUnreadableError(`entry ${entry.fileName}: ${error?.message}`));
          return;
        }
        if (entry.compressionMethod === 0) {
          resolve(stream);
          return;
        }
        const inflate = createInflateRaw();
        stream.on('error', (cause: Error) => inflate.destroy(cause));
        resolve(stream.pipe(inflate));
      },
    );
  });
}

/**
 * Checks an .xlsx before any spreadsheet library sees it: the central directory's entry count and
 * declared sizes (a zip bomb declares huge sizes or ratios), no external links, then every entry inflated
 * as a stream and dropped — yauzl stops an entry that inflates past its declared size — counting the
 * worksheets' rows on the way. Memory stays at one inflate window; nothing is kept.
 */
export async function inspectWorkbookZip(
  buffer: Buffer,
  limits: WorkbookLimits = WORKBOOK_LIMITS,
): Promise<ZipInspection> {
  if (buffer.length > limits.maxFileBytes) {
    throw new WorkbookTooLargeError(`the file is over ${limits.maxFileBytes} bytes`, limits.maxFileBytes);
  }
  const zip = await open(buffer);
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new WorkbookTooLargeError(
        `the archive has ${zip.entryCount} entries, over ${limits.maxEntries}`,
        limits.maxEntries,
      );
    }
    const entries = await new Promise<yauzl.Entry[]>((resolve, reject) => {
      const found: yauzl.Entry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        found.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve(found));
      zip.on('error', (error: Error) =>
        reject(new WorkbookUnreadableError(`damaged archive: ${error.message}`)),
      );
      zip.readEntry();
    });
    let declared = 0;
    let compressed = 0;
    for (const entry of entries) {
      declared += entry.uncompressedSize;
      compressed += entry.compressedSize;
      const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
      if (entry.uncompressedSize > LARGE_ENTRY && ratio > limits.maxCompressionRatio) {
        throw new WorkbookTooLargeError(
          `entry ${entry.fileName} expands ${Math.round(ratio)} times (zip bomb?)`,
          limits.maxCompressionRatio,
        );
      }
      if (/^xl\/externalLinks\//i.test(entry.fileName)) {
        throw new WorkbookUnreadableError('the workbook links to external workbooks; remove the links');
      }
    }
    if (declared > limits.maxUncompressedBytes) {
      throw new WorkbookTooLargeError(
        `the archive declares ${declared} bytes uncompressed, over ${limits.maxUncompressedBytes} (zip bomb?)`,
        limits.maxUncompressedBytes,
      );
    }
    if (declared > LARGE_ENTRY && declared / Math.max(compressed, 1) > limits.maxCompressionRatio) {
      throw new WorkbookTooLargeError(
        `the archive expands ${Math.round(declared / Math.max(compressed, 1))} times (zip bomb?)`,
        limits.maxCompressionRatio,
      );
    }
    const names = entries.map((entry) => entry.fileName);
    if (!names.includes('[Content_Types].xml') || !names.some((name) => /^xl\/workbook\.xml$/i.test(name))) {
      throw new WorkbookUnreadableError('the archive is not an Office Open XML spreadsheet');
    }
    let rows = 0;
    let inflated = 0;
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      const countRows = WORKSHEET.test(entry.fileName);
      const stream = await openEntry(zip, entry);
      let tail = '';
      try {
        let entryBytes = 0;
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          inflated += chunk.length;
          entryBytes += chunk.length;
          if (entryBytes > entry.uncompressedSize) {
            throw new WorkbookUnreadableError(`entry ${entry.fileName} inflates past the size it declares`);
          }
          if (inflated > limits.maxUncompressedBytes) {
            throw new WorkbookTooLargeError(
              'the archive inflates past its limit',
              limits.maxUncompressedBytes,
            );
          }
          if (!countRows) continue;
          const text = tail + chunk.toString('latin1');
          rows += text.match(ROW_TAG)?.length ?? 0;
          // Keep the end of the chunk for a tag cut in two, minus any complete match inside it.
          const cut = Math.max(0, text.length - 32);
          tail = text.slice(cut);
          rows -= tail.match(ROW_TAG)?.length ?? 0;
          if (rows > limits.maxRows) {
            throw new WorkbookTooLargeError(
              `the worksheets have over ${limits.maxRows} rows`,
              limits.maxRows,
            );
          }
        }
        if (countRows) rows += tail.match(ROW_TAG)?.length ?? 0;
      } catch (error) {
        stream.destroy();
        if (error instanceof WorkbookTooLargeError || error instanceof WorkbookUnreadableError) throw error;
        throw new WorkbookUnreadableError(`entry ${entry.fileName}: ${(error as Error).message}`);
      }
      if (rows > limits.maxRows) {
        throw new WorkbookTooLargeError(`the worksheets have over ${limits.maxRows} rows`, limits.maxRows);
      }
    }
    return { entryNames: names, rowCount: rows, uncompressedBytes: inflated };
  } finally {
    zip.close();
  }
}
