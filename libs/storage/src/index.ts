export { EvidenceStorage } from './evidence-storage';
export { LocalDiskStorage } from './local-disk.storage';
export { S3Storage } from './s3.storage';
export { StorageModule } from './storage.module';
