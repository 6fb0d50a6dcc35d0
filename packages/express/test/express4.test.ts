import type { TesseraStore } from '@tessera/core';
import { createPgMemStore } from '@tessera/kysely/pg-mem';
import { createTestTessera, goodPassword, mailedToken, uniqueEmail, type HttpMount, type TestTessera } from '@tessera/testkit';
import express4 from 'express4';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tesseraRouter } from '../src/index.js';
import { buildApp, listen } from './mount-express.js';

// The router is built with whatever `express` resolves to, as in an app that has Express 4
// installed: here that is Express 4 for every module of this file, the adapter's included.
vi.mock('express', async () => ({ default: (await import('express4')).default }));

let store: TesseraStore;
let closeStore: () => Promise<void>;
let t: TestTessera;
let app: HttpMount | undefined;

beforeEach(async () => {
  ({ store, close: closeStore } = await createPgMemStore());
  t = await createTestTessera(store);
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await closeStore();
});

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('on Express 4', () => {
  it('builds an Express 4 router', async () => {
    expect((await import('express4/package.json', { with: { type: 'json' } })).default.version).toMatch(/^4\./);
    // Express 4 routers are functions whose prototype is `express.Router` itself.
    expect(Object.getPrototypeOf(tesseraRouter(t.tessera))).toBe(express4.Router);
  });

  for (const [label, parsers] of [
    ['without body parsers', []],
    ['after the app’s own express.json() and express.urlencoded()', [express4.json(), express4.urlencoded({ extended: false })]],
    // Express 4's json parser sets `req.body = {}` on the form requests it skips, unread.
    ['after the app’s own express.json() alone', [express4.json()]],
  ] as const) {
    it(`registers, verifies, logs in and calls a guarded route ${label}`, async () => {
      const host = express4();
      for (const parser of parsers) host.use(parser);
      app = await listen(buildApp(t.tessera, host));
      const email = uniqueEmail();
      expect((await app.fetch('/auth/register', json({ email, password: goodPassword }))).status).toBe(201);
      expect((await app.fetch(`/auth/verify-email?token=${await mailedToken(t, 'user.registered', email)}`)).status).toBe(200);
      const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email, password: goodPassword }).toString() };
      expect((await app.fetch('/auth/login', form)).status).toBe(200);
      const login = await app.fetch('/auth/login', json({ email, password: goodPassword }));
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };

      const me = await app.fetch('/api/me', { headers: { authorization: `Bearer ${accessToken}` } });
      expect({ status: me.status, body: await me.json() }).toMatchObject({ status: 200, body: { role: 'AUTHENTICATED' } });
      const admin = await app.fetch('/api/admin', { headers: { authorization: `Bearer ${accessToken}` } });
      expect({ status: admin.status, type: admin.headers.get('content-type') }).toEqual({ status: 403, type: 'application/problem+json' });
    });
  }
});
