import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createPgMemStore } from '@tessera/kysely/pg-mem';
import { createTestTessera, goodPassword, mailedToken, signIn, uniqueEmail, type TestTessera } from '@tessera/testkit';
import type { BuiltInAction, Tessera, TesseraStore } from '@tessera/core';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { mount } from 'hono/mount';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { requirePermission, tesseraApp, tesseraGuard, type TesseraVariables } from '../src/index.js';
import { buildApp } from './mount-app.js';

let store: TesseraStore;
let closeStore: () => Promise<void>;
let t: TestTessera;

beforeEach(async () => {
  ({ store, close: closeStore } = await createPgMemStore());
  t = await createTestTessera(store);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await closeStore();
});

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });

interface Problem {
  readonly status: number;
  readonly code: string;
  readonly instance?: string;
}

describe('tesseraApp', () => {
  it('gives links, problem instances and the OpenAPI server the full path when mounted by nested route() calls', async () => {
    const app = new Hono().route('/v1', new Hono().route('/auth', tesseraApp(t.tessera)));
    const admin = await signIn(t, { role: 'ADMIN' });

    const user = await app.request(`/v1/auth/users/${admin.user.id}`, bearer(admin.tokens.accessToken));
    expect(user.status).toBe(200);
    expect(((await user.json()) as { _links: { self: { href: string } } })._links.self.href).toBe(`/v1/auth/users/${admin.user.id}`);

    const missing = await app.request('/v1/auth/no-such-route');
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(await missing.json()).toMatchObject({ status: 404, code: 'route_not_found', instance: '/v1/auth/no-such-route' });

    const openapi = (await (await app.request('/v1/auth/openapi.json')).json()) as { servers: Array<{ url: string }> };
    expect(openapi.servers[0]?.url).toBe('http://localhost/v1/auth');
  });

  it('fills route parameters of the mount path in with the values of the request', async () => {
    const app = new Hono().route('/tenants/:tenant/auth', tesseraApp(t.tessera));
    expect((await app.request('/tenants/acme/auth/health')).status).toBe(200);
    const openapi = (await (await app.request('/tenants/acme/auth/openapi.json')).json()) as { servers: Array<{ url: string }> };
    expect(openapi.servers[0]?.url).toBe('http://localhost/tenants/acme/auth');
  });

  it('answers an over-long chunked body without Content-Length with the core’s 413, reading no further than the cap', async () => {
    const app = buildApp(t.tessera);
    let sentBytes = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sentBytes += 16_384;
        controller.enqueue(new Uint8Array(16_384).fill(0x20));
      },
    });
    const response = await app.request('/auth/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: endless, duplex: 'half' });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'payload_too_large', instance: '/auth/register' });
    expect(sentBytes).toBeLessThan(65_536 + 4 * 16_384);
  });

  it('passes on a body a host middleware already read through c.req', async () => {
    const app = new Hono();
    app.use('/auth/*', async (c, next) => {
      if (c.req.header('content-type') === 'application/json') await c.req.json();
      await next();
    });
    app.route('/auth', tesseraApp(t.tessera));
    const response = await app.request('/auth/register', json({ email: uniqueEmail(), password: goodPassword }));
    expect(response.status).toBe(201);
  });

  it('keeps the headers host middleware adds, on Tessera’s responses and on a guard’s refusals', async () => {
    const app = new Hono();
    app.use('*', cors({ origin: 'https://app.example' }));
    app.route('/auth', tesseraApp(t.tessera));
    app.get('/api/me', tesseraGuard(t.tessera), (c) => c.json({ userId: c.get('tessera').userId }));
    for (const path of ['/auth/health', '/api/me']) {
      const response = await app.request(path, { headers: { origin: 'https://app.example' } });
      expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
      expect(response.headers.get('cache-control')).toMatch(/no-store|max-age/);
    }
  });

  it('gives the core the socket address when running on @hono/node-server', async () => {
    const admin = await signIn(t, { role: 'ADMIN' });
    const target = await signIn(t);
    const server = await listen(buildApp(t.tessera));
    try {
      const { port } = server.address() as AddressInfo;
      const locked = await fetch(`http://127.0.0.1:${port}/auth/users/${target.user.id}/lock`, { method: 'POST', headers: { authorization: `Bearer ${admin.tokens.accessToken}` } });
      expect(locked.status).toBe(200);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const audit = await store.audit.listForTarget(target.user.id, 10);
    expect(audit.map((event) => event.ipAddress)).toContain('127.0.0.1');
  });

  it('takes the client IP from the clientIp option, and has none by default outside Node', async () => {
    const handler = vi.spyOn(t.tessera, 'handler');
    await buildApp(t.tessera).request('/auth/health');
    await buildApp(t.tessera, { clientIp: (c) => c.req.header('x-real-ip') ?? null }).request('/auth/health', { headers: { 'x-real-ip': '203.0.113.7' } });
    expect(handler.mock.calls.map(([, context]) => context)).toEqual([
      { basePath: '/auth', clientIp: null },
      { basePath: '/auth', clientIp: '203.0.113.7' },
    ]);
  });
});

describe('app.mount, the zero-code path', () => {
  it('keeps links and instances right with the request left as it is and the mount path given to the core', async () => {
    const app = new Hono();
    app.mount('/auth', t.tessera.handler, { replaceRequest: false, optionHandler: () => ({ basePath: '/auth' }) });
    await expectMountedAtAuth(app);
  });

  it('works the same with mount() from hono/mount, which replaces app.mount', async () => {
    const app = new Hono();
    app.all('/auth/*', mount(t.tessera.handler, { replaceRequest: false, optionHandler: () => ({ basePath: '/auth' }) }));
    await expectMountedAtAuth(app);
  });

  it('loses the mount path without those options: Hono strips it from the URL the core sees', async () => {
    const app = new Hono();
    app.mount('/auth', t.tessera.handler);
    const missing = await app.request('/auth/no-such-route');
    expect(((await missing.json()) as Problem).instance).toBe('/no-such-route');
  });

  async function expectMountedAtAuth(app: Hono): Promise<void> {
    const email = uniqueEmail();
    expect((await app.request('/auth/register', json({ email, password: goodPassword }))).status).toBe(201);
    expect((await app.request(`/auth/verify-email?token=${await mailedToken(t, 'user.registered', email)}`)).status).toBe(200);
    const missing = await app.request('/auth/no-such-route');
    expect(((await missing.json()) as Problem).instance).toBe('/auth/no-such-route');
    const openapi = (await (await app.request('/auth/openapi.json')).json()) as { servers: Array<{ url: string }> };
    expect(openapi.servers[0]?.url).toBe('http://localhost/auth');
  }
});

describe('guards', () => {
  it('refuses a request without a token with the core’s 401 and its WWW-Authenticate challenge', async () => {
    const response = await buildApp(t.tessera).request('/api/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'unauthenticated', instance: '/api/me' });
  });

  it('refuses a role that is not required with the core’s 403', async () => {
    const manager = await signIn(t, { role: 'MANAGER' });
    const app = buildApp(t.tessera);
    const response = await app.request('/api/admin', bearer(manager.tokens.accessToken));
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'forbidden', instance: '/api/admin' });
    expect((await app.request('/api/reports', bearer(manager.tokens.accessToken))).status).toBe(200);
  });

  it('puts the auth context in c.get("tessera") for the route’s handler', async () => {
    const user = await signIn(t);
    const response = await buildApp(t.tessera).request('/api/me', bearer(user.tokens.accessToken));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ userId: user.user.id, role: 'AUTHENTICATED', permissions: expect.any(Array) });
  });

  it('guards a whole group with app.use, the app typed with TesseraVariables', async () => {
    const user = await signIn(t);
    const app = new Hono<{ Variables: TesseraVariables }>();
    app.use('/api/*', tesseraGuard(t.tessera));
    app.get('/api/whoami', (c) => c.text(c.get('tessera').userId));
    expect((await app.request('/api/whoami')).status).toBe(401);
    expect(await (await app.request('/api/whoami', bearer(user.tokens.accessToken))).text()).toBe(user.user.id);
  });

  it('hands the core the Authorization header, the requirement and the path, and nothing else', async () => {
    const guard = vi.spyOn(t.tessera, 'guard');
    await buildApp(t.tessera).request('/api/reports?q=1', { headers: { authorization: 'Bearer nope' } });
    expect(guard).toHaveBeenCalledWith('Bearer nope', { permission: 'users:list' }, '/api/reports');
  });

  it('accepts only actions of the instance’s permission table, the host app’s own included', () => {
    const exportGuard = (tessera: Tessera<BuiltInAction | 'reports:export'>) => requirePermission(tessera, 'reports:export');
    expect(typeof exportGuard).toBe('function');
    // @ts-expect-error 'users:lsit' is a typo, not an action of the table
    expect(typeof requirePermission(t.tessera, 'users:lsit')).toBe('function');
  });
});

function listen(app: Hono<{ Variables: TesseraVariables }>): Promise<ReturnType<typeof serve>> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(server));
  });
}
