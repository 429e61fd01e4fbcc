import type { Readable, Writable } from 'node:stream';
import { StorageUnavailableError } from './storage.errors';

/**
 * Tells a failed `put` apart: when the body failed first (a size limit, a refused type, an aborted
 * request) its own error is passed on; otherwise the store failed and the caller sees 503.
 */
export class FailureOrigin {
  private origin: 'body' | 'store' | undefined;
  private bodyError: unknown;

  constructor(body: Readable) {
    body.on('error', (error: unknown) => {
      // The store's client stops reading a body it no longer needs by destroying it with an
      // AbortError: that is the store failing, not the body.
      if (this.origin !== undefined || isConsumerAbort(error)) return;
      this.origin = 'body';
      this.bodyError = error;
    });
  }

  /** Also watch the store's side of a pipe, so that its error is not mistaken for the body's. */
  watchStore(store: Writable): void {
    store.on('error', () => {
      this.origin ??= 'store';
    });
  }

  errorFor(error: unknown, storeMessage: string): unknown {
    if (this.origin === 'body') return this.bodyError;
    return new StorageUnavailableError(storeMessage, error);
  }
}

function isConsumerAbort(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'AbortError';
}
