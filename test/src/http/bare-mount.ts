import type { GuardRequirement, Tessera } from '@tessera/core';
import type { HttpMount, MountApp } from './contract.js';

/** The host app's own routes of the `MountApp` contract, each with what its guard requires. */
const hostRoutes: Readonly<Record<string, GuardRequirement | null>> = {
  '/api/public': null,
  '/api/me': {},
  '/api/reports': { permission: 'users:list' },
  '/api/admin': { roles: ['ADMIN'] },
};

/**
 * The core alone, as a host app without any framework would use it: `/auth/*` goes to
 * `tessera.handler`, the `/api/*` routes are guarded with `tessera.guard` (denials sent as
 * given), anything else is a 404.
 */
export const mountBare: MountApp = async (tessera) => bareMount(tessera);

function bareMount(tessera: Tessera): HttpMount {
  return {
    async fetch(path, init) {
      const request = new Request(`http://localhost${path}`, init);
      const { pathname } = new URL(request.url);
      if (pathname === '/auth' || pathname.startsWith('/auth/')) {
        return tessera.handler(request, { basePath: '/auth', clientIp: '127.0.0.1' });
      }
      if (request.method === 'GET' && Object.hasOwn(hostRoutes, pathname)) {
        return hostRoute(tessera, request, pathname, hostRoutes[pathname] ?? null);
      }
      return new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain' } });
    },
    async close() {},
  };
}

async function hostRoute(tessera: Tessera, request: Request, pathname: string, requirement: GuardRequirement | null): Promise<Response> {
  if (requirement === null) return Response.json({ ok: true });
  const outcome = await tessera.guard(request.headers.get('authorization'), requirement, pathname);
  if (!outcome.allowed) {
    const { status, headers, body } = outcome.denial;
    return new Response(JSON.stringify(body), { status, headers });
  }
  const { auth } = outcome;
  switch (pathname) {
    case '/api/me':
      return Response.json({ userId: auth.userId, role: auth.role, permissions: auth.permissions });
    case '/api/reports':
      return Response.json({ ok: true, userId: auth.userId });
    default:
      return Response.json({ ok: true });
  }
}
