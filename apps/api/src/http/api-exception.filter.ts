import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { renderRegistryErrorPage } from '@app/certificates';
import { DomainError, type ErrorDetail, ErrorCode } from '@app/common';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable, sqlStateOf } from '@app/database';
import type { Response } from 'express';
import { errorCodeOfSqlState, httpStatusOf } from './error-status';
import { isHtmlPagePath, pageLanguageOf } from './html-pages';
import type { ErrorResponseDto } from './error-response.dto';
import { requestIdOf, type RequestWithId } from './request-id';

/** Seconds a client should wait before retrying after 503 DATABASE_BUSY. */
const DATABASE_BUSY_RETRY_AFTER_SECONDS = 2;

const DATABASE_ERROR_MESSAGES: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.ConcurrentUpdate]:
    'Another request changed the same records at the same time; nothing was saved. Reload and try again',
  [ErrorCode.DatabaseBusy]: 'The records are busy with another change; try again shortly',
  [ErrorCode.AlreadyExists]: 'A record with the same identity already exists',
  [ErrorCode.ReferenceNotFound]: 'The request refers to a record that does not exist',
  [ErrorCode.ValidationFailed]: 'A value in the request cannot be stored',
  [ErrorCode.PayloadTooLarge]: 'The request is too large for the database to process',
};

/** A PostgreSQL error a client can cause (see `errorCodeOfSqlState`), as its error code. */
function clientDatabaseErrorOf(error: unknown): ErrorCode | undefined {
  const sqlState = sqlStateOf(error);
  return sqlState === undefined ? undefined : errorCodeOfSqlState(sqlState);
}

interface ClientError {
  status: number;
  message: string;
  expose?: boolean;
  type?: string;
}

/** Errors of the body parser and other Express middleware carry a 4xx `status` and `expose: true`. */
function isClientError(error: unknown): error is ClientError {
  const candidate = error as Partial<ClientError> | null;
  return (
    candidate !== null &&
    typeof candidate === 'object' &&
    candidate.expose === true &&
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500
  );
}

function fromHttpException(exception: HttpException): { code: ErrorCode; message: string; status: number } {
  const response = exception.getResponse();
  const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
  return fromStatus(exception.getStatus(), message);
}

function fromStatus(status: number, message: string): { code: ErrorCode; message: string; status: number } {
  switch (status) {
    case 400:
      return /JSON|Unexpected token|parse|gzip|deflate|header check|incorrect|encoding/i.test(message)
        ? { code: ErrorCode.MalformedJson, message: 'The request body is not valid JSON', status }
        : { code: ErrorCode.ValidationFailed, message, status };
    case 401:
      return { code: ErrorCode.Unauthenticated, message: 'A valid access token is required', status };
    case 403:
      return { code: ErrorCode.Forbidden, message: 'Your role does not allow this action', status };
    case 404:
      // Nest's message repeats the requested path; an error never echoes what the caller typed.
      return { code: ErrorCode.RouteNotFound, message: 'No route answers this method and path', status };
    case 413:
      return { code: ErrorCode.PayloadTooLarge, message: 'The request body is too large', status };
    case 415:
      return { code: ErrorCode.UnsupportedMediaType, message, status };
    case 429:
      return { code: ErrorCode.TooManyRequests, message: 'Too many requests', status };
    default:
      return status >= 500
        ? { code: ErrorCode.InternalError, message: 'Internal error', status }
        : { code: ErrorCode.ValidationFailed, message, status };
  }
}

/** Turns every error into the documented shape; unknown errors are logged and answered as a generic 500. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const request = context.getRequest<RequestWithId>();
    const requestId = requestIdOf(request, response);

    let status: number;
    let code: ErrorCode;
    let message: string;
    let details: ErrorDetail[] = [];
    if (exception instanceof DomainError) {
      code = exception.code;
      status = httpStatusOf(code);
      message = exception.message;
      details = exception.details;
      const retryAfter = (exception as { retryAfterSeconds?: number }).retryAfterSeconds;
      if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
    } else if (exception instanceof HttpException) {
      ({ code, message, status } = fromHttpException(exception));
    } else if (isClientError(exception)) {
      ({ code, message, status } = fromStatus(exception.status, exception.message));
    } else if (clientDatabaseErrorOf(exception) !== undefined) {
      code = clientDatabaseErrorOf(exception)!;
      status = httpStatusOf(code);
      message = DATABASE_ERROR_MESSAGES[code] ?? 'The database refused the request';
      if (code === ErrorCode.DatabaseBusy) {
        response.setHeader('Retry-After', String(DATABASE_BUSY_RETRY_AFTER_SECONDS));
        this.logger.warn({ err: exception, requestId }, 'Database busy: lock or statement timeout');
      } else if (code === ErrorCode.ConcurrentUpdate) {
        this.logger.warn({ err: exception, requestId }, 'Concurrent update outlasted the retries');
      }
    } else if (isDatabaseUnavailable(exception)) {
      code = ErrorCode.DatabaseUnavailable;
      status = httpStatusOf(code);
      message = 'The database is unavailable; try again shortly';
      response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      this.logger.error({ err: exception, requestId }, 'Database unavailable');
    } else {
      code = ErrorCode.InternalError;
      status = 500;
      message = 'Internal error; quote the request id when reporting it';
      this.logger.error({ err: exception, requestId }, 'Unhandled error');
    }

    if (response.headersSent) {
      response.end();
      return;
    }
    // Whatever the route meant to send (a CSV attachment, a cacheable page), an error is none of that.
    response.removeHeader('Content-Disposition');
    response.removeHeader('ETag');
    response.setHeader('Cache-Control', 'no-store');
    if (isHtmlPagePath(request.path)) {
      // The public HTML pages answer errors as a page of their own, never JSON in an HTML response.
      response
        .status(status)
        .type('text/html; charset=utf-8')
        .send(renderRegistryErrorPage(status, pageLanguageOf(request), requestId));
      return;
    }
    const body: ErrorResponseDto = { statusCode: status, code, message, details, requestId };
    response.status(status).type('application/json; charset=utf-8').json(body);
  }
}
