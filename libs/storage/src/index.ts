export { attachmentDisposition } from './content-disposition.util';
export {
  EvidenceStorage,
  MAX_PRESIGNED_URL_SECONDS,
  type PresignedDownloadOptions,
} from './evidence-storage';
export { LocalDiskStorage } from './local-disk.storage';
export { S3Storage } from './s3.storage';
export { StorageUnavailableError } from './storage.errors';
export { StorageModule } from './storage.module';
