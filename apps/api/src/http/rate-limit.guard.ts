import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Actor, DomainError, ErrorCode } from '@app/common';
import { RateLimitConfig } from '@app/config';
import { RateCounterStore } from '@app/database';
import type { Request, Response } from 'express';
import { RouteMetadataCache } from './route-metadata.cache';

/** How a route spends the budget: costly routes get a share of RATE_LIMIT_PER_MINUTE. */
export type RateLimitClass = 'default' | 'refresh' | 'export' | 'upload' | 'render' | 'none';

/** The share of RATE_LIMIT_PER_MINUTE each class may use (at least one request a minute). */
export const RATE_LIMIT_SHARES: Record<Exclude<RateLimitClass, 'none'>, number> = {
  default: 1,
  refresh: 0.1,
  export: 0.05,
  upload: 0.05,
  render: 0.05,
};

export const RATE_LIMIT_CLASS = 'rateLimitClass';
const WINDOW_SECONDS = 60;

/** Puts the route in a stricter class of the general rate limit, or (`none`) outside it. */
export const RateLimit = (rateClass: RateLimitClass): MethodDecorator & ClassDecorator =>
  SetMetadata(RATE_LIMIT_CLASS, rateClass);

export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(ErrorCode.RateLimited, `Too many requests; try again in ${retryAfterSeconds} seconds`, [
      { message: 'retry later', retryAfterSeconds },
    ]);
  }
}

type LimitedRequest = Request & { user?: Actor | null };

/**
 * The general rate limit, after the access guard: per user when signed in, per client address
 * otherwise, in fixed one-minute windows shared by every instance through PostgreSQL: counted in
 * process and added to PostgreSQL in batches (RateCounterStore.count), so a request costs no query. Answers carry RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset; over
 * the budget, 429 RATE_LIMITED with Retry-After.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly rateClasses: RouteMetadataCache<RateLimitClass>;

  constructor(
    reflector: Reflector,
    private readonly config: RateLimitConfig,
    private readonly counters: RateCounterStore,
  ) {
    this.rateClasses = new RouteMetadataCache(reflector, RATE_LIMIT_CLASS);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.config.isEnabled || context.getType() !== 'http') return true;
    const rateClass = this.rateClasses.of(context) ?? 'default';
    if (rateClass === 'none') return true;
    const request = context.switchToHttp().getRequest<LimitedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const limit = Math.max(1, Math.floor(this.config.perMinute * RATE_LIMIT_SHARES[rateClass]));
    const caller = request.user?.userId ? `user:${request.user.userId}` : `client:${request.ip ?? 'unknown'}`;
    const { points, msUntilReset } = this.counters.count(`rate:${rateClass}:${caller}`, WINDOW_SECONDS);
    const resetSeconds = Math.max(1, Math.ceil(msUntilReset / 1000));
    response.setHeader('RateLimit-Limit', String(limit));
    response.setHeader('RateLimit-Remaining', String(Math.max(0, limit - points)));
    response.setHeader('RateLimit-Reset', String(resetSeconds));
    if (points > limit) throw new RateLimitedError(resetSeconds);
    return true;
  }
}
