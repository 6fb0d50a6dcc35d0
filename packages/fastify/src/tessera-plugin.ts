import type { AuthContext, Tessera, UserRole } from '@tessera/core';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { guardHook, type TesseraGuardHook } from './guard-hook.js';
import { tesseraRoutes } from './tessera-routes.js';

/** Options of the Tessera plugin. */
export interface TesseraPluginOptions {
  /** The instance built with `createTessera(...)`. */
  readonly tessera: Tessera<string>;
  /**
   * Where Tessera's routes are mounted, relative to the scope the plugin is registered in (an
   * outer `prefix` is prepended: `/v1` + `/auth`).
   * @default '/auth'
   */
  readonly prefix?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, once a Tessera guard let the request through; `null` on unguarded routes. */
    tessera: AuthContext | null;
  }
  interface FastifyInstance {
    /** Route hook: requires a valid access token (`Authorization: Bearer <token>`). */
    authenticate: TesseraGuardHook;
    /** Route hook: requires a valid access token of a user holding one of `roles`. */
    requireRole(...roles: UserRole[]): TesseraGuardHook;
    /** Route hook: requires a valid access token whose role the permission table grants `action`. */
    requirePermission(action: string): TesseraGuardHook;
  }
}

const plugin: FastifyPluginAsync<TesseraPluginOptions> = async (app, options) => {
  const { tessera, prefix = '/auth' } = options;
  if (typeof tessera?.handler !== 'function') {
    throw new TypeError('@tessera/fastify: the `tessera` option must be the instance returned by createTessera().');
  }
  app.decorateRequest('tessera', null);
  app.decorate('authenticate', guardHook(tessera, {}));
  app.decorate('requireRole', (...roles: UserRole[]) => {
    if (roles.length === 0) throw new TypeError('@tessera/fastify: requireRole() needs at least one role.');
    return guardHook(tessera, { roles });
  });
  app.decorate('requirePermission', (action: string) => guardHook(tessera, { permission: action }));
  // `prefix` is ignored on an `fp`-wrapped plugin: the routes live in an inner, encapsulated one.
  await app.register(tesseraRoutes, { tessera, prefix });
};

/**
 * The Tessera plugin for Fastify 5: Tessera's REST API under `prefix`, `request.tessera`, and
 * the route hooks `app.authenticate`, `app.requireRole(...)` and `app.requirePermission(...)`
 * on the instance it is registered in (and its children).
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { tesseraPlugin } from '@tessera/fastify';
 *
 * const app = Fastify({ logger: true });
 * await app.register(tesseraPlugin, { tessera, prefix: '/auth' });
 * app.get('/api/me', { onRequest: [app.authenticate] }, async (request) => ({ userId: request.tessera?.userId }));
 * app.get('/api/admin', { onRequest: [app.requireRole('ADMIN')] }, async () => ({ ok: true }));
 * ```
 * @throws TypeError at registration when `tessera` is not a Tessera instance.
 */
export const tesseraPlugin = fp(plugin, { name: '@tessera/fastify', fastify: '5.x' });
