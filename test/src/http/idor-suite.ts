import { expect, it } from 'vitest';
import { goodPassword } from '../fixtures.js';
import { signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectProblem, jsonOf, send } from './requests.js';
import { readUser } from './seed-user.js';

/** Insecure direct object references: one user never reaches another's account. */
export function idorSuite(context: HttpSuiteContext): void {
  it('refuses user A every /users/{id} route on user B with 403, leaving B unchanged, while A may read itself', async () => {
    const { app, t } = context;
    const alice = await signIn(t);
    const bob = await signIn(t);
    const before = await readUser(t, bob.user.id);
    const token = alice.tokens.accessToken;
    const attempts: Array<[method: string, path: string, body?: unknown]> = [
      ['GET', ''],
      ['PATCH', '', { profile: { firstName: 'Mallory' } }],
      ['DELETE', ''],
      ['PUT', '/role', { role: 'AUTHENTICATED' }],
      ['POST', '/lock'],
      ['POST', '/unlock'],
      ['POST', '/suspend'],
      ['POST', '/reactivate'],
      ['POST', '/pro-decision', { decision: 'approve' }],
    ];
    for (const [method, path, body] of attempts) {
      const response = await send(app, method, `/auth/users/${bob.user.id}${path}`, { token, ...(body !== undefined && { json: body }) });
      await expectProblem(response, 403, 'forbidden');
    }
    expect(await readUser(t, bob.user.id)).toEqual(before);
    expect(await jsonOf(await send(app, 'GET', `/auth/users/${alice.user.id}`, { token }))).toMatchObject({ id: alice.user.id, _links: { self: { href: `/auth/users/${alice.user.id}` } } });
  });

  it('gives no way to aim /me at another user: no id in body or query, no /me/{id}, no taking B’s username', async () => {
    const { app, t } = context;
    const alice = await signIn(t);
    const bob = await signIn(t);
    const before = await readUser(t, bob.user.id);
    const token = alice.tokens.accessToken;
    await expectProblem(await send(app, 'GET', `/auth/me?id=${bob.user.id}`, { token }), 400, 'validation_failed');
    await expectProblem(await send(app, 'GET', `/auth/me?userId=${bob.user.id}`, { token }), 400, 'validation_failed');
    await expectProblem(await send(app, 'PATCH', '/auth/me', { token, json: { id: bob.user.id, profile: { firstName: 'Mallory' } } }), 400, 'validation_failed');
    await expectProblem(await send(app, 'DELETE', '/auth/me', { token, json: { password: goodPassword, userId: bob.user.id } }), 400, 'validation_failed');
    await expectProblem(await send(app, 'GET', `/auth/me/${bob.user.id}`, { token }), 404, 'route_not_found');
    await expectProblem(await send(app, 'PUT', '/auth/me/username', { token, json: { username: bob.user.username } }), 409, 'username_taken');
    expect(await jsonOf(await send(app, 'GET', '/auth/me', { token }))).toMatchObject({ id: alice.user.id, email: alice.user.email });
    expect(await readUser(t, bob.user.id)).toEqual(before);
  });
}
