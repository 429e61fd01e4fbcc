import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { EvidenceStorage } from './evidence-storage';

/** Evidence kept in a folder on local disk (the quick-start default). */
export class LocalDiskStorage extends EvidenceStorage {
  readonly driver = 'local-disk';

  constructor(private readonly directory: string) {
    super();
  }

  async checkAvailable(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    await access(this.directory, constants.R_OK | constants.W_OK);
  }
}
