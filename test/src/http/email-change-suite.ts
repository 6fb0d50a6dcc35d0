import { expect, it } from 'vitest';
import { createTestTessera, goodPassword, uniqueEmail } from '../fixtures.js';
import { signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectProblem, jsonOf, send } from './requests.js';

/** Changing the own address over HTTP: request, confirm by POST or by the mailed link. */
export function emailChangeSuite(context: HttpSuiteContext): void {
  it('changes the email address through the link sent to the new address (POST, and the GET link with its redirect)', async () => {
    const { app, t } = context;
    const { tokens, user } = await signIn(t);
    const newEmail = uniqueEmail('moved');
    await expectProblem(await send(app, 'POST', '/auth/me/email', { token: tokens.accessToken, json: { newEmail, password: 'not the right password' } }), 400, 'invalid_current_password');
    await expectProblem(await send(app, 'POST', '/auth/me/email', { json: { newEmail, password: goodPassword } }), 401, 'unauthenticated');
    expect((await send(app, 'POST', '/auth/me/email', { token: tokens.accessToken, json: { newEmail, password: goodPassword } })).status).toBe(202);
    await t.deliver();
    const token = t.events.ofType('user.email_change_requested').find((event) => event.payload.newEmail === newEmail)!.secrets.confirmation.token;
    const confirmed = await send(app, 'POST', '/auth/email-change/confirm', { json: { token } });
    expect(confirmed.status).toBe(200);
    expect(await jsonOf(confirmed)).toMatchObject({ id: user.id, email: newEmail, emailVerified: true });
    await expectProblem(await send(app, 'POST', '/auth/email-change/confirm', { json: { token } }), 400, 'invalid_token');

    const landing = await createTestTessera(context.store, { http: { confirmEmailChangeRedirectUrl: 'https://app.example.com/settings' } });
    const redirecting = await context.remount(landing.tessera);
    const again = await signIn(landing);
    const third = uniqueEmail('third');
    await send(redirecting, 'POST', '/auth/me/email', { token: again.tokens.accessToken, form: { newEmail: third, password: goodPassword } });
    await landing.deliver();
    const linkToken = landing.events.ofType('user.email_change_requested').find((event) => event.payload.newEmail === third)!.secrets.confirmation.token;
    const followed = await send(redirecting, 'GET', `/auth/email-change/confirm?token=${linkToken}`);
    expect(followed.status).toBe(303);
    expect(followed.headers.get('location')).toBe('https://app.example.com/settings?status=confirmed');
    expect(followed.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await send(redirecting, 'GET', `/auth/email-change/confirm?token=${linkToken}`)).headers.get('location')).toBe('https://app.example.com/settings?status=invalid');
  });
}
