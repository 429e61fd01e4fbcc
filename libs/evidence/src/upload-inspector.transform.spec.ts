import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ErrorCode } from '@app/common';
import { aLargePdf, aPng, aText } from '../../../test/evidence/support/sample-files';
import { FileTooLargeError } from './evidence.errors';
import { UploadInspector } from './upload-inspector.transform';

const CHUNK = 64 * 1024;

/** A source that makes its chunks only as they are read, and counts how many it made. */
function generated(chunks: number, first: Buffer): { stream: Readable; produced: () => number } {
  let produced = 0;
  let index = 0;
  const stream = new Readable({
    read() {
      if (index === chunks) return this.push(null);
      const chunk =
        index === 0
          ? Buffer.concat([first, Buffer.alloc(CHUNK - first.length, 7)])
          : Buffer.alloc(CHUNK, index % 251);
      index += 1;
      produced += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, produced: () => produced };
}

function sink(): { stream: Writable; received: () => Buffer[] } {
  const chunks: Buffer[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    }),
    received: () => chunks,
  };
}

describe(UploadInspector.name, () => {
  it('passes the bytes through unchanged with their size, SHA-256 and detected type', async () => {
    const file = aLargePdf(300 * 1024);
    const inspector = new UploadInspector(1024 * 1024, { fileName: 'scan.pdf' });
    const output = sink();
    await pipeline(
      Readable.from([file.subarray(0, 100), file.subarray(100, 5000), file.subarray(5000)]),
      inspector,
      output.stream,
    );
    expect(Buffer.concat(output.received()).equals(file)).toBe(true);
    expect(inspector.digest()).toEqual({
      size: file.length,
      sha256: createHash('sha256').update(file).digest('hex'),
    });
    await expect(inspector.detected).resolves.toMatchObject({
      contentType: 'application/pdf',
      fileName: 'scan.pdf',
    });
  });

  it('detects a file shorter than the sniffing window when it ends', async () => {
    const inspector = new UploadInspector(1024, { fileName: 'notes' });
    const output = sink();
    await pipeline(Readable.from([aText()]), inspector, output.stream);
    await expect(inspector.detected).resolves.toMatchObject({
      contentType: 'text/plain',
      fileName: 'notes.txt',
    });
  });

  it('fails with 413 as soon as the limit is passed, without reading or buffering the rest', async () => {
    const limit = 256 * 1024;
    const source = generated(1000, Buffer.from('%PDF-1.7\n'));
    const inspector = new UploadInspector(limit, { fileName: 'big.pdf' });
    const output = sink();
    let peakBuffered = 0;
    inspector.on(
      'data',
      () => (peakBuffered = Math.max(peakBuffered, inspector.readableLength + inspector.writableLength)),
    );
    const failure = await pipeline(source.stream, inspector, output.stream).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FileTooLargeError);
    expect((failure as FileTooLargeError).code).toBe(ErrorCode.PayloadTooLarge);
    // Of 62.5 MiB offered, only the limit and a few chunks of stream buffers were ever made.
    expect(source.produced()).toBeLessThanOrEqual(limit + 4 * CHUNK);
    expect(Buffer.concat(output.received()).length).toBeLessThanOrEqual(limit);
    expect(peakBuffered).toBeLessThanOrEqual(2 * CHUNK);
  });

  it('refuses with 415 before passing on a single byte', async () => {
    const inspector = new UploadInspector(1024 * 1024, { fileName: 'scan.pdf' });
    const output = sink();
    const failure = await pipeline(Readable.from([aPng(), aPng()]), inspector, output.stream).catch(
      (error: unknown) => error,
    );
    expect((failure as { code?: string }).code).toBe(ErrorCode.UnsupportedMediaType);
    await expect(inspector.detected).rejects.toBe(failure);
    expect(output.received()).toEqual([]);
  });

  it('refuses an empty file with 400', async () => {
    const inspector = new UploadInspector(1024, { fileName: 'empty.pdf' });
    const failure = await pipeline(Readable.from([]), inspector, sink().stream).catch(
      (error: unknown) => error,
    );
    expect((failure as { code?: string; details?: unknown }).code).toBe(ErrorCode.ValidationFailed);
    expect((failure as { details?: unknown }).details).toEqual([
      { field: 'file', message: 'must not be empty' },
    ]);
  });
});
