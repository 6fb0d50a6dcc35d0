import type { AuthContext, GuardRequirement, Tessera, UserRole } from '@tessera/core';
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';

/**
 * The variables Tessera's guards set: `c.get('tessera')` is the caller's auth context. Type
 * your app with it (`new Hono<{ Variables: TesseraVariables }>()`), or let a guard in a
 * route's handler list type `c` for that route alone.
 */
export type TesseraVariables = { tessera: AuthContext };

/** A Hono middleware that sets {@link TesseraVariables}. */
export type TesseraMiddleware = MiddlewareHandler<{ Variables: TesseraVariables }>;

/**
 * Guards a route: the `Authorization: Bearer …` access token must be valid (no database round
 * trip) and meet `requirement`. Allowed: `c.set('tessera', auth)` and on to the next handler.
 * Refused: the core's problem response (401 with `WWW-Authenticate`, or 403), sent as given.
 *
 * @param tessera - the Tessera instance (only its `guard` is used).
 * @param requirement - roles (any of) and/or a permission; none means "authenticated".
 * @returns the middleware.
 *
 * @example
 * ```ts
 * app.get('/api/drafts', tesseraGuard(tessera, { roles: ['MANAGER', 'ADMIN'] }), (c) => c.json({ by: c.get('tessera').userId }));
 * ```
 */
export function tesseraGuard(tessera: Pick<Tessera, 'guard'>, requirement: GuardRequirement = {}): TesseraMiddleware {
  return createMiddleware<{ Variables: TesseraVariables }>(async (c, next) => {
    const outcome = await tessera.guard(c.req.header('authorization'), requirement, c.req.path);
    if (!outcome.allowed) {
      const { status, headers, body } = outcome.denial;
      return new Response(JSON.stringify(body), { status, headers });
    }
    c.set('tessera', outcome.auth);
    await next();
  });
}

/**
 * Requires a valid access token.
 *
 * @example
 * ```ts
 * app.get('/api/me', requireAuth(tessera), (c) => c.json({ userId: c.get('tessera').userId }));
 * ```
 */
export function requireAuth(tessera: Pick<Tessera, 'guard'>): TesseraMiddleware {
  return tesseraGuard(tessera);
}

/**
 * Requires a valid access token of one of `roles`.
 *
 * @example
 * ```ts
 * app.get('/api/admin', requireRole(tessera, 'ADMIN'), (c) => c.json({ ok: true }));
 * ```
 */
export function requireRole(tessera: Pick<Tessera, 'guard'>, ...roles: [UserRole, ...UserRole[]]): TesseraMiddleware {
  return tesseraGuard(tessera, { roles });
}

/**
 * Requires a valid access token whose role the permission table grants `action` (without a
 * target). `action` must be an action of this instance's table, checked at compile time.
 *
 * @example
 * ```ts
 * app.get('/api/reports', requirePermission(tessera, 'users:list'), (c) => c.json({ for: c.get('tessera').userId }));
 * ```
 */
export function requirePermission<Action extends string>(tessera: Tessera<Action>, action: NoInfer<Action>): TesseraMiddleware {
  return tesseraGuard(tessera, { permission: action });
}
