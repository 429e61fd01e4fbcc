import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { safeFieldName, ValidationError } from '@app/common';
import busboy from 'busboy';
import { MalformedMultipartError } from './evidence.errors';

/** An HTTP request body with its headers (an Express request is one). */
export type UploadSource = Readable & { headers: IncomingHttpHeaders };

/** Text fields by name, each with every value sent (fields may repeat). */
export type MultipartFields = ReadonlyMap<string, readonly string[]>;

export interface MultipartFile {
  stream: Readable;
  /** As the client sent it; unsanitised. */
  fileName: string | undefined;
  /** The part's Content-Type, as the client sent it. */
  declaredType: string | undefined;
}

export interface MultipartReadOptions<T> {
  /** The text fields accepted; any other field answers 400. */
  fieldNames: readonly string[];
  /** The name of the one file part. */
  fileField: string;
  /** Consumes the file; receives the fields that came before it. */
  onFile(file: MultipartFile, fieldsBefore: MultipartFields): Promise<T>;
}

export interface MultipartResult<T> {
  fields: MultipartFields;
  file: T;
}

const LIMITS = { fields: 20, fieldSize: 16 * 1024, fieldNameSize: 100, files: 1, parts: 22, headerPairs: 50 };
// After a refusal the rest of the body is read and dropped, so that the client gets to read the answer;
// beyond this much the connection is cut instead.
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/** Reads and drops the rest of a refused upload (cutting the connection past a limit). */
export function drainUpload(source: Readable): void {
  let dropped = 0;
  source.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_LIMIT_BYTES) source.destroy();
  });
  source.resume();
}

function unknownField(rawName: string, fileField: string): ValidationError {
  const message = rawName === fileField ? 'must be a file part (with a filename)' : 'is not a known field';
  const name = safeFieldName(rawName);
  return new ValidationError(`${name} ${message}`, [{ field: name, message }]);
}

/**
 * Reads a multipart/form-data body as it streams in: text fields are collected (they are small),
 * the one file part is handed to `onFile` as a stream and never buffered here. Resolves once the body
 * has been read whole and `onFile` has finished. On any problem (malformed or cut-short body, unknown
 * field, a second file, `onFile` failing) the file stream is destroyed, the rest of the body dropped,
 * and the promise rejects only after `onFile` has settled, so that the caller can clean up after it.
 */
export function readMultipart<T>(
  source: UploadSource,
  options: MultipartReadOptions<T>,
): Promise<MultipartResult<T>> {
  return new Promise<MultipartResult<T>>((resolve, reject) => {
    const contentType = source.headers['content-type'] ?? '';
    if (!/^multipart\/form-data\s*;/i.test(contentType)) {
      drainUpload(source);
      reject(new MalformedMultipartError('The request must be multipart/form-data with a boundary'));
      return;
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: source.headers, limits: LIMITS, defParamCharset: 'utf8' });
    } catch (error) {
      drainUpload(source);
      reject(new MalformedMultipartError(`The multipart header is unusable: ${(error as Error).message}`));
      return;
    }

    const fields = new Map<string, string[]>();
    let fileStream: Readable | undefined;
    let fileTask: Promise<T> | undefined;
    let fileResult: { value: T } | undefined;
    let isParsed = false;
    let failure: unknown;

    const fail = (error: unknown): void => {
      if (failure !== undefined) return;
      failure = error;
      source.unpipe(parser);
      drainUpload(source);
      if (fileStream && !fileStream.readableEnded) fileStream.destroy(error as Error);
      // Domain errors and the like; whatever it is, it is passed on as is.
      const reason = error as Error;
      void (fileTask ?? Promise.resolve()).then(
        () => reject(reason),
        () => reject(reason),
      );
    };

    const finishIfDone = (): void => {
      if (failure !== undefined || !isParsed) return;
      if (!fileTask) {
        fail(
          new ValidationError(`${options.fileField} is required`, [
            { field: options.fileField, message: 'is required' },
          ]),
        );
        return;
      }
      if (fileResult) resolve({ fields, file: fileResult.value });
    };

    parser.on('field', (name, value, info) => {
      if (failure !== undefined) return;
      if (!options.fieldNames.includes(name)) return fail(unknownField(name, options.fileField));
      if (info.valueTruncated) {
        return fail(new ValidationError(`${name} is too long`, [{ field: name, message: 'is too long' }]));
      }
      fields.set(name, [...(fields.get(name) ?? []), value]);
    });
    parser.on('file', (name, stream, info) => {
      // Its failures are this reader's to report (see `fail`); an unheard 'error' would crash the process.
      stream.on('error', () => undefined);
      if (failure !== undefined || name !== options.fileField) {
        stream.resume();
        if (name !== options.fileField) fail(unknownField(name, options.fileField));
        return;
      }
      fileStream = stream;
      const fieldsBefore = new Map(fields);
      fileTask = options.onFile(
        { stream, fileName: info.filename, declaredType: info.mimeType },
        fieldsBefore,
      );
      fileTask.then(
        (value) => {
          fileResult = { value };
          finishIfDone();
        },
        (error: unknown) => fail(error),
      );
    });
    parser.on('filesLimit', () =>
      fail(
        new ValidationError('Send one file per request', [
          { field: options.fileField, message: 'must be a single file' },
        ]),
      ),
    );
    parser.on('fieldsLimit', () =>
      fail(new ValidationError('Too many fields', [{ field: '(body)', message: 'has too many fields' }])),
    );
    parser.on('partsLimit', () =>
      fail(new ValidationError('Too many parts', [{ field: '(body)', message: 'has too many parts' }])),
    );
    parser.on('error', (error: unknown) =>
      fail(
        new MalformedMultipartError(
          `The multipart body is malformed: ${(error as Error).message ?? String(error)}`,
        ),
      ),
    );
    parser.on('close', () => {
      isParsed = true;
      finishIfDone();
    });
    source.on('error', () => fail(new MalformedMultipartError('The upload was interrupted')));
    source.on('close', () => {
      if (!source.readableEnded) fail(new MalformedMultipartError('The upload was interrupted'));
    });
    source.pipe(parser);
  });
}
