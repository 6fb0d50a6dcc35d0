import { expect, it } from 'vitest';
import { goodPassword, uniqueEmail } from '../fixtures.js';
import { createVerifiedUser, signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectFieldIssue, expectNoStore, expectProblem, expectTokenHeaders, jsonOf, send } from './requests.js';

interface SessionBody {
  tokenType: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  accessTokenExpiresAt: string;
  refreshTokenExpiresAt: string;
  user: { id: string; email: string; role: string };
}

/** Registration, sign-in and sessions: `register`, `login`, `refresh`, `logout`. */
export function accountSuite(context: HttpSuiteContext): void {
  it('registers with a JSON or a form body: 201, the unverified user, no-store, nothing secret in the answer', async () => {
    const { app } = context;
    for (const [format, email] of [['json', uniqueEmail('json')], ['form', uniqueEmail('form')]] as const) {
      const payload = { email, password: goodPassword };
      const response = await send(app, 'POST', '/auth/register', format === 'json' ? { json: payload } : { form: payload });
      expect(response.status, format).toBe(201);
      expectNoStore(response);
      const { user } = await jsonOf<{ user: Record<string, unknown> }>(response);
      expect(user).toMatchObject({ email, role: 'AUTHENTICATED', status: 'active', emailVerified: false, pro: { status: 'none' } });
      expect(JSON.stringify(user)).not.toMatch(/password|hash|failedLogin/i);
    }
  });

  it('refuses a registration with a taken email (409), a taken username (409), a weak password and a bad email (400)', async () => {
    const { app, t } = context;
    const existing = await createVerifiedUser(t);
    await expectProblem(await send(app, 'POST', '/auth/register', { json: { email: existing.email, password: goodPassword } }), 409, 'email_taken');
    const username = await send(app, 'POST', '/auth/register', { json: { email: uniqueEmail(), password: goodPassword, username: existing.username } });
    await expectProblem(username, 409, 'username_taken');
    const weak = await expectProblem(await send(app, 'POST', '/auth/register', { json: { email: uniqueEmail(), password: 'short' } }), 400, 'weak_password');
    expect(weak.errors?.map((issue) => issue.path)).toEqual(['password']);
    const bad = await expectProblem(await send(app, 'POST', '/auth/register', { json: { email: 'not-an-email', password: goodPassword } }), 400, 'validation_failed');
    expectFieldIssue(bad, 'email', 'invalid_format');
  });

  it('logs in with JSON or a form: 200 with a bearer pair, no-store and Pragma: no-cache', async () => {
    const { app, t } = context;
    const user = await createVerifiedUser(t);
    for (const format of ['json', 'form'] as const) {
      const payload = { email: user.email, password: goodPassword };
      const response = await send(app, 'POST', '/auth/login', format === 'json' ? { json: payload } : { form: payload });
      expect(response.status, format).toBe(200);
      expectTokenHeaders(response);
      const session = await jsonOf<SessionBody>(response);
      expect(session).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { id: user.id, email: user.email, role: 'AUTHENTICATED' } });
      expect(await t.tessera.verifyAccessToken(session.accessToken)).toMatchObject({ userId: user.id });
      expect(session.refreshToken.length).toBeGreaterThanOrEqual(43);
    }
  });

  it('answers a wrong password and an unknown email alike: 401 invalid_credentials', async () => {
    const { app, t } = context;
    const user = await createVerifiedUser(t);
    const wrong = await expectProblem(await send(app, 'POST', '/auth/login', { json: { email: user.email, password: 'not the right password at all' } }), 401, 'invalid_credentials');
    const unknown = await expectProblem(await send(app, 'POST', '/auth/login', { json: { email: uniqueEmail('ghost'), password: goodPassword } }), 401, 'invalid_credentials');
    expect(wrong).toEqual(unknown);
  });

  it('refuses login to an unverified (403), a suspended (403) and an administratively locked (423) account', async () => {
    const { app, t } = context;
    const email = uniqueEmail('unverified');
    await t.tessera.api.register({ email, password: goodPassword });
    await expectProblem(await send(app, 'POST', '/auth/login', { json: { email, password: goodPassword } }), 403, 'email_not_verified');
    const suspended = await createVerifiedUser(t);
    await t.tessera.api.suspendUser({ operator: 'test' }, suspended.id);
    await expectProblem(await send(app, 'POST', '/auth/login', { json: { email: suspended.email, password: goodPassword } }), 403, 'account_suspended');
    const locked = await createVerifiedUser(t);
    await t.tessera.api.lockUser({ operator: 'test' }, locked.id);
    await expectProblem(await send(app, 'POST', '/auth/login', { json: { email: locked.email, password: goodPassword } }), 423, 'account_locked');
  });

  it('locks an account after 5 wrong passwords: 423 account_locked with Retry-After, then lets it in once the lock ends', async () => {
    const { app, t } = context;
    const user = await createVerifiedUser(t);
    const wrong = { json: { email: user.email, password: 'not the right password at all' } };
    for (let attempt = 1; attempt <= 4; attempt += 1) await expectProblem(await send(app, 'POST', '/auth/login', wrong), 401, 'invalid_credentials');
    const locking = await send(app, 'POST', '/auth/login', wrong);
    expect.soft(locking.headers.get('retry-after')).toBe('900');
    expect(await expectProblem(locking, 423, 'account_locked')).toMatchObject({ retryAfterSeconds: 900 });
    t.clock.advance(600);
    const stillLocked = await send(app, 'POST', '/auth/login', { json: { email: user.email, password: goodPassword } });
    expect.soft(stillLocked.headers.get('retry-after')).toBe('300');
    await expectProblem(stillLocked, 423, 'account_locked');
    t.clock.advance(301);
    expect((await send(app, 'POST', '/auth/login', { json: { email: user.email, password: goodPassword } })).status).toBe(200);
  });

  it('refuses a login without a password or with a non-string one: 400 validation_failed naming the field', async () => {
    const { app } = context;
    const missing = await expectProblem(await send(app, 'POST', '/auth/login', { json: { email: uniqueEmail() } }), 400, 'validation_failed');
    expectFieldIssue(missing, 'password', 'invalid_type');
    const number = await expectProblem(await send(app, 'POST', '/auth/login', { json: { email: uniqueEmail(), password: 12345 } }), 400, 'validation_failed');
    expectFieldIssue(number, 'password', 'invalid_type');
  });

  it('rotates a refresh token (200, a new pair, token headers) and ends the session when a spent one is replayed (401)', async () => {
    const { app, t } = context;
    const { tokens } = await signIn(t);
    const response = await send(app, 'POST', '/auth/refresh', { json: { refreshToken: tokens.refreshToken } });
    expect(response.status).toBe(200);
    expectTokenHeaders(response);
    const next = await jsonOf<SessionBody>(response);
    expect(next).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { id: tokens.user.id } });
    expect(next.refreshToken).not.toBe(tokens.refreshToken);

    await expectProblem(await send(app, 'POST', '/auth/refresh', { json: { refreshToken: tokens.refreshToken } }), 401, 'invalid_refresh_token');
    // The replay revoked the whole family: the token handed out by the rotation is dead too.
    await expectProblem(await send(app, 'POST', '/auth/refresh', { form: { refreshToken: next.refreshToken } }), 401, 'invalid_refresh_token');
    const empty = await expectProblem(await send(app, 'POST', '/auth/refresh', { json: { refreshToken: '' } }), 400, 'validation_failed');
    expectFieldIssue(empty, 'refreshToken', 'too_small');
  });

  it('logs out with 204 (also for an unknown token), after which the refresh token is dead', async () => {
    const { app, t } = context;
    const { tokens } = await signIn(t);
    const response = await send(app, 'POST', '/auth/logout', { json: { refreshToken: tokens.refreshToken } });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    await expectProblem(await send(app, 'POST', '/auth/refresh', { json: { refreshToken: tokens.refreshToken } }), 401, 'invalid_refresh_token');
    expect((await send(app, 'POST', '/auth/logout', { form: { refreshToken: 'never-issued-token' } })).status).toBe(204);
    await expectProblem(await send(app, 'POST', '/auth/logout', { json: {} }), 400, 'validation_failed');
  });
}
