import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { HandlerContext, Tessera } from '@tessera/core';
import { createPgMemStore } from '@tessera/kysely/pg-mem';
import { chunkedBody, createTestTessera, goodPassword, signIn, uniqueEmail, type TestTessera } from '@tessera/testkit';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import defaultExport, { tesseraPlugin } from '../src/index.js';

const maxBodyBytes = 64 * 1024;

let t: TestTessera;
let closeStore: () => Promise<void>;
const apps: FastifyInstance[] = [];

beforeEach(async () => {
  const { store, close } = await createPgMemStore();
  closeStore = close;
  t = await createTestTessera(store);
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await closeStore();
});

/** A Fastify app for one test, closed after it; `setup` adds routes before Tessera is registered. */
async function appWith(options: FastifyServerOptions = {}, setup: (app: FastifyInstance) => void | Promise<void> = () => undefined): Promise<FastifyInstance> {
  const app = Fastify(options);
  apps.push(app);
  await setup(app);
  return app;
}

function json(body: unknown): { headers: Record<string, string>; payload: string } {
  return { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) };
}

/** A Tessera whose handler is replaced, to observe what the adapter hands core and writes back. */
function withHandler(tessera: Tessera, handler: Tessera['handler']): Tessera {
  return { ...tessera, handler };
}

/** A pino destination that keeps every log line, parsed. */
function logCapture(): { stream: Writable; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { stream, lines };
}

describe('the plugin', () => {
  it('is exported as default and as tesseraPlugin, wrapped by fastify-plugin with its name and Fastify range', () => {
    expect(defaultExport).toBe(tesseraPlugin);
    const meta = (tesseraPlugin as unknown as Record<symbol, unknown>)[Symbol.for('plugin-meta')];
    expect(meta).toMatchObject({ name: '@tessera/fastify', fastify: '5.x' });
    expect((tesseraPlugin as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')]).toBe(true);
  });

  it('mounts at /auth by default and decorates the instance it is registered in', async () => {
    const app = await appWith();
    await app.register(tesseraPlugin, { tessera: t.tessera });
    const response = await app.inject({ method: 'GET', url: '/auth/health' });
    expect(response.statusCode).toBe(200);
    expect(typeof app.authenticate).toBe('function');
    expect(app.hasRequestDecorator('tessera')).toBe(true);
  });

  it('refuses a registration without a Tessera instance, and requireRole() without a role, with a TypeError', async () => {
    const app = await appWith();
    await expect(app.register(tesseraPlugin, {} as never).ready()).rejects.toThrow(TypeError);
    const other = await appWith();
    await other.register(tesseraPlugin, { tessera: t.tessera });
    expect(() => other.requireRole()).toThrow(TypeError);
  });

  it('mounts under its prefix, nested under an outer one: links, problem instances and the OpenAPI server carry the full path', async () => {
    const app = await appWith();
    await app.register(async (v1) => v1.register(tesseraPlugin, { tessera: t.tessera, prefix: '/identity' }), { prefix: '/v1' });
    const { tokens, user } = await signIn(t);

    const me = await app.inject({ method: 'GET', url: '/v1/identity/me', headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: user.id, _links: { self: { href: '/v1/identity/me' } } });

    const missing = await app.inject({ method: 'GET', url: '/v1/identity/nope' });
    expect(missing.headers['content-type']).toBe('application/problem+json');
    expect(missing.json()).toMatchObject({ status: 404, code: 'route_not_found', instance: '/v1/identity/nope' });

    const openapi = await app.inject({ method: 'GET', url: '/v1/identity/openapi.json' });
    expect(openapi.json()).toMatchObject({ servers: [{ url: 'http://localhost/v1/identity' }] });
    // Nothing at the default prefix: that is the app's own 404.
    expect((await app.inject({ method: 'GET', url: '/auth/health' })).headers['content-type']).not.toBe('application/problem+json');
  });

  it('hands core the mount path and the socket address, and writes core’s response as it is: status, repeated Set-Cookie, body', async () => {
    const seen: HandlerContext[] = [];
    const tessera = withHandler(t.tessera, async (request, context = {}) => {
      seen.push(context);
      const headers = new Headers({ 'content-type': 'text/plain', 'x-method': request.method });
      headers.append('set-cookie', 'a=1; Path=/');
      headers.append('set-cookie', 'b=2; Path=/');
      return new Response(`saw ${new URL(request.url).pathname}`, { status: 418, headers });
    });
    const app = await appWith();
    await app.register(tesseraPlugin, { tessera, prefix: '/account' });
    const response = await app.inject({ method: 'PATCH', url: '/account/anything?x=1', remoteAddress: '203.0.113.7' });
    expect(response.statusCode).toBe(418);
    expect(response.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(response.headers['x-method']).toBe('PATCH');
    expect(response.body).toBe('saw /account/anything');
    expect(seen).toEqual([{ basePath: '/account', clientIp: '203.0.113.7' }]);
  });

  it('answers HEAD like GET without a body', async () => {
    const app = await appWith();
    await app.register(tesseraPlugin, { tessera: t.tessera });
    const head = await app.inject({ method: 'HEAD', url: '/auth/health' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toMatch(/^application\/json/);
    expect(head.body).toBe('');
  });
});

describe('request bodies', () => {
  it('answers a chunked body over 64 KiB with core’s 413 problem+json on a real socket, and the server still closes at once', async () => {
    const app = await appWith();
    await app.register(tesseraPlugin, { tessera: t.tessera });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunkedBody(16 * maxBodyBytes), duplex: 'half' };
    const response = await fetch(`http://127.0.0.1:${port}/auth/register`, init as RequestInit);
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'payload_too_large', status: 413 });
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('lets core judge a body over Fastify’s own bodyLimit: Fastify’s parsers and limit stay out of Tessera’s routes', async () => {
    const app = await appWith({ bodyLimit: 64 });
    await app.register(tesseraPlugin, { tessera: t.tessera });
    const response = await app.inject({ method: 'POST', url: '/auth/register', ...json({ email: uniqueEmail('over-fastify-limit'), password: goodPassword }) });
    expect(response.statusCode).toBe(201);
  });

  it('answers a content type Fastify cannot even parse with core’s 415 problem', async () => {
    const app = await appWith();
    await app.register(tesseraPlugin, { tessera: t.tessera });
    const response = await app.inject({ method: 'POST', url: '/auth/login', headers: { 'content-type': 'garbage' }, payload: '{}' });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('leaves the app’s own parsers alone outside the plugin’s scope', async () => {
    const app = await appWith({}, (host) => {
      host.post('/api/echo', async (request) => ({ echoed: request.body }));
    });
    await app.register(tesseraPlugin, { tessera: t.tessera });
    const echoed = await app.inject({ method: 'POST', url: '/api/echo', ...json({ hello: 'world' }) });
    expect(echoed.json()).toEqual({ echoed: { hello: 'world' } });
    // Fastify's own refusal of a type it has no parser for: Tessera's catch-all did not leak.
    const text = await app.inject({ method: 'POST', url: '/api/echo', headers: { 'content-type': 'text/csv' }, payload: 'a,b' });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
  });
});

describe('routing inside the prefix', () => {
  it('answers what Fastify would 404 with core’s problem: unknown paths and paths longer than Fastify’s maxParamLength', async () => {
    const app = await appWith();
    await app.register(tesseraPlugin, { tessera: t.tessera });
    for (const url of ['/auth/nope', `/auth/${'x'.repeat(500)}`, `/auth/users/${'a'.repeat(300)}/lock/x`]) {
      const response = await app.inject({ method: 'GET', url });
      expect({ url: url.slice(0, 30), type: response.headers['content-type'] }).toEqual({ url: url.slice(0, 30), type: 'application/problem+json' });
      expect(response.json()).toMatchObject({ code: 'route_not_found' });
    }
  });
});

describe('hostile requests', () => {
  it('answers a Host header that is no authority from the core on a neutral origin, never with a 500', async () => {
    const app = await appWith();
    await app.register(tesseraPlugin, { tessera: t.tessera });
    for (const host of ['a b', 'a/b', 'localhost:99999', 'exa<mple']) {
      const response = await app.inject({ method: 'GET', url: '/auth/openapi.json', headers: { host } });
      expect({ host, status: response.statusCode, server: response.json<{ servers?: unknown }>().servers }).toEqual({ host, status: 200, server: [{ url: 'http://localhost/auth' }] });
    }
    const real = await app.inject({ method: 'GET', url: '/auth/openapi.json', headers: { host: 'api.example.com:8443' } });
    expect(real.json()).toMatchObject({ servers: [{ url: 'http://api.example.com:8443/auth' }] });
  });
});

describe('guards', () => {
  async function guardedApp(): Promise<FastifyInstance> {
    const app = await appWith();
    await app.register(tesseraPlugin, { tessera: t.tessera });
    app.get('/api/open', async (request) => ({ tessera: request.tessera }));
    app.get('/api/me', { onRequest: [app.authenticate] }, async (request) => ({ userId: request.tessera?.userId, role: request.tessera?.role }));
    app.get('/api/admin', { preHandler: [app.requireRole('ADMIN')] }, async () => ({ ok: true }));
    app.get('/api/users', { onRequest: app.requirePermission('users:list') }, async (request) => ({ can: request.tessera?.can('users:list') }));
    return app;
  }

  it('refuses a request without a token with core’s 401 problem and a Bearer challenge', async () => {
    const app = await guardedApp();
    const response = await app.inject({ method: 'GET', url: '/api/me' });
    expect(response.statusCode).toBe(401);
    expect(response.headers).toMatchObject({ 'content-type': 'application/problem+json', 'cache-control': 'no-store' });
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(response.json()).toMatchObject({ code: 'unauthenticated', instance: '/api/me' });
  });

  it('refuses a role or a permission the caller lacks with 403 problem+json, before the route runs', async () => {
    const app = await guardedApp();
    const { tokens } = await signIn(t);
    for (const url of ['/api/admin', '/api/users']) {
      const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens.accessToken}` } });
      expect(response.statusCode).toBe(403);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.json()).toMatchObject({ code: 'forbidden', instance: url });
    }
  });

  it('fills request.tessera when a guard lets the request through, and leaves it null on unguarded routes', async () => {
    const app = await guardedApp();
    const admin = await signIn(t, { role: 'ADMIN' });
    const headers = { authorization: `Bearer ${admin.tokens.accessToken}` };
    expect((await app.inject({ method: 'GET', url: '/api/me', headers })).json()).toEqual({ userId: admin.user.id, role: 'ADMIN' });
    expect((await app.inject({ method: 'GET', url: '/api/admin', headers })).json()).toEqual({ ok: true });
    expect((await app.inject({ method: 'GET', url: '/api/users', headers })).json()).toEqual({ can: true });
    expect((await app.inject({ method: 'GET', url: '/api/open', headers })).json()).toEqual({ tessera: null });
  });
});

describe('errors in the plugin’s scope', () => {
  it('turns an unexpected error into a 500 problem that reveals nothing, logged with the app’s logger', async () => {
    const { stream, lines } = logCapture();
    const failing = withHandler(t.tessera, async () => {
      throw new Error('connect ECONNREFUSED postgres://admin:hunter2@db');
    });
    const app = await appWith({ logger: { level: 'info', stream } });
    await app.register(tesseraPlugin, { tessera: failing });
    const response = await app.inject({ method: 'POST', url: '/auth/login', ...json({ email: uniqueEmail(), password: goodPassword }) });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.json()).toEqual({ type: 'urn:tessera:problem:internal_error', title: expect.any(String), status: 500, code: 'internal_error', instance: '/auth/login' });
    expect(response.body).not.toMatch(/hunter2|ECONNREFUSED/);
    const logged = lines.find((line) => line.level === 50);
    expect(logged).toMatchObject({ reqId: expect.any(String), err: { message: expect.stringContaining('ECONNREFUSED') } });
  });

  it('leaves a client error raised by the app’s own hooks (a rate limiter) to the app’s error handler', async () => {
    const app = await appWith({}, (host) => {
      host.setErrorHandler(async (error: { statusCode?: number; message: string }, _request, reply) => reply.code(error.statusCode ?? 500).send({ app: error.message }));
      host.addHook('onRequest', async (request) => {
        if (request.headers['x-too-many'] !== undefined) throw Object.assign(new Error('slow down'), { statusCode: 429 });
      });
    });
    await app.register(tesseraPlugin, { tessera: t.tessera });
    const response = await app.inject({ method: 'GET', url: '/auth/health', headers: { 'x-too-many': '1' } });
    expect(response.statusCode).toBe(429);
    expect(response.json()).toEqual({ app: 'slow down' });
  });
});
