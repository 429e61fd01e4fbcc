import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Settings } from '@app/config';
import { EvidenceStorage } from './evidence-storage';

const HEALTH_TIMEOUT_MS = 3000;

/** Evidence kept in an S3 bucket (AWS or any S3-compatible store). */
export class S3Storage extends EvidenceStorage {
  readonly driver = 's3';
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    super();
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials:
        settings.accessKeyId && settings.secretAccessKey
          ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
          : undefined,
      maxAttempts: 2,
    });
  }

  async checkAvailable(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }), {
      abortSignal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
  }

  destroy(): void {
    this.client.destroy();
  }
}
