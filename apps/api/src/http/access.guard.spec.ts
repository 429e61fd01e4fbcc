import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Actor, DomainError, ErrorCode, ForbiddenError, type Role } from '@app/common';
import { AuthConfig } from '@app/config';
import { Permission } from '@app/identity';
import { AccessGuard } from './access.guard';
import { ROUTE_ACCESS, type RouteAccess } from './route-access.decorator';

interface FakeRequest {
  headers: Record<string, string>;
  user?: Actor | null;
  routeAccess?: RouteAccess;
}

const actorWith = (role: Role): Actor => ({
  kind: 'user',
  userId: '6f1c3c1e-4a47-4f5e-9a39-7d7c3f1b2a10',
  name: `Test ${role}`,
  role,
  organizationId: '0b7a8c55-5a8f-4a43-8b7e-0f2b8c9d1e23',
  organizationKind: role.startsWith('secretariat')
    ? 'secretariat'
    : role.startsWith('institution')
      ? 'institution'
      : 'certifier',
});

class FakeController {}

/** A fake HTTP execution context whose handler carries `access` (none when undefined). */
function contextFor(access: RouteAccess | undefined, request: FakeRequest): ExecutionContext {
  const handler = function handler(): void {};
  if (access) Reflect.defineMetadata(ROUTE_ACCESS, access, handler);
  return {
    getHandler: () => handler,
    getClass: () => FakeController,
    getType: () => 'http',
    getArgs: () => [request, {}, () => undefined],
    getArgByIndex: (index: number) => [request, {}, () => undefined][index],
    switchToHttp: () => ({
      getRequest: () => request,
      getResponse: () => ({}),
      getNext: () => () => undefined,
    }),
    switchToRpc: () => {
      throw new Error('not rpc');
    },
    switchToWs: () => {
      throw new Error('not ws');
    },
  } as unknown as ExecutionContext;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the guard to refuse');
}

describe(AccessGuard.name, () => {
  let guard: AccessGuard;
  let passportCanActivate: jest.SpyInstance;

  beforeEach(() => {
    guard = new AccessGuard(new Reflector(), new AuthConfig('x'.repeat(32), 900, 30, 5, 900, []));
    // Stands in for passport: the token is taken as verified and request.user is what the test sets.
    passportCanActivate = jest
      .spyOn(
        Object.getPrototypeOf(AccessGuard.prototype) as { canActivate: () => Promise<boolean> },
        'canActivate',
      )
      .mockResolvedValue(true);
  });

  afterEach(() => jest.restoreAllMocks());

  describe('canActivate', () => {
    it('lets a public route through without a token, without asking passport', async () => {
      const request: FakeRequest = { headers: {} };
      await expect(guard.canActivate(contextFor({ kind: 'public' }, request))).resolves.toBe(true);
      expect(passportCanActivate).not.toHaveBeenCalled();
      expect(request.routeAccess).toEqual({ kind: 'public' });
    });

    it('identifies the caller of a public route who sends a token', async () => {
      const request: FakeRequest = { headers: { authorization: 'Bearer token' }, user: actorWith('rater') };
      await expect(guard.canActivate(contextFor({ kind: 'public' }, request))).resolves.toBe(true);
      expect(passportCanActivate).toHaveBeenCalledTimes(1);
    });

    it('refuses a route without an access decision with ForbiddenError, even to a signed-in secretariat_admin', async () => {
      const request: FakeRequest = {
        headers: { authorization: 'Bearer token' },
        user: actorWith('secretariat_admin'),
      };
      const error = await rejectionOf(guard.canActivate(contextFor(undefined, request)));
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as DomainError).code).toBe(ErrorCode.Forbidden);
    });

    it('refuses a role without the route permission with ForbiddenError', async () => {
      const request: FakeRequest = {
        headers: { authorization: 'Bearer token' },
        user: actorWith('secretariat_officer'),
      };
      const access: RouteAccess = { kind: 'permission', permission: Permission.StandardsPublish };
      await expect(guard.canActivate(contextFor(access, request))).rejects.toBeInstanceOf(ForbiddenError);
    });

    it('lets a role holding the route permission through', async () => {
      const request: FakeRequest = {
        headers: { authorization: 'Bearer token' },
        user: actorWith('secretariat_admin'),
      };
      const access: RouteAccess = { kind: 'permission', permission: Permission.StandardsPublish };
      await expect(guard.canActivate(contextFor(access, request))).resolves.toBe(true);
    });

    it('lets any signed-in role through an authenticated route', async () => {
      const request: FakeRequest = {
        headers: { authorization: 'Bearer token' },
        user: actorWith('institution_member'),
      };
      await expect(guard.canActivate(contextFor({ kind: 'authenticated' }, request))).resolves.toBe(true);
    });

    const protectedRoutes: [string, RouteAccess | undefined][] = [
      ['a permission route', { kind: 'permission', permission: Permission.AccountRead }],
      ['an authenticated route', { kind: 'authenticated' }],
      ['a route without an access decision', undefined],
    ];

    it.each(protectedRoutes)(
      'answers UNAUTHENTICATED on %s when no user is signed in',
      async (_label, access) => {
        const request: FakeRequest = { headers: {} };
        const error = await rejectionOf(guard.canActivate(contextFor(access, request)));
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe(ErrorCode.Unauthenticated);
      },
    );

    it('takes the class decision when the handler has none', async () => {
      const request: FakeRequest = { headers: { authorization: 'Bearer token' }, user: actorWith('rater') };
      class SecuredController {}
      Reflect.defineMetadata(ROUTE_ACCESS, { kind: 'authenticated' }, SecuredController);
      const context = contextFor(undefined, request);
      (context as { getClass: () => unknown }).getClass = () => SecuredController;
      await expect(guard.canActivate(context)).resolves.toBe(true);
    });
  });

  describe('handleRequest', () => {
    it('gives a public route the caller, or null for an invalid or absent token', () => {
      const request: FakeRequest = { headers: {}, routeAccess: { kind: 'public' } };
      const context = contextFor({ kind: 'public' }, request);
      const actor = actorWith('rater');
      expect(guard.handleRequest(null, actor, undefined, context)).toBe(actor);
      expect(guard.handleRequest(new Error('bad token'), false, undefined, context)).toBeNull();
    });

    it('refuses a protected route with UNAUTHENTICATED when passport found no user or failed', () => {
      const request: FakeRequest = { headers: {}, routeAccess: { kind: 'authenticated' } };
      const context = contextFor({ kind: 'authenticated' }, request);
      for (const [error, user] of [
        [null, false],
        [new Error('jwt expired'), false],
        [new Error('jwt expired'), actorWith('rater')],
      ] as const) {
        let thrown: unknown;
        try {
          guard.handleRequest(error, user, undefined, context);
        } catch (caught) {
          thrown = caught;
        }
        expect(thrown).toBeInstanceOf(DomainError);
        expect((thrown as DomainError).code).toBe(ErrorCode.Unauthenticated);
      }
    });

    it('answers DATABASE_UNAVAILABLE (503), not UNAUTHENTICATED, when the user lookup cannot reach the database', () => {
      const request: FakeRequest = { headers: {}, routeAccess: { kind: 'authenticated' } };
      const context = contextFor({ kind: 'authenticated' }, request);
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
        code: 'ECONNREFUSED',
      });
      let thrown: unknown;
      try {
        guard.handleRequest(refused, false, undefined, context);
      } catch (caught) {
        thrown = caught;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect((thrown as DomainError).code).toBe(ErrorCode.DatabaseUnavailable);
      expect((thrown as { retryAfterSeconds?: number }).retryAfterSeconds).toBeGreaterThan(0);
    });

    it('returns the user of a protected route', () => {
      const request: FakeRequest = { headers: {}, routeAccess: { kind: 'authenticated' } };
      const actor = actorWith('certifier_admin');
      expect(
        guard.handleRequest(null, actor, undefined, contextFor({ kind: 'authenticated' }, request)),
      ).toBe(actor);
    });
  });
});
