import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export type RequestWithId = Request & { id?: string };

/** The caller's X-Request-Id when it is sane, a new UUID otherwise; echoed on every response. */
export function requestIdMiddleware(request: RequestWithId, response: Response, next: NextFunction): void {
  const incoming = request.header(REQUEST_ID_HEADER);
  request.id = incoming && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
  response.setHeader(REQUEST_ID_HEADER, request.id);
  next();
}

export function requestIdOf(request: RequestWithId, response?: Response): string {
  if (!request.id) {
    request.id = randomUUID();
    if (response && !response.headersSent) response.setHeader(REQUEST_ID_HEADER, request.id);
  }
  return request.id;
}
