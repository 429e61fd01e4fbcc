import { Global, Module } from '@nestjs/common';
import { StorageConfig } from '@app/config';
import { EvidenceStorage } from './evidence-storage';
import { LocalDiskStorage } from './local-disk.storage';
import { S3Storage } from './s3.storage';

@Global()
@Module({
  providers: [
    {
      provide: EvidenceStorage,
      inject: [StorageConfig],
      useFactory: (config: StorageConfig): EvidenceStorage =>
        config.s3 ? new S3Storage(config.s3) : new LocalDiskStorage(config.localDirectory),
    },
  ],
  exports: [EvidenceStorage],
})
export class StorageModule {}
