import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Permission } from '@app/identity';
import { ErrorResponseDto } from './error-response.dto';

export const ROUTE_ACCESS = 'routeAccess';

/** The access decision every route must carry; a route without one is refused to everyone. */
export type RouteAccess =
  { kind: 'public' } | { kind: 'authenticated' } | { kind: 'permission'; permission: Permission };

/** Anyone, signed in or not. */
export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ROUTE_ACCESS, { kind: 'public' } satisfies RouteAccess);

const securedDocs = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No or invalid access token' }),
  );

/** Any signed-in user, whatever the role. */
export const Authenticated = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ROUTE_ACCESS, { kind: 'authenticated' } satisfies RouteAccess), securedDocs());

/** Signed-in users whose role holds the permission; others get 403. Record-level checks come below. */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROUTE_ACCESS, { kind: 'permission', permission } satisfies RouteAccess),
    securedDocs(),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: `The role lacks ${permission}` }),
  );
