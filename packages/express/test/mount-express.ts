import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Tessera } from '@tessera/core';
import type { HttpMount, MountApp } from '@tessera/testkit';
import express, { type Express } from 'express';
import { requireAuth, requirePermission, requireRole, tesseraRouter, type TesseraRouterOptions } from '../src/index.js';

/** The `MountApp` of the HTTP contract: an Express 5 app on an ephemeral port. */
export const mountExpress: MountApp = async (tessera) => listen(buildApp(tessera));

/**
 * The app of the `MountApp` contract, built the way the README tells a user to: Tessera at
 * `/auth` and the host app's own guarded routes. `app` may come with middleware already on it.
 */
export function buildApp(tessera: Tessera, app: Express = express(), options?: TesseraRouterOptions): Express {
  app.use('/auth', tesseraRouter(tessera, options));
  app.get('/api/public', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/api/me', requireAuth(tessera), (req, res) => {
    const { userId, role, permissions } = req.tessera!;
    res.json({ userId, role, permissions });
  });
  app.get('/api/reports', requirePermission(tessera, 'users:list'), (req, res) => {
    res.json({ ok: true, userId: req.tessera?.userId });
  });
  app.get('/api/admin', requireRole(tessera, 'ADMIN'), (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}

/** Serves an app on 127.0.0.1, port 0; `close` also ends the client's keep-alive connections. */
export async function listen(app: Express): Promise<HttpMount & { readonly origin: string }> {
  const server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    // The app's own response, redirects included (a 303 is an answer to check, not to follow).
    fetch: (path, init) => fetch(`${origin}${path}`, { redirect: 'manual', ...init }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
