import { expect, it } from 'vitest';
import { createTestTessera, goodPassword, uniqueEmail, type TestTessera } from '../fixtures.js';
import { createVerifiedUser, mailedToken, signIn } from '../identity/helpers.js';
import type { HttpMount, HttpSuiteContext } from './contract.js';
import { expectProblem, jsonOf, send } from './requests.js';

/** On the bundled list and long enough for the default minimum of 15. */
const commonPassword = 'PasswordPassword';
/** What the fake breached-password check knows. */
const breachedPassword = 'a perfectly breached passphrase';
/** Well over 64 characters, mixed case, kept exactly as typed. */
const longPassword = `${'Tr0ub4dor&3 Correct Horse '.repeat(6)}— the end`;

/** Asserts a `weak_password` problem naming one field and one reason; also `Referrer-Policy`. */
async function expectWeak(response: Response, path: string, reason: string): Promise<void> {
  expect.soft(response.headers.get('referrer-policy'), 'no-referrer on a problem').toBe('no-referrer');
  const problem = await expectProblem(response, 400, 'weak_password');
  expect(problem.errors).toEqual([{ path, code: reason, message: expect.any(String) }]);
}

/** A Tessera whose breached-password check is a fake that knows one password, and its app. */
async function withBreachCheck(context: HttpSuiteContext): Promise<{ t: TestTessera; app: HttpMount; asked: string[] }> {
  const asked: string[] = [];
  const t = await createTestTessera(context.store, {
    password: {
      isBreached: async (password) => {
        asked.push(password);
        return password === breachedPassword;
      },
    },
  });
  return { t, app: await context.remount(t.tessera), asked };
}

/**
 * The password blocklists (common passwords, context words, breached passwords) on every way
 * a password is set, and where the mailed links may redirect to.
 */
export function passwordRulesSuite(context: HttpSuiteContext): void {
  it('refuses a common password, one with the app name, the email or the username, and a breached one at registration: 400 weak_password naming the reason', async () => {
    const { app } = context;
    const register = (json: Record<string, unknown>) => send(app, 'POST', '/auth/register', { json });
    await expectWeak(await register({ email: uniqueEmail(), password: commonPassword }), 'password', 'common');
    await expectWeak(await register({ email: uniqueEmail(), password: 'my Tessera account password' }), 'password', 'context');
    const email = uniqueEmail('grace.hopper');
    await expectWeak(await register({ email, password: `${email.split('@')[0]!.toUpperCase()} forever` }), 'password', 'context');
    await expectWeak(await register({ email: uniqueEmail(), username: 'cobol-queen', password: 'the Cobol-Queen of compilers' }), 'password', 'context');
    await expectWeak(await send(app, 'POST', '/auth/register', { form: { email: uniqueEmail(), password: commonPassword.toUpperCase() } }), 'password', 'common');

    const breached = await withBreachCheck(context);
    await expectWeak(await send(breached.app, 'POST', '/auth/register', { json: { email: uniqueEmail(), password: breachedPassword } }), 'password', 'breached');
    expect((await send(breached.app, 'POST', '/auth/register', { json: { email: uniqueEmail(), password: goodPassword } })).status).toBe(201);
    expect(breached.asked).toEqual([breachedPassword, goodPassword]);
    expect(breached.t.hasher.hashes).toBe(1);
  });

  it('refuses the same passwords at reset without spending the token, then resets with a good one', async () => {
    const { app, t: checked } = await withBreachCheck(context);
    const user = await createVerifiedUser(checked, { email: uniqueEmail('babbage.engine') });
    await checked.tessera.api.forgotPassword({ email: user.email });
    const token = await mailedToken(checked, 'user.password_reset_requested', user.email);
    const reset = (password: string) => send(app, 'POST', '/auth/password/reset', { json: { token, password } });
    await expectWeak(await reset(commonPassword), 'password', 'common');
    await expectWeak(await reset(`I am ${user.email.split('@')[0]!}`), 'password', 'context');
    await expectWeak(await reset(`call me ${user.username}`), 'password', 'context');
    await expectWeak(await reset(breachedPassword), 'password', 'breached');
    expect((await reset(longPassword)).status).toBe(204);
    expect((await send(app, 'POST', '/auth/login', { json: { email: user.email, password: longPassword } })).status).toBe(200);
  });

  it('refuses the same passwords at a password change, naming newPassword, and keeps the current password', async () => {
    const { app, t: checked } = await withBreachCheck(context);
    const { user, tokens } = await signIn(checked, { email: uniqueEmail('lovelace') });
    const change = (newPassword: string) => send(app, 'POST', '/auth/me/password', { token: tokens.accessToken, json: { currentPassword: goodPassword, newPassword } });
    await expectWeak(await change(commonPassword), 'newPassword', 'common');
    await expectWeak(await change('still tessera, only longer'), 'newPassword', 'context');
    await expectWeak(await change(`${user.username} is my name`), 'newPassword', 'context');
    await expectWeak(await change(breachedPassword), 'newPassword', 'breached');
    expect((await send(app, 'POST', '/auth/login', { json: { email: user.email, password: goodPassword } })).status).toBe(200);
  });

  it('takes passwords of 64 characters and more, exactly as typed, at registration and at a change', async () => {
    const { app, t } = context;
    expect([...longPassword].length).toBeGreaterThan(64);
    const email = uniqueEmail();
    expect((await send(app, 'POST', '/auth/register', { json: { email, password: longPassword } })).status).toBe(201);
    await t.tessera.api.verifyEmail({ token: await mailedToken(t, 'user.registered', email) });
    await expectProblem(await send(app, 'POST', '/auth/login', { json: { email, password: longPassword.toLowerCase() } }), 401, 'invalid_credentials');
    const session = await jsonOf<{ accessToken: string }>(await send(app, 'POST', '/auth/login', { json: { email, password: longPassword } }));
    const longer = 'x'.repeat(200) + ' Ω';
    expect((await send(app, 'POST', '/auth/me/password', { token: session.accessToken, json: { currentPassword: longPassword, newPassword: longer } })).status).toBe(200);
    expect((await send(app, 'POST', '/auth/login', { json: { email, password: longer } })).status).toBe(200);
  });

  it('never resets a password on GET: 405 for GET and HEAD on the reset endpoint, and the token still works afterwards', async () => {
    const { app, t } = context;
    const user = await createVerifiedUser(t);
    await t.tessera.api.forgotPassword({ email: user.email });
    const token = await mailedToken(t, 'user.password_reset_requested', user.email);
    const query = new URLSearchParams({ token, password: 'an entirely new passphrase' }).toString();
    await expectProblem(await send(app, 'GET', `/auth/password/reset?${query}`), 405, 'method_not_allowed');
    expect((await send(app, 'HEAD', `/auth/password/reset?${query}`)).status).toBe(405);
    expect((await send(app, 'POST', '/auth/login', { json: { email: user.email, password: goodPassword } })).status).toBe(200);
    expect((await send(app, 'POST', '/auth/password/reset', { json: { token, password: 'an entirely new passphrase' } })).status).toBe(204);
  });

  it('redirects mailed links only to the configured target, relative paths included, never to one from the request, with no referrer', async () => {
    const landing = await createTestTessera(context.store, { http: { verifyEmailRedirectUrl: '/welcome?from=mail#top' } });
    const app = await context.remount(landing.tessera);
    const email = uniqueEmail();
    await landing.tessera.api.register({ email, password: goodPassword });
    const token = await mailedToken(landing, 'user.registered', email);
    for (const hijack of ['next', 'returnTo', 'redirect', 'redirect_uri']) {
      const response = await send(app, 'GET', `/auth/verify-email?token=${token}&${hijack}=${encodeURIComponent('https://evil.example/')}`);
      expect(response.status, hijack).toBe(400);
      expect(response.headers.get('location'), hijack).toBeNull();
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
    const followed = await send(app, 'GET', `/auth/verify-email?token=${token}`);
    expect(followed.status).toBe(303);
    expect(followed.headers.get('location')).toBe('/welcome?from=mail&status=verified#top');
    expect(followed.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('refuses an off-site or script redirect target at start-up', async () => {
    for (const target of ['//evil.example/', '/\\evil.example', 'javascript:alert(1)', 'http://app.example.com/']) {
      await expect(createTestTessera(context.store, { http: { verifyEmailRedirectUrl: target } }), target).rejects.toThrow(/http\.verifyEmailRedirectUrl/);
      await expect(createTestTessera(context.store, { http: { confirmEmailChangeRedirectUrl: target } }), target).rejects.toThrow(/http\.confirmEmailChangeRedirectUrl/);
    }
  });
}
