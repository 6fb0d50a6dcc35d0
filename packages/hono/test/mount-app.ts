import type { Tessera } from '@tessera/core';
import type { HttpMount } from '@tessera/testkit';
import { Hono } from 'hono';
import { requireAuth, requirePermission, requireRole, tesseraApp, type TesseraAppOptions, type TesseraVariables } from '../src/index.js';

/** The app of the `MountApp` contract, built the way the README tells a user to. */
export function buildApp(tessera: Tessera, options?: TesseraAppOptions): Hono<{ Variables: TesseraVariables }> {
  const app = new Hono<{ Variables: TesseraVariables }>();
  app.route('/auth', tesseraApp(tessera, options));
  app.get('/api/public', (c) => c.json({ ok: true }));
  app.get('/api/me', requireAuth(tessera), (c) => {
    const { userId, role, permissions } = c.get('tessera');
    return c.json({ userId, role, permissions });
  });
  app.get('/api/reports', requirePermission(tessera, 'users:list'), (c) => c.json({ ok: true, userId: c.get('tessera').userId }));
  app.get('/api/admin', requireRole(tessera, 'ADMIN'), (c) => c.json({ ok: true }));
  return app;
}

/**
 * The contract's `mount`: requests go through `app.request()`, no port — so no socket either;
 * the client address is the loopback one a Node server would report for these requests.
 */
export async function mountHono(tessera: Tessera): Promise<HttpMount> {
  const app = buildApp(tessera, { clientIp: () => '127.0.0.1' });
  return {
    fetch: async (path, init) => app.request(path, init),
    close: async () => undefined,
  };
}
