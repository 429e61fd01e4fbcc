/** Where evidence bytes live: S3 when a bucket is configured, local disk otherwise. */
export abstract class EvidenceStorage {
  /** A short name for logs and health output, e.g. `s3` or `local-disk`. */
  abstract readonly driver: string;

  /** Resolves when the store answers; rejects with the reason otherwise. */
  abstract checkAvailable(): Promise<void>;
}
