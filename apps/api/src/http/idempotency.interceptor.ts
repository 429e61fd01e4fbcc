import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ApiConflictResponse, ApiHeader } from '@nestjs/swagger';
import { type Actor, canonicalJson, DomainError, ErrorCode, sha256Hex, ValidationError } from '@app/common';
import { IDEMPOTENCY_LEASE_RENEW_MS, IdempotencyStore } from '@app/database';
import type { Request } from 'express';
import { from, type Observable, of } from 'rxjs';
import { catchError, finalize, mergeMap } from 'rxjs/operators';
import { ErrorResponseDto } from './error-response.dto';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const ACCEPTABLE_KEY = /^[\x21-\x7E]{1,255}$/;

/**
 * A repeat of a create request with the same Idempotency-Key and body answers the first answer and
 * creates nothing; the same key with another body answers 409 IDEMPOTENCY_KEY_REUSED.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request & { user?: Actor | null }>();
    const key = request.header(IDEMPOTENCY_HEADER);
    if (key === undefined) return next.handle();
    if (!ACCEPTABLE_KEY.test(key)) {
      throw new ValidationError(`${IDEMPOTENCY_HEADER} must be 1 to 255 visible ASCII characters`, [
        { field: IDEMPOTENCY_HEADER, message: 'must be 1 to 255 visible ASCII characters' },
      ]);
    }
    const scope = request.user?.userId ?? 'anonymous';
    const fingerprint = sha256Hex(`${request.method} ${request.path} ${canonicalJson(request.body ?? null)}`);
    const claim = await this.store.claim(scope, key, fingerprint);
    switch (claim.state) {
      case 'replay':
        return of(claim.body);
      case 'mismatch':
        throw new DomainError(
          ErrorCode.IdempotencyKeyReused,
          `This ${IDEMPOTENCY_HEADER} was already used for a different request`,
        );
      case 'in_progress':
        throw new DomainError(
          ErrorCode.IdempotencyRequestInProgress,
          `A request with this ${IDEMPOTENCY_HEADER} is still being processed; retry shortly`,
        );
      case 'claimed':
        break;
    }
    const statusCode =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED;
    // The claim is a lease: renewed while this request runs, it lapses soon after this process dies.
    const renewal = setInterval(() => {
      this.store.renew(scope, key).catch(() => undefined);
    }, IDEMPOTENCY_LEASE_RENEW_MS);
    renewal.unref();
    return next.handle().pipe(
      finalize(() => clearInterval(renewal)),
      mergeMap((body: unknown) => from(this.store.complete(scope, key, statusCode, body).then(() => body))),
      catchError((error: unknown) =>
        from(
          this.store.release(scope, key).then(() => {
            throw error;
          }),
        ),
      ),
    );
  }
}

/** Marks a create route as honouring the Idempotency-Key header. */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: IDEMPOTENCY_HEADER,
      required: false,
      schema: { type: 'string', pattern: ACCEPTABLE_KEY.source, minLength: 1, maxLength: 255 },
      description: 'A repeat with the same key and body returns the first answer and creates nothing new',
    }),
    ApiConflictResponse({
      type: ErrorResponseDto,
      description: 'IDEMPOTENCY_KEY_REUSED or IDEMPOTENCY_REQUEST_IN_PROGRESS',
    }),
  );
