import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { ValidationError } from '@app/common';
import busboy from 'busboy';
import { ImportFileTooLargeError, MalformedUploadError } from '../field.errors';

/** An HTTP request body with its headers (an Express request is one). */
export type UploadedRequest = Readable & { headers: IncomingHttpHeaders };

export interface UploadedFile {
  fileName: string;
  content: Buffer;
}

/** Imports are lists of a few thousand rows: well under this. */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

/** Reads the one multipart `file` part of an import into memory, refusing more than `maxBytes`. */
export function readUploadedFile(
  request: UploadedRequest,
  maxBytes = IMPORT_MAX_BYTES,
): Promise<UploadedFile> {
  return new Promise<UploadedFile>((resolve, reject) => {
    const contentType = request.headers['content-type'] ?? '';
    if (!/^multipart\/form-data\s*;/i.test(contentType)) {
      request.resume();
      reject(new MalformedUploadError('The request must be multipart/form-data with a `file` part'));
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { files: 1, fileSize: maxBytes + 1, fields: 5 } });
    } catch (error) {
      request.resume();
      reject(new MalformedUploadError(`The multipart header is unusable: ${(error as Error).message}`));
      return;
    }
    let file: UploadedFile | undefined;
    let failure: Error | undefined;
    const fail = (error: Error) => {
      failure ??= error;
    };
    parser.on('file', (name, stream, info) => {
      stream.on('error', () => undefined);
      if (name !== 'file' || file) {
        stream.resume();
        fail(new ValidationError('Send one `file` part', [{ field: name, message: 'is not the file part' }]));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) chunks.push(chunk);
      });
      stream.on('limit', () => fail(new ImportFileTooLargeError(maxBytes)));
      stream.on('end', () => {
        file = { fileName: info.filename ?? '', content: Buffer.concat(chunks) };
      });
    });
    parser.on('error', (error: Error) => {
      const malformed = new MalformedUploadError(`The multipart body is malformed: ${error.message}`);
      fail(malformed);
      request.unpipe(parser);
      request.resume();
      reject(failure ?? malformed);
    });
    parser.on('close', () => {
      if (failure) return reject(failure);
      if (!file)
        return reject(new ValidationError('file is required', [{ field: 'file', message: 'is required' }]));
      resolve(file);
    });
    request.pipe(parser);
  });
}
