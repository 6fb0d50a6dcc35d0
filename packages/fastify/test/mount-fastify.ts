import type { AddressInfo } from 'node:net';
import type { Tessera } from '@tessera/core';
import type { HttpMount, MountApp } from '@tessera/testkit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import tesseraPlugin, { tesseraFrameworkErrors } from '../src/index.js';

/** The `MountApp` of the HTTP contract: Tessera at `/auth` and the host app's guarded routes. */
export const mountFastify: MountApp = async (tessera) => mountApp(await buildApp(tessera));

/** A Fastify app as a user would build it, with Tessera registered at `/auth`. */
export async function buildApp(tessera: Tessera, options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ frameworkErrors: tesseraFrameworkErrors, ...options });
  await app.register(tesseraPlugin, { tessera, prefix: '/auth' });
  app.get('/api/public', async () => ({ ok: true }));
  app.get('/api/me', { onRequest: [app.authenticate] }, async (request) => {
    const { userId, role, permissions } = request.tessera!;
    return { userId, role, permissions };
  });
  app.get('/api/reports', { onRequest: [app.requirePermission('users:list')] }, async (request) => ({ ok: true, userId: request.tessera?.userId }));
  app.get('/api/admin', { onRequest: [app.requireRole('ADMIN')] }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

/**
 * Requests go through `app.inject()`; a streamed body (which inject would buffer and give a
 * Content-Length) goes over a real socket on an ephemeral port instead.
 */
export function mountApp(app: FastifyInstance): HttpMount {
  let origin: Promise<string> | undefined;
  const listen = async (): Promise<string> => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  };
  return {
    async fetch(path, init = {}) {
      if (init.body instanceof ReadableStream) {
        return fetch(`${await (origin ??= listen())}${path}`, { ...init, duplex: 'half' });
      }
      // A Request normalises the init (header casing, form and Blob bodies, their content type);
      // the path itself goes to Fastify exactly as written.
      const request = new Request(`http://localhost${path}`, init);
      const payload = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
      const injected = await app.inject({
        method: request.method as 'GET',
        url: path,
        headers: Object.fromEntries(request.headers),
        ...(payload !== undefined && { payload }),
      });
      const headers = new Headers();
      for (const [name, value] of Object.entries(injected.headers)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) headers.append(name, String(item));
      }
      const nullBody = [101, 204, 205, 304].includes(injected.statusCode) || request.method === 'HEAD';
      return new Response(nullBody ? null : injected.rawPayload, { status: injected.statusCode, statusText: injected.statusMessage, headers });
    },
    close: () => app.close(),
  };
}
