import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@app/common';
import { StorageConfig } from '@app/config';
import { EvidenceStorage } from '@app/storage';
import { EvidenceQuotaExceededError, FileTooLargeError, MalformedMultipartError } from './evidence.errors';
import { EvidenceQuota } from './evidence-quota';
import { drainUpload, type MultipartFields, readMultipart, type UploadSource } from './multipart.reader';
import { UploadInspector } from './upload-inspector.transform';

// Room for the boundaries, part headers and the small text fields around the file.
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

/** A file stored under a generated key, not yet recorded in the database. */
export interface ReceivedFile {
  versionId: string;
  storageKey: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface ReceivedUpload {
  fields: MultipartFields;
  file: ReceivedFile;
}

export interface ReceiveOptions {
  caseId: string;
  fieldNames: readonly string[];
  /** Checks the fields sent before the file; runs before any byte is stored. */
  checkFieldsBeforeFile?(fields: MultipartFields): Promise<void>;
}

/**
 * Streams the `file` part of a multipart upload straight to the evidence storage, counting, hashing
 * and typing it on the way. Whatever goes wrong, nothing stays behind in the storage.
 */
@Injectable()
export class EvidenceFileReceiver {
  private readonly logger = new Logger(EvidenceFileReceiver.name);

  constructor(
    private readonly storage: EvidenceStorage,
    private readonly config: StorageConfig,
    private readonly quota: EvidenceQuota,
  ) {}

  async receive(source: UploadSource, options: ReceiveOptions): Promise<ReceivedUpload> {
    const remaining = await this.quota.remainingBytes(options.caseId);
    const isQuotaTheLimit = remaining < this.config.evidenceMaxBytes;
    const maxBytes = Math.min(this.config.evidenceMaxBytes, remaining);
    const declaredLength = Number(source.headers['content-length']);
    const overLimit = (): DomainError =>
      isQuotaTheLimit
        ? new EvidenceQuotaExceededError(this.quota.quotaBytes, remaining)
        : new FileTooLargeError(maxBytes);
    // Refused before a byte of the body is read, on the length the client declares.
    if (
      remaining === 0 ||
      (Number.isFinite(declaredLength) && declaredLength > maxBytes + MULTIPART_OVERHEAD_BYTES)
    ) {
      drainUpload(source);
      throw overLimit();
    }
    const versionId = randomUUID();
    const storageKey = `evidence/${options.caseId}/${versionId}`;
    let isStoring = false;
    try {
      const { fields, file } = await readMultipart(source, {
        fieldNames: options.fieldNames,
        fileField: 'file',
        onFile: async (part, fieldsBefore) => {
          await options.checkFieldsBeforeFile?.(fieldsBefore);
          const inspector = new UploadInspector(maxBytes, {
            fileName: part.fileName,
            contentType: part.declaredType,
          });
          // Errors of the multipart stream reach the storage as domain errors (400), not as its own.
          part.stream.on('error', (error) => inspector.destroy(asUploadError(error)));
          inspector.on('error', () => part.stream.unpipe(inspector));
          if (part.stream.destroyed) throw asUploadError(part.stream.errored);
          part.stream.pipe(inspector);
          try {
            const detected = await inspector.detected;
            isStoring = true;
            await this.storage.put(storageKey, inspector, detected.contentType);
            return {
              versionId,
              storageKey,
              fileName: detected.fileName,
              contentType: detected.contentType,
              ...inspector.digest(),
            };
          } catch (error) {
            inspector.destroy();
            throw error;
          }
        },
      });
      return { fields, file };
    } catch (error) {
      if (isStoring) await this.discard(storageKey);
      if (error instanceof FileTooLargeError && isQuotaTheLimit) throw overLimit();
      throw error;
    }
  }

  /** Removes a stored file whose record could not be written; a failure here is only logged. */
  async discard(storageKey: string): Promise<void> {
    try {
      await this.storage.delete(storageKey);
    } catch (error) {
      this.logger.error({ err: error, storageKey }, 'An unrecorded evidence file could not be removed');
    }
  }
}

function asUploadError(error: unknown): Error {
  if (error instanceof DomainError) return error;
  return new MalformedMultipartError(
    `The file part is incomplete: ${error instanceof Error ? error.message : 'the upload was interrupted'}`,
  );
}
