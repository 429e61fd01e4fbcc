import type { NextFunction, Request, Response } from 'express';

/** Evidence uploads may take long over slow links; they still must arrive within the hour. */
export const UPLOAD_REQUEST_TIMEOUT_MS = 3_600_000;
/** Every other request must have arrived whole within 5 minutes (Node's own default). */
export const REQUEST_TIMEOUT_MS = 300_000;

const UPLOAD_ROUTE = /^\/api\/v1\/(cases\/[^/]+\/evidence|evidence\/[^/]+\/versions)\/?(\?.*)?$/;

export function isUploadRoute(method: string, url: string): boolean {
  return method === 'POST' && UPLOAD_ROUTE.test(url);
}

/**
 * The server's requestTimeout is the upload deadline (main.ts); this middleware holds every other
 * request to the shorter one, so a slow client cannot keep a connection open for an hour on a JSON route.
 */
export function requestDeadline(request: Request, _response: Response, next: NextFunction): void {
  if (!isUploadRoute(request.method, request.originalUrl)) {
    const timer = setTimeout(() => {
      if (!request.complete) request.socket.destroy();
    }, REQUEST_TIMEOUT_MS);
    timer.unref();
    const clear = (): void => clearTimeout(timer);
    request.once('end', clear);
    request.once('close', clear);
  }
  next();
}
