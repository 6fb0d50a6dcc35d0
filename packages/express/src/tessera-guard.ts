import type { AuthContext, GuardRequirement, Tessera, UserRole } from '@tessera/core';
import type { RequestHandler } from 'express';

declare global {
  // Express's own extension point: the `Request` of both the Express 4 and 5 typings
  // (`express-serve-static-core`) extends `Express.Request`, and merging here needs no
  // resolution of that package from this one.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The caller's auth context, set by Tessera's guards (`requireAuth`, ...) on the routes they guard. */
      tessera?: AuthContext;
    }
  }
}

/**
 * Guards a route: the `Authorization: Bearer …` access token must be valid (no database round
 * trip) and meet `requirement`. Allowed: `req.tessera` is the caller's auth context and the
 * next handler runs. Refused: the core's problem response (401 with `WWW-Authenticate`, or
 * 403, `application/problem+json`), sent as given.
 *
 * @param tessera - the Tessera instance (only its `guard` is used).
 * @param requirement - roles (any of) and/or a permission; none means "authenticated".
 * @returns the middleware.
 *
 * @example
 * ```ts
 * app.get('/api/drafts', tesseraGuard(tessera, { roles: ['MANAGER', 'ADMIN'] }), (req, res) => {
 *   res.json({ by: req.tessera?.userId });
 * });
 * ```
 */
export function tesseraGuard(tessera: Pick<Tessera, 'guard'>, requirement: GuardRequirement = {}): RequestHandler {
  return (req, res, next) => {
    const instance = req.originalUrl.split('?', 1)[0];
    const decide = async (): Promise<void> => {
      const outcome = await tessera.guard(req.get('authorization'), requirement, instance);
      if (outcome.allowed) {
        req.tessera = outcome.auth;
        return next();
      }
      const { status, headers, body } = outcome.denial;
      res.status(status);
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.end(JSON.stringify(body));
    };
    decide().catch(next);
  };
}

/**
 * Requires a valid access token.
 *
 * @param tessera - the Tessera instance (only its `guard` is used).
 * @returns the middleware; `req.tessera` is set for the handlers after it.
 *
 * @example
 * ```ts
 * app.get('/api/me', requireAuth(tessera), (req, res) => {
 *   res.json({ userId: req.tessera?.userId });
 * });
 * ```
 */
export function requireAuth(tessera: Pick<Tessera, 'guard'>): RequestHandler {
  return tesseraGuard(tessera);
}

/**
 * Requires a valid access token of one of `roles`.
 *
 * @param tessera - the Tessera instance (only its `guard` is used).
 * @param roles - the roles allowed (any of them).
 * @returns the middleware; `req.tessera` is set for the handlers after it.
 *
 * @example
 * ```ts
 * app.get('/api/admin', requireRole(tessera, 'ADMIN'), (_req, res) => {
 *   res.json({ ok: true });
 * });
 * ```
 */
export function requireRole(tessera: Pick<Tessera, 'guard'>, ...roles: [UserRole, ...UserRole[]]): RequestHandler {
  return tesseraGuard(tessera, { roles });
}

/**
 * Requires a valid access token whose role the permission table grants `action` (without a
 * target). `action` must be an action of this instance's table, checked at compile time.
 *
 * @param tessera - the Tessera instance (its `guard` is used; its type names the actions).
 * @param action - the action the caller's role must be granted, e.g. `users:list`.
 * @returns the middleware; `req.tessera` is set for the handlers after it.
 *
 * @example
 * ```ts
 * app.get('/api/reports', requirePermission(tessera, 'users:list'), (req, res) => {
 *   res.json({ for: req.tessera?.userId });
 * });
 * ```
 */
export function requirePermission<Action extends string>(tessera: Tessera<Action>, action: NoInfer<Action>): RequestHandler {
  return tesseraGuard(tessera, { permission: action });
}
