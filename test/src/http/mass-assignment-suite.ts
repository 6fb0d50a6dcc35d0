import { expect, it } from 'vitest';
import { goodPassword, uniqueEmail } from '../fixtures.js';
import { signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectFieldIssue, expectProblem, jsonOf, send, type Send } from './requests.js';
import { readUser, seedUser } from './seed-user.js';

/** Fields a caller must never set on itself (or, below its rank, on others) through a data route. */
const privileged = { role: 'ADMIN', status: 'active', emailVerified: true, pro: { status: 'approved' }, proStatus: 'approved', id: '018f0000-0000-7000-8000-000000000000', passwordHash: 'x', failedLoginCount: 0 };

async function emailsMatching(context: HttpSuiteContext, email: string): Promise<string[]> {
  const page = await context.t.tessera.api.listUsers({ operator: 'test' }, { search: email });
  return page.items.map((user) => `${user.email}:${user.role}`);
}

/** Mass assignment: role, status, verification and pro status are never set through someone's own data. */
export function massAssignmentSuite(context: HttpSuiteContext): void {
  it('refuses a registration carrying a privileged field (JSON or form): 400 unrecognized_key, and no account is made', async () => {
    const { app } = context;
    for (const [field, value] of Object.entries(privileged)) {
      const email = uniqueEmail('escalate');
      for (const format of ['json', 'form'] as const) {
        const payload = { email, password: goodPassword, [field]: value };
        const request: Send = format === 'json' ? { json: payload } : { form: { email, password: goodPassword, [field]: JSON.stringify(value) } };
        const problem = await expectProblem(await send(app, 'POST', '/auth/register', request), 400, 'validation_failed');
        expectFieldIssue(problem, field, 'unrecognized_key');
      }
      expect(await emailsMatching(context, email)).toEqual([]);
    }
  });

  it('refuses a prototype-polluting registration ("__proto__" and "constructor" keys): 400, no admin made', async () => {
    const { app } = context;
    const email = uniqueEmail('proto');
    for (const body of [`{"email":"${email}","password":"${goodPassword}","__proto__":{"role":"ADMIN"}}`, `{"email":"${email}","password":"${goodPassword}","constructor":{"prototype":{"role":"ADMIN"}}}`]) {
      await expectProblem(await send(app, 'POST', '/auth/register', { body, headers: { 'content-type': 'application/json' } }), 400, 'validation_failed');
    }
    expect(await emailsMatching(context, email)).toEqual([]);
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  it('refuses PATCH /me setting role, status, emailVerified, pro status or anything but the profile: 400, the account unchanged', async () => {
    const { app, t } = context;
    const { user, tokens } = await signIn(t);
    const before = await readUser(t, user.id);
    for (const [field, value] of Object.entries({ ...privileged, email: uniqueEmail(), username: 'taken-over' })) {
      const problem = await expectProblem(await send(app, 'PATCH', '/auth/me', { token: tokens.accessToken, json: { profile: { firstName: 'Eve' }, [field]: value } }), 400, 'validation_failed');
      expectFieldIssue(problem, field, 'unrecognized_key');
      const nested = await expectProblem(await send(app, 'PATCH', '/auth/me', { token: tokens.accessToken, json: { profile: { [field]: value } } }), 400, 'validation_failed');
      expectFieldIssue(nested, `profile.${field}`, 'unrecognized_key');
    }
    expect(await readUser(t, user.id)).toEqual(before);
  });

  it('refuses extra fields on the other self-service routes (username, password, deletion, pro request): the account unchanged', async () => {
    const { app, t } = context;
    const { user, tokens } = await signIn(t);
    const before = await readUser(t, user.id);
    const token = tokens.accessToken;
    expectFieldIssue(await expectProblem(await send(app, 'PUT', '/auth/me/username', { token, json: { username: 'new-name', role: 'ADMIN' } }), 400, 'validation_failed'), 'role', 'unrecognized_key');
    expectFieldIssue(await expectProblem(await send(app, 'PUT', '/auth/me/username', { token, form: { username: 'new-name', emailVerified: 'true' } }), 400, 'validation_failed'), 'emailVerified', 'unrecognized_key');
    expectFieldIssue(await expectProblem(await send(app, 'POST', '/auth/me/password', { token, json: { currentPassword: goodPassword, newPassword: 'another long passphrase here', role: 'ADMIN' } }), 400, 'validation_failed'), 'role', 'unrecognized_key');
    expectFieldIssue(await expectProblem(await send(app, 'DELETE', '/auth/me', { token, json: { password: goodPassword, id: 'someone-else' } }), 400, 'validation_failed'), 'id', 'unrecognized_key');
    await expectProblem(await send(app, 'POST', '/auth/me/pro-request', { token, json: { status: 'approved' } }), 400, 'malformed_request');
    expect(await readUser(t, user.id)).toEqual(before);
  });

  it('refuses a manager creating an ADMIN (403) and any creation carrying status or pro fields (400): nothing created', async () => {
    const { app, t } = context;
    const manager = await signIn(t, { role: 'MANAGER' });
    const email = uniqueEmail('created');
    await expectProblem(await send(app, 'POST', '/auth/users', { token: manager.tokens.accessToken, json: { email, role: 'ADMIN' } }), 403, 'forbidden');
    for (const field of ['status', 'pro', 'proStatus', 'id', 'passwordHash']) {
      const problem = await expectProblem(await send(app, 'POST', '/auth/users', { token: manager.tokens.accessToken, json: { email, [field]: privileged[field as keyof typeof privileged] } }), 400, 'validation_failed');
      expectFieldIssue(problem, field, 'unrecognized_key');
    }
    expect(await emailsMatching(context, email)).toEqual([]);
  });

  it('refuses role, status or pro fields on updateUser and extra fields on setUserRole: 400, the target unchanged', async () => {
    const { app, t } = context;
    const manager = await signIn(t, { role: 'MANAGER' });
    const target = await seedUser(context);
    const token = manager.tokens.accessToken;
    for (const field of ['role', 'status', 'pro', 'proStatus', 'id', 'passwordHash']) {
      const problem = await expectProblem(await send(app, 'PATCH', `/auth/users/${target.id}`, { token, json: { [field]: privileged[field as keyof typeof privileged] } }), 400, 'validation_failed');
      expectFieldIssue(problem, field, 'unrecognized_key');
    }
    expectFieldIssue(await expectProblem(await send(app, 'PUT', `/auth/users/${target.id}/role`, { token, json: { role: 'MANAGER', status: 'active' } }), 400, 'validation_failed'), 'status', 'unrecognized_key');
    await expectProblem(await send(app, 'PUT', `/auth/users/${manager.user.id}/role`, { token, json: { role: 'ADMIN' } }), 403, 'forbidden');
    expect(await readUser(t, target.id)).toEqual(target);
    expect(await readUser(t, manager.user.id)).toMatchObject({ role: 'MANAGER' });
  });

  it('ignores unrecognised token-endpoint parameters as RFC 6749 §3.2 requires: the token carries the stored role', async () => {
    const { app, t } = context;
    const { user } = await signIn(t);
    const response = await send(app, 'POST', '/auth/token', { form: { grant_type: 'password', username: user.email, password: goodPassword, role: 'ADMIN' } });
    expect(response.status).toBe(200);
    const { access_token: accessToken } = await jsonOf<{ access_token: string }>(response);
    expect(await t.tessera.verifyAccessToken(accessToken)).toMatchObject({ userId: user.id, role: 'AUTHENTICATED' });
  });
}
