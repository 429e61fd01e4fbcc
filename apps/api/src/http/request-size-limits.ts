import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { DomainError, ErrorCode } from '@app/common';
import type { NextFunction, Request, Response } from 'express';
import { httpStatusOf } from './error-status';
import { REQUEST_ID_HEADER } from './request-id';

/** The longest URL (path and query) a request may have: longer answers 414 URI_TOO_LONG. */
export const MAX_URL_BYTES = 16 * 1024;
/** The most header bytes (names and values) a request may send: more answers 431 HEADERS_TOO_LARGE. */
export const MAX_HEADER_BYTES = 16 * 1024;
/**
 * Node's parser limit for the request line and headers together. Above both limits, so that a request
 * over either is parsed and answered by `requestSizeLimits` in the documented error shape; past it, the
 * server's `clientError` handler answers.
 */
export const PARSER_MAX_HEADER_BYTES = 4 * (MAX_URL_BYTES + MAX_HEADER_BYTES);

const ERRORS = {
  [ErrorCode.UriTooLong]: `The URL is longer than ${MAX_URL_BYTES} bytes`,
  [ErrorCode.HeadersTooLarge]: `The request headers are larger than ${MAX_HEADER_BYTES} bytes in all`,
} as const;

function headerBytes(request: Request): number {
  let bytes = 0;
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    // `Name: value\r\n`
    bytes +=
      Buffer.byteLength(request.rawHeaders[index]) + Buffer.byteLength(request.rawHeaders[index + 1]) + 4;
  }
  return bytes;
}

/** Middleware, after the request id: refuses overlong URLs (414) and header sets (431) before routing. */
export function requestSizeLimits(request: Request, _response: Response, next: NextFunction): void {
  if (Buffer.byteLength(request.originalUrl) > MAX_URL_BYTES) {
    next(new DomainError(ErrorCode.UriTooLong, ERRORS[ErrorCode.UriTooLong]));
  } else if (headerBytes(request) > MAX_HEADER_BYTES) {
    next(new DomainError(ErrorCode.HeadersTooLarge, ERRORS[ErrorCode.HeadersTooLarge]));
  } else {
    next();
  }
}

type ParserError = Error & { code?: string };

/**
 * The answer to a request whose head Node's parser refused as larger than PARSER_MAX_HEADER_BYTES: 431,
 * JSON, with a request id. (The parser does not tell whether the URL or the headers overflowed, and only
 * the last packet received is at hand; below this size the URL's 414 comes from `requestSizeLimits`.)
 */
function overflowAnswer(): string {
  const code = ErrorCode.HeadersTooLarge;
  const statusCode = httpStatusOf(code);
  const requestId = randomUUID();
  const body = JSON.stringify({
    statusCode,
    code,
    message: `The request head (URL and headers) is larger than ${PARSER_MAX_HEADER_BYTES} bytes`,
    details: [],
    requestId,
  });
  return [
    `HTTP/1.1 ${statusCode} Request Header Fields Too Large`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `${REQUEST_ID_HEADER}: ${requestId}`,
    'Cache-Control: no-store',
    'X-Content-Type-Options: nosniff',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Raises the parser's limit above MAX_URL_BYTES and MAX_HEADER_BYTES (so `requestSizeLimits` answers
 * those) and answers a head past even that limit in the documented shape instead of Node's bare 431.
 * Other parse errors keep Node's own answers.
 */
export function installRequestSizeLimits(server: Server): void {
  // Read by Node for each new connection; the option of http.createServer, which Nest calls itself.
  (server as Server & { maxHeaderSize?: number }).maxHeaderSize = PARSER_MAX_HEADER_BYTES;
  server.on('clientError', (error: ParserError, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (error.code === 'HPE_HEADER_OVERFLOW') {
      socket.end(overflowAnswer());
    } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    } else {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    }
  });
}
