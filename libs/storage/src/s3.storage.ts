import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListMultipartUploadsCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Settings } from '@app/config';
import { Readable } from 'node:stream';
import { attachmentDisposition } from './content-disposition.util';
import {
  EvidenceStorage,
  MAX_PRESIGNED_URL_SECONDS,
  type PresignedDownloadOptions,
} from './evidence-storage';
import { FailureOrigin } from './failure-origin';
import { StorageUnavailableError } from './storage.errors';
import { assertStorageKey } from './storage-key.util';

const HEALTH_TIMEOUT_MS = 3000;
const CONNECTION_TIMEOUT_MS = 5000;
// Inactivity on one request's socket, not the length of a whole upload.
const SOCKET_TIMEOUT_MS = 60_000;
// Memory of one upload stays near PART_SIZE × (QUEUE_SIZE + 1), whatever the file's size.
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 4;

/** Evidence kept in an S3 bucket (AWS or any S3-compatible store). */
export class S3Storage extends EvidenceStorage {
  readonly driver = 's3';
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    super();
    const config: S3ClientConfig = {
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials:
        settings.accessKeyId && settings.secretAccessKey
          ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
          : undefined,
      maxAttempts: 2,
      requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: SOCKET_TIMEOUT_MS },
    };
    if (settings.endpoint) {
      // S3-compatible stores often lack the newer flexible checksums; SHA-256 is computed by the caller.
      config.requestChecksumCalculation = 'WHEN_REQUIRED';
      config.responseChecksumValidation = 'WHEN_REQUIRED';
    }
    this.client = new S3Client(config);
  }

  async checkAvailable(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }), {
      abortSignal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
  }

  /** A multipart upload in bounded parts; a failed one is aborted and any completed object removed. */
  async put(key: string, body: Readable, contentType: string): Promise<void> {
    assertStorageKey(key);
    const origin = new FailureOrigin(body);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.settings.bucket, Key: key, Body: body, ContentType: contentType },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // The object may exist when only the last answer was lost; it must not outlive a failed put.
      await this.delete(key).catch(() => undefined);
      throw origin.errorFor(error, 'The evidence storage is unavailable; try again shortly');
    }
  }

  async get(key: string): Promise<Readable> {
    assertStorageKey(key);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }));
      if (!(object.Body instanceof Readable)) throw new Error('The S3 answer has no body stream');
      return object.Body;
    } catch (error) {
      throw new StorageUnavailableError(
        (error as { name?: string }).name === 'NoSuchKey'
          ? 'The stored file is missing from the evidence bucket'
          : 'The evidence storage is unavailable; try again shortly',
        error,
      );
    }
  }

  async delete(key: string): Promise<void> {
    assertStorageKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: key }));
    } catch (error) {
      throw new StorageUnavailableError('The evidence storage is unavailable; try again shortly', error);
    }
  }

  override async presignedDownloadUrl(key: string, options: PresignedDownloadOptions): Promise<string> {
    assertStorageKey(key);
    const expiresIn = Math.max(1, Math.min(MAX_PRESIGNED_URL_SECONDS, Math.floor(options.expiresSeconds)));
    try {
      return await getSignedUrl(
        this.client,
        new GetObjectCommand({
          Bucket: this.settings.bucket,
          Key: key,
          ResponseContentType: options.contentType,
          ResponseContentDisposition: attachmentDisposition(options.fileName),
        }),
        { expiresIn },
      );
    } catch (error) {
      throw new StorageUnavailableError('A download link cannot be signed; try again shortly', error);
    }
  }

  override async abortIncompleteUploads(olderThan: Date): Promise<number> {
    let aborted = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    try {
      for (;;) {
        const page = await this.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.settings.bucket,
            KeyMarker: keyMarker,
            UploadIdMarker: uploadIdMarker,
          }),
        );
        for (const upload of page.Uploads ?? []) {
          if (!upload.Key || !upload.UploadId || !upload.Initiated || upload.Initiated >= olderThan) continue;
          await this.client.send(
            new AbortMultipartUploadCommand({
              Bucket: this.settings.bucket,
              Key: upload.Key,
              UploadId: upload.UploadId,
            }),
          );
          aborted += 1;
        }
        if (!page.IsTruncated) return aborted;
        keyMarker = page.NextKeyMarker;
        uploadIdMarker = page.NextUploadIdMarker;
      }
    } catch (error) {
      throw new StorageUnavailableError(
        `Incomplete uploads could not be aborted (${aborted} were); the next run tries again`,
        error,
      );
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}
