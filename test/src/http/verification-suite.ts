import { expect, it } from 'vitest';
import { createTestTessera, goodPassword, uniqueEmail } from '../fixtures.js';
import { createVerifiedUser, mailedToken, signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectFieldIssue, expectNoStore, expectProblem, jsonOf, send } from './requests.js';

const newPassword = 'a brand new passphrase for tests';

/** Email verification and password recovery, by token and by the mailed link. */
export function verificationSuite(context: HttpSuiteContext): void {
  it('verifies an email address with the mailed token (200, the user, no-store), once only', async () => {
    const { app, t } = context;
    const email = uniqueEmail();
    await t.tessera.api.register({ email, password: goodPassword });
    const token = await mailedToken(t, 'user.registered', email);
    const response = await send(app, 'POST', '/auth/verify-email', { json: { token } });
    expect(response.status).toBe(200);
    expectNoStore(response);
    expect(await jsonOf(response)).toMatchObject({ email, emailVerified: true });
    await expectProblem(await send(app, 'POST', '/auth/verify-email', { form: { token } }), 400, 'invalid_token');
    await expectProblem(await send(app, 'POST', '/auth/verify-email', { json: { token: 'garbage' } }), 400, 'invalid_token');
    await expectProblem(await send(app, 'POST', '/auth/verify-email', { json: {} }), 400, 'validation_failed');
  });

  it('refuses a verification token older than 24 hours: 400 invalid_token', async () => {
    const { app, t } = context;
    const email = uniqueEmail();
    await t.tessera.api.register({ email, password: goodPassword });
    const token = await mailedToken(t, 'user.registered', email);
    t.clock.advance(24 * 3600 + 1);
    await expectProblem(await send(app, 'POST', '/auth/verify-email', { json: { token } }), 400, 'invalid_token');
  });

  it('answers the mailed link with a small no-referrer page: 200 when verified, 400 when invalid, and a problem without a token', async () => {
    const { app, t } = context;
    const email = uniqueEmail();
    await t.tessera.api.register({ email, password: goodPassword });
    const token = await mailedToken(t, 'user.registered', email);
    for (const [link, status] of [[`/auth/verify-email?token=${token}`, 200], [`/auth/verify-email?token=${token}`, 400]] as const) {
      const response = await send(app, 'GET', link);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expectNoStore(response);
      expect(await response.text()).not.toContain(token);
    }
    expect(await t.tessera.api.login({ email, password: goodPassword })).toMatchObject({ user: { emailVerified: true } });
    await expectProblem(await send(app, 'GET', '/auth/verify-email'), 400, 'validation_failed');
  });

  it('redirects the mailed link to the configured landing page with 303, status=verified or status=invalid, and no referrer', async () => {
    const { store } = context;
    const landing = await createTestTessera(store, { http: { verifyEmailRedirectUrl: 'https://app.example.com/welcome?from=mail' } });
    const app = await context.remount(landing.tessera);
    const email = uniqueEmail();
    await landing.tessera.api.register({ email, password: goodPassword });
    const token = await mailedToken(landing, 'user.registered', email);
    for (const outcome of ['verified', 'invalid']) {
      const response = await send(app, 'GET', `/auth/verify-email?token=${token}`);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`https://app.example.com/welcome?from=mail&status=${outcome}`);
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('answers resend-verification with 202 for unverified, verified and unknown addresses alike, mailing only the unverified one', async () => {
    const { app, t } = context;
    const unverified = uniqueEmail('unverified');
    await t.tessera.api.register({ email: unverified, password: goodPassword });
    const verified = await createVerifiedUser(t);
    for (const email of [unverified, verified.email, uniqueEmail('ghost')]) {
      const response = await send(app, 'POST', '/auth/verify-email/resend', { json: { email } });
      expect({ email, status: response.status, body: await response.text() }).toEqual({ email, status: 202, body: '' });
    }
    await t.deliver();
    expect(t.events.ofType('user.verification_resent').map((event) => event.payload.user.email)).toEqual([unverified]);
    const resent = await mailedToken(t, 'user.verification_resent', unverified);
    expect((await send(app, 'POST', '/auth/verify-email', { json: { token: resent } })).status).toBe(200);
    expectFieldIssue(await expectProblem(await send(app, 'POST', '/auth/verify-email/resend', { json: { email: 'nope' } }), 400, 'validation_failed'), 'email', 'invalid_format');
  });

  it('answers forgot-password with 202 for known and unknown addresses alike, mailing only the known one', async () => {
    const { app, t } = context;
    const user = await createVerifiedUser(t);
    for (const email of [user.email, uniqueEmail('ghost')]) {
      const response = await send(app, 'POST', '/auth/password/forgot', { form: { email } });
      expect({ email, status: response.status, body: await response.text() }).toEqual({ email, status: 202, body: '' });
    }
    await t.deliver();
    expect(t.events.ofType('user.password_reset_requested').map((event) => event.payload.user.email)).toEqual([user.email]);
    await expectProblem(await send(app, 'POST', '/auth/password/forgot', { json: { email: 42 } }), 400, 'validation_failed');
  });

  it('resets the password with the mailed token (204), ending every session; the token then is spent', async () => {
    const { app, t } = context;
    const { user, tokens } = await signIn(t);
    await t.tessera.api.forgotPassword({ email: user.email });
    const token = await mailedToken(t, 'user.password_reset_requested', user.email);
    const weak = await expectProblem(await send(app, 'POST', '/auth/password/reset', { json: { token, password: 'short' } }), 400, 'weak_password');
    expect(weak.errors?.map((issue) => issue.path)).toEqual(['password']);

    const response = await send(app, 'POST', '/auth/password/reset', { json: { token, password: newPassword } });
    expect(response.status).toBe(204);
    await expectProblem(await send(app, 'POST', '/auth/refresh', { json: { refreshToken: tokens.refreshToken } }), 401, 'invalid_refresh_token');
    expect((await send(app, 'POST', '/auth/login', { json: { email: user.email, password: newPassword } })).status).toBe(200);
    await expectProblem(await send(app, 'POST', '/auth/password/reset', { json: { token, password: goodPassword } }), 400, 'invalid_token');
    await expectProblem(await send(app, 'POST', '/auth/password/reset', { json: { token: 'garbage', password: newPassword } }), 400, 'invalid_token');
    await expectProblem(await send(app, 'POST', '/auth/password/reset', { json: { password: newPassword } }), 400, 'validation_failed');
  });

  it('refuses a reset token older than 30 minutes: 400 invalid_token, the password unchanged', async () => {
    const { app, t } = context;
    const user = await createVerifiedUser(t);
    await t.tessera.api.forgotPassword({ email: user.email });
    const token = await mailedToken(t, 'user.password_reset_requested', user.email);
    t.clock.advance(30 * 60 + 1);
    await expectProblem(await send(app, 'POST', '/auth/password/reset', { json: { token, password: newPassword } }), 400, 'invalid_token');
    expect((await send(app, 'POST', '/auth/login', { json: { email: user.email, password: goodPassword } })).status).toBe(200);
  });
}
