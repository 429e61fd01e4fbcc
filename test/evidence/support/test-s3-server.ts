import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { EnvironmentSource } from '@app/config';
import S3rver from 's3rver';

const BUCKET = 'cpc-evidence-test';

/** A real S3-protocol server (s3rver) on loopback with an ephemeral port and a temporary folder. */
export class TestS3Server {
  private isRunning = true;

  private constructor(
    private readonly server: S3rver,
    private readonly directory: string,
    readonly endpoint: string,
    readonly client: S3Client,
  ) {}

  static async start(): Promise<TestS3Server> {
    const directory = mkdtempSync(join(tmpdir(), 'cpc-s3rver-'));
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
    const { port } = await server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    return new TestS3Server(server, directory, endpoint, client);
  }

  /** The settings that point the API at this server. */
  env(): EnvironmentSource {
    return {
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: this.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    };
  }

  async listKeys(): Promise<string[]> {
    const listed = await this.client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
  }

  /** Stops answering (the "storage is down" case); `close` afterwards is then a no-op for the server. */
  async stop(): Promise<void> {
    if (!this.isRunning) return;
    this.isRunning = false;
    await this.server.close();
  }

  async close(): Promise<void> {
    await this.stop();
    this.client.destroy();
    rmSync(this.directory, { recursive: true, force: true });
  }
}
