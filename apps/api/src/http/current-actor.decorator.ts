import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Actor, ErrorCode, DomainError } from '@app/common';
import type { Request } from 'express';

type RequestWithActor = Request & { user?: Actor | null; ip?: string };

/** The signed-in caller; only on routes that require authentication. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<RequestWithActor>().user;
  if (!actor) throw new DomainError(ErrorCode.Unauthenticated, 'A valid access token is required');
  return actor;
});

/** The caller when a token was sent to a public route, null otherwise. */
export const OptionalActor = createParamDecorator(
  (_: unknown, context: ExecutionContext): Actor | null =>
    context.switchToHttp().getRequest<RequestWithActor>().user ?? null,
);

/** The client's address, for throttling. */
export const ClientAddress = createParamDecorator(
  (_: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<RequestWithActor>().ip ?? 'unknown',
);

/** Where a login comes from: the client's address and its User-Agent header. */
export const LoginClientInfo = createParamDecorator(
  (_: unknown, context: ExecutionContext): { address: string; userAgent: string | null } => {
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    return { address: request.ip ?? 'unknown', userAgent: request.headers['user-agent'] ?? null };
  },
);
