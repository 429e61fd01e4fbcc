import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { type Actor, DomainError, ErrorCode, ForbiddenError } from '@app/common';
import { AuthConfig } from '@app/config';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '@app/database';
import { hasPermission, Permission } from '@app/identity';
import type { Request } from 'express';
import { ROUTE_ACCESS, type RouteAccess } from './route-access.decorator';
import { RouteMetadataCache } from './route-metadata.cache';

type GuardedRequest = Request & { user?: Actor | null; routeAccess?: RouteAccess };

/**
 * The global guard: deny by default. Public routes pass (a token, when sent, identifies the caller);
 * every other route needs a valid token and, unless it is open to any signed-in user, a role holding
 * the route's permission. A route without an access decision is refused to everyone.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  private readonly routeAccess: RouteMetadataCache<RouteAccess>;

  constructor(
    reflector: Reflector,
    private readonly authConfig: AuthConfig,
  ) {
    super();
    this.routeAccess = new RouteMetadataCache(reflector, ROUTE_ACCESS);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.routeAccess.of(context);
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    request.routeAccess = access;
    if (access?.kind === 'public' && !request.headers.authorization) return true;

    await (super.canActivate(context) as Promise<boolean>);
    if (access?.kind === 'public') return true;
    const actor = request.user;
    if (!actor) throw new DomainError(ErrorCode.Unauthenticated, 'A valid access token is required');
    if (!access) throw new ForbiddenError('This route has no access rule and is closed');
    if (access.kind === 'authenticated') return true;
    if (!hasPermission(actor.role, access.permission)) throw new ForbiddenError();
    if (this.lacksRequiredSecondFactor(actor, access.permission)) {
      throw new DomainError(
        ErrorCode.MfaRequired,
        'Your role requires a second factor: sign in again with your authenticator code',
      );
    }
    return true;
  }

  /**
   * A role in MFA_REQUIRED_ROLES reaches only its own account (and the MFA set-up) with a token that was
   * not signed in with a second factor (`amr` without `otp`).
   */
  private lacksRequiredSecondFactor(actor: Actor, permission: Permission): boolean {
    if (permission === Permission.AccountRead || permission === Permission.AccountChangePassword)
      return false;
    if (actor.role === null || !this.authConfig.mfaRequiredRoles.includes(actor.role)) return false;
    return !(actor.authenticationMethods ?? []).includes('otp');
  }

  override handleRequest<TUser = Actor>(
    error: unknown,
    user: TUser | false,
    _info: unknown,
    context: ExecutionContext,
  ): TUser {
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    if (request.routeAccess?.kind === 'public') return (user || null) as TUser;
    // A failed token check is `info` (401); an `error` is the user lookup failing, e.g. the database
    // being down: that is the server's fault, answered as such (503 DATABASE_UNAVAILABLE), not a logout.
    if (isDatabaseUnavailable(error)) throw new DatabaseUnavailableError(error);
    if (error || !user) throw new DomainError(ErrorCode.Unauthenticated, 'A valid access token is required');
    return user;
  }
}
