import { once } from 'node:events';
import { connect } from 'node:net';
import type { HandlerContext, Tessera, TesseraStore } from '@tessera/core';
import { createPgMemStore } from '@tessera/kysely/pg-mem';
import { createTestTessera, createVerifiedUser, goodPassword, mailedToken, signIn, uniqueEmail, type HttpMount, type TestTessera } from '@tessera/testkit';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { requireRole, tesseraGuard, tesseraRouter } from '../src/index.js';
import { buildApp, listen } from './mount-express.js';

let store: TesseraStore;
let closeStore: () => Promise<void>;
let t: TestTessera;
const mounted: HttpMount[] = [];

beforeEach(async () => {
  ({ store, close: closeStore } = await createPgMemStore());
  t = await createTestTessera(store);
});
afterEach(async () => {
  await Promise.all(mounted.splice(0).map((app) => app.close()));
  await closeStore();
});

async function serve(app: Express): Promise<HttpMount & { readonly origin: string }> {
  const server = await listen(app);
  mounted.push(server);
  return server;
}

const json = (body: unknown, method = 'POST'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const form = (fields: Record<string, string>): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
const bearer = (token: string): RequestInit => ({ headers: { authorization: `Bearer ${token}` } });

/** Registers over HTTP, verifies by the mailed link and logs in with JSON and with a form. */
async function registerVerifyAndLogIn(app: HttpMount, tessera: TestTessera): Promise<string> {
  const email = uniqueEmail();
  expect((await app.fetch('/auth/register', json({ email, password: goodPassword }))).status).toBe(201);
  expect((await app.fetch(`/auth/verify-email?token=${await mailedToken(tessera, 'user.registered', email)}`)).status).toBe(200);
  expect((await app.fetch('/auth/login', form({ email, password: goodPassword }))).status).toBe(200);
  const login = await app.fetch('/auth/login', json({ email, password: goodPassword }));
  expect(login.status).toBe(200);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

/** A plain TCP connection to the app, for what `fetch` cannot send or show. */
async function rawConnection(origin: string): Promise<{ write(text: string): void; received(): string; end(): void; onClose(listener: () => void): void }> {
  const { hostname, port } = new URL(origin);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  let received = '';
  socket.setEncoding('utf8').on('data', (text: string) => (received += text));
  socket.on('error', (error: NodeJS.ErrnoException) => (received += `\n[connection error: ${error.code ?? error.message}]`));
  return { write: (text) => void socket.write(text), received: () => received, end: () => void socket.end(), onClose: (listener) => void socket.once('close', listener) };
}

describe('tesseraRouter', () => {
  it('reuses the bodies the app’s own express.json() and express.urlencoded() parsed: register, login and the token endpoint work', async () => {
    const app = await serve(buildApp(t.tessera, express().use(express.json(), express.urlencoded())));
    const accessToken = await registerVerifyAndLogIn(app, t);
    expect(await (await app.fetch('/api/me', bearer(accessToken))).json()).toMatchObject({ role: 'AUTHENTICATED' });

    const user = await createVerifiedUser(t);
    const token = await app.fetch('/auth/token', form({ grant_type: 'password', username: user.email, password: goodPassword }));
    expect(token.status).toBe(200);
    expect(await token.json()).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
  });

  it('reuses the bytes of express.raw() and the text of express.text() as they are', async () => {
    for (const parser of [express.raw({ type: '*/*' }), express.text({ type: '*/*' })]) {
      const app = await serve(buildApp(t.tessera, express().use(parser)));
      await registerVerifyAndLogIn(app, t);
    }
  });

  it('keeps what the client sent through express.urlencoded(): a form field sent twice is still refused by the core', async () => {
    const app = await serve(buildApp(t.tessera, express().use(express.urlencoded())));
    const twice = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `email=a%40example.com&password=a&password=b` };
    const response = await app.fetch('/auth/login', twice);
    expect({ status: response.status, type: response.headers.get('content-type') }).toEqual({ status: 400, type: 'application/problem+json' });
    expect(await response.json()).toMatchObject({ code: 'malformed_request' });
  });

  it('hands an empty body that express.json() turned into {} to the core as no body', async () => {
    const app = await serve(buildApp(t.tessera, express().use(express.json())));
    const admin = await signIn(t, { role: 'ADMIN' });
    const target = await createVerifiedUser(t);
    const lock = await app.fetch(`/auth/users/${target.id}/lock`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.tokens.accessToken}` } });
    expect(lock.status).toBe(200);
  });

  it('lets the core answer when a middleware consumed the body and kept nothing, instead of waiting for bytes that never come', async () => {
    const drain = express().use((req, _res, next) => {
      req.resume().once('end', () => next());
    });
    const app = await serve(buildApp(t.tessera, drain));
    const response = await app.fetch('/auth/login', json({ email: uniqueEmail(), password: goodPassword }));
    expect({ status: response.status, body: await response.json() }).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });

  it('gives links, problem instances and the OpenAPI server the full path when mounted at /api/v1/auth by nested routers', async () => {
    const app = await serve(express().use('/api', express.Router().use('/v1/auth', tesseraRouter(t.tessera))));
    const admin = await signIn(t, { role: 'ADMIN' });

    const user = await app.fetch(`/api/v1/auth/users/${admin.user.id}`, bearer(admin.tokens.accessToken));
    expect(user.status).toBe(200);
    expect(((await user.json()) as { _links: { self: { href: string } } })._links.self.href).toBe(`/api/v1/auth/users/${admin.user.id}`);

    const missing = await app.fetch('/api/v1/auth/no-such-route?x=1');
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
    expect(await missing.json()).toMatchObject({ status: 404, code: 'route_not_found', instance: '/api/v1/auth/no-such-route' });

    const openapi = (await (await app.fetch('/api/v1/auth/openapi.json')).json()) as { servers: Array<{ url: string }> };
    expect(openapi.servers[0]?.url).toBe(`${app.origin}/api/v1/auth`);
  });

  it('answers a chunked body over 64 KiB without Content-Length with the core’s 413 on a connection that stays usable', async () => {
    const app = await serve(buildApp(t.tessera));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 256 * 1024) return controller.close();
        controller.enqueue(new TextEncoder().encode(sent === 0 ? `{"email":"${'a'.repeat(8182)}` : 'a'.repeat(8192)));
        sent += 8192;
      },
    });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' };
    const response = await app.fetch('/auth/register', init as RequestInit);
    expect({ status: response.status, type: response.headers.get('content-type') }).toEqual({ status: 413, type: 'application/problem+json' });
    expect(await response.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('refuses an over-long chunked body with 413 and ends that connection instead of draining the rest; the next connection is answered', async () => {
    const app = await serve(buildApp(t.tessera));
    const chunk = `4000\r\n${'a'.repeat(0x4000)}\r\n`;
    const connection = await rawConnection(app.origin);
    const closed = new Promise<void>((resolve) => connection.onClose(resolve));
    // The body never ends: without `Connection: close` the server would keep reading it.
    connection.write(`POST /auth/register HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.repeat(16)}`);
    await vi.waitFor(() => expect(connection.received()).toMatch(/^HTTP\/1\.1 413 [^]*connection: close[^]*"code":"payload_too_large"/i));
    await closed;
    expect((await app.fetch('/auth/health')).status).toBe(200);
  });

  it('takes an absolute-form request target as the URL', async () => {
    const urls: string[] = [];
    const tessera: Pick<Tessera, 'handler'> = { handler: async (request) => (urls.push(request.url), new Response(null, { status: 204 })) };
    const app = await serve(express().use('/auth', tesseraRouter(tessera)));
    const connection = await rawConnection(app.origin);
    connection.write('GET http://api.example.com/auth/users?limit=1 HTTP/1.1\r\nHost: api.example.com\r\n\r\n');
    await vi.waitFor(() => expect(connection.received()).toMatch(/^HTTP\/1\.1 204 /));
    connection.end();
    expect(urls).toEqual(['http://api.example.com/auth/users?limit=1']);
  });

  it('passes the URL the client called, the method, every header, the body, the mount path and the socket address', async () => {
    const seen: Array<{ url: string; method: string; header: string | null; body: string; context: HandlerContext | undefined }> = [];
    const tessera: Pick<Tessera, 'handler'> = {
      handler: async (request, context) => {
        seen.push({ url: request.url, method: request.method, header: request.headers.get('x-trace'), body: await request.text(), context });
        return new Response(null, { status: 204 });
      },
    };
    const app = await serve(express().use('/auth', tesseraRouter(tessera)));
    await app.fetch('/auth/users/x?limit=1&b=%20', { method: 'PATCH', headers: { 'x-trace': 'abc' }, body: 'raw bytes' });
    expect(seen).toEqual([
      { url: `${app.origin}/auth/users/x?limit=1&b=%20`, method: 'PATCH', header: 'abc', body: 'raw bytes', context: { basePath: '/auth', clientIp: '127.0.0.1' } },
    ]);
  });

  it('takes the client IP from the clientIp option when one is given', async () => {
    const contexts: Array<HandlerContext | undefined> = [];
    const tessera: Pick<Tessera, 'handler'> = { handler: async (_request, context) => (contexts.push(context), new Response(null, { status: 204 })) };
    const app = await serve(express().use('/auth', tesseraRouter(tessera, { clientIp: (req) => req.get('x-test-ip') ?? null })));
    await app.fetch('/auth/health', { headers: { 'x-test-ip': '203.0.113.7' } });
    expect(contexts).toEqual([{ basePath: '/auth', clientIp: '203.0.113.7' }]);
  });

  it('writes the core’s status and every header, each Set-Cookie on its own, and no body for HEAD', async () => {
    const tessera: Pick<Tessera, 'handler'> = {
      handler: async (request) => {
        const headers = new Headers([['set-cookie', 'a=1; HttpOnly'], ['set-cookie', 'b=2'], ['content-type', 'text/plain'], ['x-extra', 'yes']]);
        return new Response(request.method === 'HEAD' ? null : 'hello', { status: 418, headers });
      },
    };
    const app = await serve(express().use('/auth', tesseraRouter(tessera)));
    for (const method of ['GET', 'HEAD']) {
      const response = await app.fetch('/auth/anything', { method });
      expect({ status: response.status, cookies: response.headers.getSetCookie(), type: response.headers.get('content-type'), extra: response.headers.get('x-extra'), body: await response.text() }).toEqual({
        status: 418,
        cookies: ['a=1; HttpOnly', 'b=2'],
        type: 'text/plain',
        extra: 'yes',
        body: method === 'HEAD' ? '' : 'hello',
      });
    }
  });

  it('sends an unexpected failure to next(err), where the app’s error handler answers', async () => {
    const failure = new Error('the handler broke');
    const tessera: Pick<Tessera, 'handler'> = { handler: () => Promise.reject(failure) };
    const caught: unknown[] = [];
    const onError: ErrorRequestHandler = (error, _req, res, _next) => {
      caught.push(error);
      res.status(599).end();
    };
    const app = await serve(express().use('/auth', tesseraRouter(tessera)).use(onError));
    expect((await app.fetch('/auth/login', json({}))).status).toBe(599);
    expect(caught).toEqual([failure]);
  });
});

describe('guards', () => {
  it('refuses a request without a token with the core’s 401: problem+json, a Bearer challenge, the path as instance', async () => {
    const app = await serve(buildApp(t.tessera));
    const response = await app.fetch('/api/me?verbose=1');
    expect({ status: response.status, type: response.headers.get('content-type'), challenge: response.headers.get('www-authenticate') }).toEqual({
      status: 401,
      type: 'application/problem+json',
      challenge: expect.stringMatching(/^Bearer\b/),
    });
    expect(await response.json()).toMatchObject({ status: 401, code: 'unauthenticated', instance: '/api/me' });
  });

  it('refuses a wrong role with the core’s 403 problem and never runs the route', async () => {
    let ran = false;
    const app = await serve(
      express().get('/api/admin', requireRole(t.tessera, 'ADMIN'), (_req, res) => {
        ran = true;
        res.json({ ok: true });
      }),
    );
    const { tokens } = await signIn(t, { role: 'MANAGER' });
    const response = await app.fetch('/api/admin', bearer(tokens.accessToken));
    expect({ status: response.status, type: response.headers.get('content-type'), ran }).toEqual({ status: 403, type: 'application/problem+json', ran: false });
    expect(await response.json()).toMatchObject({ status: 403, code: 'forbidden', instance: '/api/admin' });
  });

  it('puts the caller’s auth context on req.tessera for the handlers after the guard', async () => {
    const app = await serve(
      express().get('/api/drafts', tesseraGuard(t.tessera, { roles: ['MANAGER', 'ADMIN'], permission: 'users:list' }), (req, res) => {
        res.json({ userId: req.tessera?.userId, role: req.tessera?.role, mayList: req.tessera?.can('users:list') });
      }),
    );
    const { user, tokens } = await signIn(t, { role: 'MANAGER' });
    const response = await app.fetch('/api/drafts', bearer(tokens.accessToken));
    expect(await response.json()).toEqual({ userId: user.id, role: 'MANAGER', mayList: true });
  });

  it('sends a failing check to next(err)', async () => {
    const failure = new Error('the verifier broke');
    const caught: unknown[] = [];
    const onError: ErrorRequestHandler = (error, _req, res, _next) => {
      caught.push(error);
      res.status(599).end();
    };
    const tessera: Pick<Tessera, 'guard'> = { guard: () => Promise.reject(failure) };
    const app = await serve(express().get('/api/me', tesseraGuard(tessera), (_req, res) => void res.json({})).use(onError));
    expect((await app.fetch('/api/me')).status).toBe(599);
    expect(caught).toEqual([failure]);
  });
});
