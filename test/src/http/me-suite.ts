import { expect, it } from 'vitest';
import { goodPassword } from '../fixtures.js';
import { signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectFieldIssue, expectNoStore, expectProblem, expectTokenHeaders, jsonOf, send } from './requests.js';
import { seedUser, userExists } from './seed-user.js';

const newPassword = 'a brand new passphrase for tests';
const completeProfile = { firstName: 'Ada', lastName: 'Lovelace', bio: 'Mathematician', location: 'London' };

/** The links of one's own account (the `_links` contract of `/me`). */
function ownLinks(options: { canList: boolean; canRequestPro: boolean }): Record<string, { href: string; method?: string }> {
  return {
    self: { href: '/auth/me' },
    update: { href: '/auth/me', method: 'PATCH' },
    changePassword: { href: '/auth/me/password', method: 'POST' },
    changeUsername: { href: '/auth/me/username', method: 'PUT' },
    delete: { href: '/auth/me', method: 'DELETE' },
    ...(options.canRequestPro && { requestPro: { href: '/auth/me/pro-request', method: 'POST' } }),
    ...(options.canList && { users: { href: '/auth/users' } }),
  };
}

/** The caller's own account: `getMe`, `updateMe`, `changePassword`, `changeUsername`, `deleteMe`, `requestPro`. */
export function meSuite(context: HttpSuiteContext): void {
  it('shows the caller its own account with no-store and links to what it may do, and managers a link to the users', async () => {
    const { app, t } = context;
    for (const role of ['AUTHENTICATED', 'MANAGER', 'ADMIN'] as const) {
      const { user, tokens } = await signIn(t, { role });
      const response = await send(app, 'GET', '/auth/me', { token: tokens.accessToken });
      expect(response.status).toBe(200);
      expectNoStore(response);
      const body = await jsonOf(response);
      expect(body).toMatchObject({ id: user.id, email: user.email, role, emailVerified: true });
      expect(body).not.toHaveProperty('hasPassword');
      expect(body).not.toHaveProperty('failedLoginCount');
      expect(body._links, role).toEqual(ownLinks({ canList: role !== 'AUTHENTICATED', canRequestPro: true }));
    }
  });

  it('refuses /me without a token, with a garbage token and with the token of a deleted user: 401 with a Bearer challenge', async () => {
    const { app, t } = context;
    const { user, tokens } = await signIn(t);
    await expectProblem(await send(app, 'GET', '/auth/me'), 401, 'unauthenticated');
    await expectProblem(await send(app, 'GET', '/auth/me', { token: 'not.a.jwt' }), 401, 'unauthenticated');
    await expectProblem(await send(app, 'GET', '/auth/me', { headers: { authorization: `Basic ${btoa('a:b')}` } }), 401, 'unauthenticated');
    await t.tessera.api.deleteUser({ operator: 'test' }, user.id);
    await expectProblem(await send(app, 'GET', '/auth/me', { token: tokens.accessToken }), 401, 'unauthenticated');
  });

  it('changes and clears profile fields (200, the account), refusing a URL off the allowed host and a form body', async () => {
    const { app, t } = context;
    const { tokens } = await signIn(t);
    const changed = await send(app, 'PATCH', '/auth/me', { token: tokens.accessToken, json: { profile: { ...completeProfile, githubUrl: 'https://github.com/ada' } } });
    expect(changed.status).toBe(200);
    expectNoStore(changed);
    expect(await jsonOf(changed)).toMatchObject({ profile: { ...completeProfile, githubUrl: 'https://github.com/ada' } });
    const cleared = await jsonOf(await send(app, 'PATCH', '/auth/me', { token: tokens.accessToken, json: { profile: { bio: '', location: null } } }));
    expect(cleared).toMatchObject({ profile: { firstName: 'Ada', bio: null, location: null } });

    const offHost = await expectProblem(await send(app, 'PATCH', '/auth/me', { token: tokens.accessToken, json: { profile: { githubUrl: 'https://evil.example/ada' } } }), 400, 'validation_failed');
    expect(offHost.errors?.map((issue) => issue.path)).toEqual(['profile.githubUrl']);
    await expectProblem(await send(app, 'PATCH', '/auth/me', { token: tokens.accessToken, form: { 'profile.firstName': 'Eve' } }), 415, 'unsupported_media_type');
  });

  it('changes the password with the current one: 200 with a new session and token headers; older sessions end', async () => {
    const { app, t } = context;
    const { user, tokens } = await signIn(t);
    t.clock.advance(1);
    const response = await send(app, 'POST', '/auth/me/password', { token: tokens.accessToken, json: { currentPassword: goodPassword, newPassword } });
    expect(response.status).toBe(200);
    expectTokenHeaders(response);
    const session = await jsonOf<{ accessToken: string; refreshToken: string }>(response);
    await expectProblem(await send(app, 'POST', '/auth/refresh', { json: { refreshToken: tokens.refreshToken } }), 401, 'invalid_refresh_token');
    await expectProblem(await send(app, 'GET', '/auth/me', { token: tokens.accessToken }), 401, 'unauthenticated');
    expect(await jsonOf(await send(app, 'GET', '/auth/me', { token: session.accessToken }))).toMatchObject({ id: user.id });
    expect((await send(app, 'POST', '/auth/login', { json: { email: user.email, password: newPassword } })).status).toBe(200);
  });

  it('refuses a password change with a wrong current password (400) or a weak new one (400 naming newPassword)', async () => {
    const { app, t } = context;
    const { tokens } = await signIn(t);
    await expectProblem(await send(app, 'POST', '/auth/me/password', { token: tokens.accessToken, json: { currentPassword: 'not the right password at all', newPassword } }), 400, 'invalid_current_password');
    const weak = await expectProblem(await send(app, 'POST', '/auth/me/password', { token: tokens.accessToken, form: { currentPassword: goodPassword, newPassword: 'short' } }), 400, 'weak_password');
    expect(weak.errors?.map((issue) => issue.path)).toEqual(['newPassword']);
  });

  it('counts wrong current passwords toward the lockout: the fifth answers 423 account_locked with Retry-After, and so does the right one during the lock', async () => {
    const { app, t } = context;
    const { tokens } = await signIn(t);
    const wrong = { token: tokens.accessToken, json: { currentPassword: 'not the right password at all', newPassword } };
    for (let attempt = 1; attempt <= 4; attempt += 1) await expectProblem(await send(app, 'POST', '/auth/me/password', wrong), 400, 'invalid_current_password');
    // As at login, the failure that reaches the threshold already answers with the lock.
    const locking = await send(app, 'POST', '/auth/me/password', wrong);
    expect.soft(locking.headers.get('retry-after'), 'Retry-After on the locking failure').toBe('900');
    await expectProblem(locking, 423, 'account_locked');
    const locked = await send(app, 'POST', '/auth/me/password', { token: tokens.accessToken, json: { currentPassword: goodPassword, newPassword } });
    expect.soft(locked.headers.get('retry-after'), 'Retry-After on account_locked').toBe('900');
    await expectProblem(locked, 423, 'account_locked');
  });

  it('changes the username, normalised (200); refuses a taken one (409) and a reserved one (400)', async () => {
    const { app, t } = context;
    const { tokens } = await signIn(t);
    const other = await seedUser(context);
    const response = await send(app, 'PUT', '/auth/me/username', { token: tokens.accessToken, json: { username: 'Ada-Lovelace' } });
    expect(response.status).toBe(200);
    expectNoStore(response);
    expect(await jsonOf(response)).toMatchObject({ username: 'ada-lovelace', _links: { self: { href: '/auth/me' } } });
    await expectProblem(await send(app, 'PUT', '/auth/me/username', { token: tokens.accessToken, form: { username: other.username } }), 409, 'username_taken');
    expectFieldIssue(await expectProblem(await send(app, 'PUT', '/auth/me/username', { token: tokens.accessToken, json: { username: 'admin' } }), 400, 'validation_failed'), 'username', 'reserved');
  });

  it('deletes the own account confirmed with the password (204); refuses a wrong password (400) and the last admin (409)', async () => {
    const { app, t } = context;
    const { user, tokens } = await signIn(t);
    await expectProblem(await send(app, 'DELETE', '/auth/me', { token: tokens.accessToken, json: { password: 'not the right password at all' } }), 400, 'invalid_current_password');
    await expectProblem(await send(app, 'DELETE', '/auth/me', { token: tokens.accessToken }), 400, 'validation_failed');
    expect(await userExists(t, user.id)).toBe(true);
    const deleted = await send(app, 'DELETE', '/auth/me', { token: tokens.accessToken, json: { password: goodPassword } });
    expect(deleted.status).toBe(204);
    expect(await userExists(t, user.id)).toBe(false);
    await expectProblem(await send(app, 'GET', '/auth/me', { token: tokens.accessToken }), 401, 'unauthenticated');

    const admin = await signIn(t, { role: 'ADMIN' });
    await expectProblem(await send(app, 'DELETE', '/auth/me', { token: admin.tokens.accessToken, form: { password: goodPassword } }), 409, 'last_admin');
    expect(await userExists(t, admin.user.id)).toBe(true);
  });

  it('asks for pro status once the profile is complete: 400 listing missing fields, then 200 pending, then 409', async () => {
    const { app, t } = context;
    const { tokens } = await signIn(t);
    const incomplete = await expectProblem(await send(app, 'POST', '/auth/me/pro-request', { token: tokens.accessToken }), 400, 'validation_failed');
    expect(incomplete.errors?.map((issue) => issue.path).sort()).toEqual(['profile.bio', 'profile.firstName', 'profile.lastName', 'profile.location']);
    await send(app, 'PATCH', '/auth/me', { token: tokens.accessToken, json: { profile: completeProfile } });
    const response = await send(app, 'POST', '/auth/me/pro-request', { token: tokens.accessToken });
    expect(response.status).toBe(200);
    const body = await jsonOf<{ pro: { status: string }; _links: Record<string, unknown> }>(response);
    expect(body.pro.status).toBe('pending');
    expect(body._links).toEqual(ownLinks({ canList: false, canRequestPro: false }));
    await expectProblem(await send(app, 'POST', '/auth/me/pro-request', { token: tokens.accessToken }), 409, 'conflict');
  });
}
