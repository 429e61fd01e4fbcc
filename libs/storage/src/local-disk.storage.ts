import { randomUUID } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EvidenceStorage } from './evidence-storage';
import { FailureOrigin } from './failure-origin';
import { StorageUnavailableError } from './storage.errors';
import { assertStorageKey } from './storage-key.util';

const TEMPORARY_SUFFIX = '.partial';

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

  /** Writes a temporary file beside the target and renames it once complete and flushed. */
  async put(key: string, body: Readable, _contentType: string): Promise<void> {
    const target = this.pathOf(key);
    // Same folder as the target, so that the rename is atomic; a random name, so writers never collide.
    const temporary = `${target}.${randomUUID()}${TEMPORARY_SUFFIX}`;
    const origin = new FailureOrigin(body);
    try {
      await mkdir(dirname(target), { recursive: true });
      const file = createWriteStream(temporary, { flags: 'wx', mode: 0o640, flush: true });
      origin.watchStore(file);
      await pipeline(body, file);
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      throw origin.errorFor(error, 'The evidence folder cannot be written; try again shortly');
    }
  }

  async get(key: string): Promise<Readable> {
    try {
      const handle = await open(this.pathOf(key), 'r');
      return handle.createReadStream();
    } catch (error) {
      throw new StorageUnavailableError(
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'The stored file is missing from the evidence folder'
          : 'The evidence folder cannot be read; try again shortly',
        error,
      );
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await rm(this.pathOf(key), { force: true });
    } catch (error) {
      throw new StorageUnavailableError('The evidence folder cannot be written; try again shortly', error);
    }
  }

  private pathOf(key: string): string {
    assertStorageKey(key);
    return join(this.directory, ...key.split('/'));
  }
}
