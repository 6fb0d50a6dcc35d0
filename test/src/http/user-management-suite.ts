import { expect, it } from 'vitest';
import { goodPassword, uniqueEmail } from '../fixtures.js';
import { signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectFieldIssue, expectNoStore, expectProblem, jsonOf, send } from './requests.js';
import { readUser, seedUser, userExists } from './seed-user.js';

const unknownId = '018f0000-0000-7000-8000-000000000000';

interface AdminUserBody {
  id: string;
  email: string;
  role: string;
  status: string;
  emailVerified: boolean;
  hasPassword: boolean;
  pro: { status: string; reason: string | null };
  _links: Record<string, { href: string; method?: string }>;
}

/** User management's success paths and documented errors (who may do what is the permission matrix's). */
export function userManagementSuite(context: HttpSuiteContext): void {
  it('lists users for a manager: 200, no-store, admin views with links, filters by role, status and search', async () => {
    const { app, t } = context;
    const manager = await signIn(t, { role: 'MANAGER' });
    const suspended = await seedUser(context, { status: 'suspended', email: uniqueEmail('findme') });
    const admin = await seedUser(context, { role: 'ADMIN' });
    const response = await send(app, 'GET', '/auth/users', { token: manager.tokens.accessToken });
    expect(response.status).toBe(200);
    expectNoStore(response);
    const page = await jsonOf<{ items: AdminUserBody[]; page: Record<string, unknown> }>(response);
    expect(page.items.map((item) => item.id).sort()).toEqual([manager.user.id, suspended.id, admin.id].sort());
    expect(page.items[0]).toHaveProperty('failedLoginCount');
    expect(page.page).toMatchObject({ limit: 20, number: null, sort: '-createdAt', total: null });

    const ids = async (query: string) => (await jsonOf<{ items: AdminUserBody[] }>(await send(app, 'GET', `/auth/users?${query}`, { token: manager.tokens.accessToken }))).items.map((item) => item.id);
    expect(await ids('role=ADMIN')).toEqual([admin.id]);
    expect(await ids('status=suspended,locked')).toEqual([suspended.id]);
    expect(await ids('q=FINDME')).toEqual([suspended.id]);
    for (const query of ['sort=password', 'limit=0', 'limit=101', 'role=ROOT', 'verified=yes', 'page=1&cursor=abc', 'cursor=not-a-cursor']) {
      await expectProblem(await send(app, 'GET', `/auth/users?${query}`, { token: manager.tokens.accessToken }), 400, 'validation_failed');
    }
  });

  it('counts users exactly for a manager (GET /users/count), with the filters of the listing; a page says whether its total is exact', async () => {
    const { app, t } = context;
    const manager = await signIn(t, { role: 'MANAGER' });
    await seedUser(context, { status: 'suspended', email: uniqueEmail('tally') });
    await seedUser(context, { email: uniqueEmail('tally') });
    const count = async (query: string, token = manager.tokens.accessToken) => send(app, 'GET', `/auth/users/count?${query}`, { token });
    const response = await count('q=tally');
    expect(response.status).toBe(200);
    expectNoStore(response);
    expect(await jsonOf(response)).toEqual({ count: 2 });
    expect(await jsonOf(await count('q=tally&status=suspended'))).toEqual({ count: 1 });
    expect(await jsonOf(await count(''))).toEqual({ count: 3 });
    const page = await jsonOf<{ page: Record<string, unknown> }>(await send(app, 'GET', '/auth/users?q=tally&total=true', { token: manager.tokens.accessToken }));
    expect(page.page).toMatchObject({ total: 2, totalIsExact: true });
    expectFieldIssue(await expectProblem(await count('q=ab'), 400, 'validation_failed'), 'q', 'too_small');
    await expectProblem(await count('sort=email'), 400, 'validation_failed');
    const member = await signIn(t);
    await expectProblem(await count('', member.tokens.accessToken), 403, 'forbidden');
    await expectProblem(await send(app, 'GET', '/auth/users/count'), 401, 'unauthenticated');
  });

  it('creates a user for an admin: 201 with the admin view, mailing a verification unless verified; refuses taken names and weak passwords', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    const email = uniqueEmail('created');
    const response = await send(app, 'POST', '/auth/users', { token: admin.tokens.accessToken, json: { email, role: 'MANAGER', profile: { firstName: 'Nia' } } });
    expect(response.status).toBe(201);
    expectNoStore(response);
    const created = await jsonOf<AdminUserBody>(response);
    expect(created).toMatchObject({ email, role: 'MANAGER', emailVerified: false, hasPassword: false, _links: { self: { href: `/auth/users/${created.id}` } } });
    await t.deliver();
    expect(t.events.ofType('user.registered', email)).toHaveLength(1);

    const withPassword = await jsonOf<AdminUserBody>(await send(app, 'POST', '/auth/users', { token: admin.tokens.accessToken, json: { email: uniqueEmail(), password: goodPassword, emailVerified: true, username: 'grace-h' } }));
    expect(withPassword).toMatchObject({ role: 'AUTHENTICATED', emailVerified: true, hasPassword: true });
    await expectProblem(await send(app, 'POST', '/auth/users', { token: admin.tokens.accessToken, json: { email } }), 409, 'email_taken');
    await expectProblem(await send(app, 'POST', '/auth/users', { token: admin.tokens.accessToken, json: { email: uniqueEmail(), username: 'grace-h' } }), 409, 'username_taken');
    await expectProblem(await send(app, 'POST', '/auth/users', { token: admin.tokens.accessToken, json: { email: uniqueEmail(), password: 'short' } }), 400, 'weak_password');
    await expectProblem(await send(app, 'POST', '/auth/users', { token: admin.tokens.accessToken, form: { email: uniqueEmail() } }), 415, 'unsupported_media_type');
  });

  it('reads a user (200) and answers an unknown id with 404 user_not_found', async () => {
    const { app, t } = context;
    const manager = await signIn(t, { role: 'MANAGER' });
    const user = await seedUser(context);
    const response = await send(app, 'GET', `/auth/users/${user.id}`, { token: manager.tokens.accessToken });
    expect(response.status).toBe(200);
    expectNoStore(response);
    expect(await jsonOf(response)).toMatchObject({ ...user, _links: { self: { href: `/auth/users/${user.id}` } } });
    for (const id of [unknownId, 'not-a-uuid']) {
      await expectProblem(await send(app, 'GET', `/auth/users/${id}`, { token: manager.tokens.accessToken }), 404, 'user_not_found');
    }
  });

  it('updates a user’s email, verification and profile (200); refuses a taken email or username (409) and an unknown id (404)', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    const user = await seedUser(context);
    const other = await seedUser(context);
    const email = uniqueEmail('renamed');
    const response = await send(app, 'PATCH', `/auth/users/${user.id}`, { token: admin.tokens.accessToken, json: { email, emailVerified: true, profile: { location: 'Oslo' } } });
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({ id: user.id, email, emailVerified: true, profile: { location: 'Oslo' } });
    expect(await readUser(t, user.id)).toMatchObject({ email, profile: { location: 'Oslo' } });
    await expectProblem(await send(app, 'PATCH', `/auth/users/${user.id}`, { token: admin.tokens.accessToken, json: { email: other.email } }), 409, 'email_taken');
    await expectProblem(await send(app, 'PATCH', `/auth/users/${user.id}`, { token: admin.tokens.accessToken, json: { username: other.username } }), 409, 'username_taken');
    await expectProblem(await send(app, 'PATCH', `/auth/users/${unknownId}`, { token: admin.tokens.accessToken, json: { profile: {} } }), 404, 'user_not_found');
    expectFieldIssue(await expectProblem(await send(app, 'PATCH', `/auth/users/${user.id}`, { token: admin.tokens.accessToken, json: { emailVerified: 'yes' } }), 400, 'validation_failed'), 'emailVerified', 'invalid_type');
  });

  it('deletes a user (204), after which it is 404; an unknown id is 404', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    const user = await seedUser(context);
    const response = await send(app, 'DELETE', `/auth/users/${user.id}`, { token: admin.tokens.accessToken });
    expect(response.status).toBe(204);
    expect(await userExists(t, user.id)).toBe(false);
    await expectProblem(await send(app, 'DELETE', `/auth/users/${user.id}`, { token: admin.tokens.accessToken }), 404, 'user_not_found');
  });

  it('changes a role (200, JSON or form), ending the user’s sessions; refuses an unknown role (400) and id (404)', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    const target = await signIn(t);
    const response = await send(app, 'PUT', `/auth/users/${target.user.id}/role`, { token: admin.tokens.accessToken, form: { role: 'MANAGER' } });
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({ id: target.user.id, role: 'MANAGER' });
    await expectProblem(await send(app, 'POST', '/auth/refresh', { json: { refreshToken: target.tokens.refreshToken } }), 401, 'invalid_refresh_token');
    expect(await jsonOf(await send(app, 'PUT', `/auth/users/${target.user.id}/role`, { token: admin.tokens.accessToken, json: { role: 'ADMIN' } }))).toMatchObject({ role: 'ADMIN' });
    expectFieldIssue(await expectProblem(await send(app, 'PUT', `/auth/users/${target.user.id}/role`, { token: admin.tokens.accessToken, json: { role: 'ROOT' } }), 400, 'validation_failed'), 'role', 'invalid_value');
    await expectProblem(await send(app, 'PUT', `/auth/users/${unknownId}/role`, { token: admin.tokens.accessToken, json: { role: 'MANAGER' } }), 404, 'user_not_found');
  });

  it('locks, unlocks, suspends and reactivates a user (200 each, with the new status), and the user’s login follows', async () => {
    const { app, t } = context;
    const manager = await signIn(t, { role: 'MANAGER' });
    const target = await signIn(t);
    const login = () => send(app, 'POST', '/auth/login', { json: { email: target.user.email, password: goodPassword } });
    const steps = [['lock', 'locked', 423], ['unlock', 'active', 200], ['suspend', 'suspended', 403], ['reactivate', 'active', 200]] as const;
    for (const [operation, status, loginStatus] of steps) {
      const response = await send(app, 'POST', `/auth/users/${target.user.id}/${operation}`, { token: manager.tokens.accessToken });
      expect({ operation, status: response.status }).toEqual({ operation, status: 200 });
      expect(await jsonOf(response)).toMatchObject({ id: target.user.id, status });
      expect({ operation, login: (await login()).status }).toEqual({ operation, login: loginStatus });
    }
    await expectProblem(await send(app, 'POST', `/auth/users/${unknownId}/lock`, { token: manager.tokens.accessToken }), 404, 'user_not_found');
  });

  it('lifts a lockout after failed logins with unlock', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    const target = await signIn(t);
    for (let attempt = 1; attempt <= 5; attempt += 1) await t.tessera.api.login({ email: target.user.email, password: 'not the right password at all' }).catch(() => undefined);
    const locked = await jsonOf<AdminUserBody & { lockedUntil: string | null }>(await send(app, 'GET', `/auth/users/${target.user.id}`, { token: admin.tokens.accessToken }));
    expect(locked.lockedUntil).not.toBeNull();
    expect(locked._links.unlock).toEqual({ href: `/auth/users/${target.user.id}/unlock`, method: 'POST' });
    const unlocked = await jsonOf(await send(app, 'POST', `/auth/users/${target.user.id}/unlock`, { token: admin.tokens.accessToken }));
    expect(unlocked).toMatchObject({ status: 'active', lockedUntil: null, failedLoginCount: 0 });
    expect((await send(app, 'POST', '/auth/login', { json: { email: target.user.email, password: goodPassword } })).status).toBe(200);
  });

  it('decides on pro requests: approve and reject pending ones (200), revoke granted ones, 409 when the status does not fit', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    const [approved, rejected] = [await seedUser(context, { proStatus: 'pending' }), await seedUser(context, { proStatus: 'pending' })];
    const decide = (id: string, body: unknown) => send(app, 'POST', `/auth/users/${id}/pro-decision`, { token: admin.tokens.accessToken, json: body });
    const approval = await decide(approved.id, { decision: 'approve' });
    expect(approval.status).toBe(200);
    const approvedBody = await jsonOf<AdminUserBody>(approval);
    expect(approvedBody.pro).toMatchObject({ status: 'approved' });
    expect(approvedBody._links.revokePro).toEqual({ href: `/auth/users/${approved.id}/pro-decision`, method: 'POST' });
    expect(await jsonOf(await decide(rejected.id, { decision: 'reject', reason: 'Incomplete portfolio' }))).toMatchObject({ pro: { status: 'rejected', reason: 'Incomplete portfolio' } });
    await expectProblem(await decide(approved.id, { decision: 'approve' }), 409, 'conflict');
    await expectProblem(await decide(rejected.id, { decision: 'revoke' }), 409, 'conflict');
    expect(await jsonOf(await decide(approved.id, { decision: 'revoke' }))).toMatchObject({ pro: { status: 'revoked' } });
    expectFieldIssue(await expectProblem(await decide(approved.id, { decision: 'maybe' }), 400, 'validation_failed'), 'decision', 'invalid_value');
    await expectProblem(await decide(unknownId, { decision: 'approve' }), 404, 'user_not_found');
  });
}
