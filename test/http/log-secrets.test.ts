import type { LogFields, Logger, RateLimitStore } from '@tessera/core';
import { createPgMemStore } from '@tessera/kysely/pg-mem';
import { afterAll, describe, expect, it } from 'vitest';
import { mountBare } from '../src/http/bare-mount.js';
import { jsonOf, send } from '../src/http/requests.js';
import { createTestTessera, goodPassword, mailedToken, signIn, uniqueEmail } from '../src/index.js';

/** Every line every level of Tessera's logger received, as the JSON a log shipper would store. */
class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  debug(fields: LogFields, message: string): void {
    this.#record('debug', fields, message);
  }
  info(fields: LogFields, message: string): void {
    this.#record('info', fields, message);
  }
  warn(fields: LogFields, message: string): void {
    this.#record('warn', fields, message);
  }
  error(fields: LogFields, message: string): void {
    this.#record('error', fields, message);
  }
  #record(level: string, fields: LogFields, message: string): void {
    this.lines.push(JSON.stringify({ level, message, ...fields }));
  }
}

const { store, close } = await createPgMemStore();
afterAll(close);

describe('the logs of a full run', () => {
  it('hold no password, token, password hash or mailed link, on success and failure paths alike', async () => {
    const logger = new RecordingLogger();
    const secrets: string[] = [];
    const t = await createTestTessera(store, { logger, http: { trustedProxies: 1 }, rateLimits: { enabled: true, login: { limit: 12, windowSeconds: 60 } } });
    const app = await mountBare(t.tessera);
    const as = (ip: string) => ({ 'x-forwarded-for': ip });

    // Register, verify through the mailed link, log in, refresh, reuse a refresh token.
    const email = uniqueEmail('logs');
    const firstPassword = `${goodPassword} one`;
    secrets.push(firstPassword);
    expect((await send(app, 'POST', '/auth/register', { json: { email, password: firstPassword }, headers: as('192.0.2.1') })).status).toBe(201);
    const verification = await mailedToken(t, 'user.registered', email);
    secrets.push(verification);
    expect((await send(app, 'GET', `/auth/verify-email?token=${verification}`)).status).toBe(200);
    const login = await jsonOf<{ accessToken: string; refreshToken: string }>(await send(app, 'POST', '/auth/login', { json: { email, password: firstPassword }, headers: as('192.0.2.1') }));
    secrets.push(login.accessToken, login.refreshToken);
    const rotated = await jsonOf<{ accessToken: string; refreshToken: string }>(await send(app, 'POST', '/auth/refresh', { json: { refreshToken: login.refreshToken } }));
    secrets.push(rotated.accessToken, rotated.refreshToken);
    expect((await send(app, 'POST', '/auth/refresh', { json: { refreshToken: login.refreshToken } })).status).toBe(401);

    // Wrong passwords up to a lock, a lock of an unknown address, then the rate limit.
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const guess = `wrong guess number ${attempt}`;
      secrets.push(guess);
      await send(app, 'POST', '/auth/login', { json: { email, password: guess }, headers: as('192.0.2.2') });
      await send(app, 'POST', '/auth/login', { json: { email: uniqueEmail('ghost'), password: guess }, headers: as('192.0.2.2') });
    }
    expect((await send(app, 'POST', '/auth/login', { json: { email, password: 'one more guess here' }, headers: as('192.0.2.2') })).status).toBe(429);
    secrets.push('one more guess here');

    // Reset through the mailed token, change the password, an admin resets it again.
    expect((await send(app, 'POST', '/auth/password/forgot', { json: { email }, headers: as('192.0.2.3') })).status).toBe(202);
    const reset = await mailedToken(t, 'user.password_reset_requested', email);
    const secondPassword = `${goodPassword} two`;
    secrets.push(reset, secondPassword);
    expect((await send(app, 'POST', '/auth/password/reset', { json: { token: reset, password: secondPassword }, headers: as('192.0.2.3') })).status).toBe(204);
    const again = await jsonOf<{ accessToken: string; refreshToken: string }>(await send(app, 'POST', '/auth/login', { json: { email, password: secondPassword }, headers: as('192.0.2.4') }));
    secrets.push(again.accessToken, again.refreshToken);
    const thirdPassword = `${goodPassword} three`;
    secrets.push(thirdPassword);
    const changed = await send(app, 'POST', '/auth/me/password', { token: again.accessToken, json: { currentPassword: secondPassword, newPassword: thirdPassword } });
    expect(changed.status).toBe(200);
    const afterChange = await jsonOf<{ accessToken: string; refreshToken: string }>(changed);
    secrets.push(afterChange.accessToken, afterChange.refreshToken);
    const admin = await signIn(t, { role: 'ADMIN' });
    secrets.push(admin.tokens.accessToken, admin.tokens.refreshToken);
    const user = (await t.tessera.api.listUsers({ operator: 'test' }, { search: email })).items[0]!;
    expect((await send(app, 'POST', `/auth/users/${user.id}/password-reset`, { token: admin.tokens.accessToken, json: {} })).status).toBe(200);
    secrets.push(await mailedToken(t, 'user.password_reset_requested', email));

    // A failing rate-limit store: the error is logged, without the request's secrets.
    const down: RateLimitStore = { hit: () => Promise.reject(new Error('redis down')), peek: () => Promise.reject(new Error('redis down')), reset: () => Promise.reject(new Error('redis down')) };
    const failing = await createTestTessera(store, { logger, http: { trustedProxies: 1 }, rateLimits: { store: down } });
    const failingApp = await mountBare(failing.tessera);
    expect((await send(failingApp, 'POST', '/auth/login', { json: { email, password: thirdPassword }, headers: as('192.0.2.5') })).status).toBe(503);

    await t.deliver();
    const stored = await store.users.findByEmail(email);
    secrets.push(stored!.passwordHash!);

    const log = logger.lines.join('\n');
    expect(logger.lines.length).toBeGreaterThan(10);
    expect(log).toContain('tessera: account locked after failed logins');
    expect(log).toContain('tessera: refresh token reused; session revoked');
    expect(log).toContain('the rate-limit store failed');
    for (const secret of secrets) expect(log, 'a secret reached the logs').not.toContain(secret);
    expect(log).not.toMatch(/\$argon2id?\$/);
    expect(log).not.toMatch(/eyJ[\w-]{10,}\.eyJ/);
    expect(log).not.toMatch(/token=[\w-]{20,}/);
  });
});
