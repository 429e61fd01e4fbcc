import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError, type ErrorDetail, ErrorCode } from '@app/common';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '@app/database';
import type { Response } from 'express';
import { httpStatusOf } from './error-status';
import type { ErrorResponseDto } from './error-response.dto';
import { requestIdOf, type RequestWithId } from './request-id';

// PostgreSQL refusing a value that slipped past validation: invalid text, JSON or number input.
const DATA_EXCEPTIONS = ['22021', '22P05', '22P02', '22003', '22007', '22008'];

function isDataException(error: unknown): boolean {
  const driverCode = (error as { driverError?: { code?: string } } | null)?.driverError?.code;
  return DATA_EXCEPTIONS.includes(driverCode ?? '');
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
      return { code: ErrorCode.RouteNotFound, message, status };
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
    } else if (isDataException(exception)) {
      code = ErrorCode.ValidationFailed;
      status = httpStatusOf(code);
      message = 'A value in the request cannot be stored';
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
    const body: ErrorResponseDto = { statusCode: status, code, message, details, requestId };
    response.status(status).json(body);
  }
}
