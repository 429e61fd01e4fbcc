import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { ValidationError } from '@app/common';
import { FileTooLargeError } from './evidence.errors';
import { type DeclaredFile, type DetectedFile, detectFileType, SNIFF_BYTES } from './file-type.detector';

export interface UploadDigest {
  size: number;
  sha256: string;
}

/**
 * Passes an uploaded file through while counting its bytes (over `maxBytes` it fails with 413 at once),
 * hashing it (SHA-256) and detecting its type from the first bytes. Only those first bytes (at most
 * SNIFF_BYTES plus one chunk) are held back, until the type is known; nothing else is buffered.
 */
export class UploadInspector extends Transform {
  /** Resolves once the type is known, before any byte is passed on; rejects as the stream fails. */
  readonly detected: Promise<DetectedFile>;
  private resolveDetected!: (file: DetectedFile) => void;
  private rejectDetected!: (error: unknown) => void;
  private readonly hash: Hash = createHash('sha256');
  private head: Buffer[] | undefined = [];
  private headLength = 0;
  // Not `size`: @aws-sdk/lib-storage would read a `size` property as the length of the whole body.
  private byteCount = 0;
  private sha256: string | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly declared: DeclaredFile = {},
  ) {
    super();
    this.detected = new Promise<DetectedFile>((resolve, reject) => {
      this.resolveDetected = resolve;
      this.rejectDetected = reject;
    });
    // Whoever awaits it sees the rejection; an unawaited one must not crash the process.
    this.detected.catch(() => undefined);
  }

  /** Size and SHA-256 of everything that passed; only once the stream has ended. */
  digest(): UploadDigest {
    if (this.sha256 === undefined) throw new Error('The upload has not ended');
    return { size: this.byteCount, sha256: this.sha256 };
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.byteCount += chunk.length;
    if (this.byteCount > this.maxBytes) {
      callback(new FileTooLargeError(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    if (!this.head) {
      callback(null, chunk);
      return;
    }
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < SNIFF_BYTES) {
      callback();
      return;
    }
    callback(this.releaseHead(false));
  }

  override _flush(callback: TransformCallback): void {
    if (this.head) {
      if (this.byteCount === 0) {
        callback(new ValidationError('The file is empty', [{ field: 'file', message: 'must not be empty' }]));
        return;
      }
      const error = this.releaseHead(true);
      if (error) {
        callback(error);
        return;
      }
    }
    this.sha256 = this.hash.digest('hex');
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.rejectDetected(error ?? new Error('The upload stream closed before its type was known'));
    callback(error);
  }

  /** Detects the type from the bytes held back and passes them on; returns the refusal, if any. */
  private releaseHead(isComplete: boolean): Error | null {
    const head = Buffer.concat(this.head ?? []);
    this.head = undefined;
    try {
      const detected = detectFileType(
        head.subarray(0, SNIFF_BYTES),
        isComplete && head.length <= SNIFF_BYTES,
        this.declared,
      );
      this.resolveDetected(detected);
      this.push(head);
      return null;
    } catch (error) {
      return error as Error;
    }
  }
}
