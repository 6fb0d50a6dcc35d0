import { expect, it } from 'vitest';
import { goodPassword, uniqueEmail } from '../fixtures.js';
import { signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectFieldIssue, expectProblem, send } from './requests.js';

/** The methods a 405 names, as a sorted list. */
function allowOf(response: Response): string[] {
  return (response.headers.get('allow') ?? '').split(',').map((method) => method.trim()).filter(Boolean).sort();
}

/** Hostile URLs: query strings, path parameters, routes and methods. Every one a 4xx problem. */
export function hostileUrlSuite(context: HttpSuiteContext): void {
  it('answers a repeated query parameter with 400 malformed_request', async () => {
    const { app, t } = context;
    const manager = await signIn(t, { role: 'MANAGER' });
    await expectProblem(await send(app, 'GET', '/auth/users?limit=1&limit=100', { token: manager.tokens.accessToken }), 400, 'malformed_request');
    await expectProblem(await send(app, 'GET', '/auth/users?role=ADMIN&role=MANAGER', { token: manager.tokens.accessToken }), 400, 'malformed_request');
    await expectProblem(await send(app, 'GET', '/auth/verify-email?token=a&token=b'), 400, 'malformed_request');
  });

  it('answers overlong query values with 400 validation_failed naming the parameter', async () => {
    const { app, t } = context;
    const manager = await signIn(t, { role: 'MANAGER' });
    const long = 'a'.repeat(10_000);
    expectFieldIssue(await expectProblem(await send(app, 'GET', `/auth/verify-email?token=${long}`), 400, 'validation_failed'), 'token', 'too_big');
    expectFieldIssue(await expectProblem(await send(app, 'GET', `/auth/users?q=${long}`, { token: manager.tokens.accessToken }), 400, 'validation_failed'), 'q', 'too_big');
  });

  it('answers an unknown query parameter with 400 validation_failed naming it', async () => {
    const { app, t } = context;
    const manager = await signIn(t, { role: 'MANAGER' });
    expectFieldIssue(await expectProblem(await send(app, 'GET', '/auth/users?admin=true', { token: manager.tokens.accessToken }), 400, 'validation_failed'), 'admin', 'unrecognized_key');
    expectFieldIssue(await expectProblem(await send(app, 'GET', '/auth/health?debug=1'), 400, 'validation_failed'), 'debug', 'unrecognized_key');
    const register = await send(app, 'POST', '/auth/register?role=ADMIN', { json: { email: uniqueEmail(), password: goodPassword } });
    expectFieldIssue(await expectProblem(register, 400, 'validation_failed'), 'role', 'unrecognized_key');
    expectFieldIssue(await expectProblem(await send(app, 'GET', '/auth/me?__proto__=x', { token: manager.tokens.accessToken }), 400, 'validation_failed'), '__proto__', 'unrecognized_key');
  });

  it('answers malformed user ids in paths with a 4xx problem: 404 for what cannot name a user, 400 for an overlong id', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    const token = admin.tokens.accessToken;
    const cases: Array<[path: string, status: number, code: string]> = [
      ['/auth/users/not-a-uuid', 404, 'user_not_found'],
      ['/auth/users/%00', 404, 'user_not_found'],
      ['/auth/users/%27%20OR%201%3D1--', 404, 'user_not_found'],
      ['/auth/users/..%2F..%2Fetc%2Fpasswd', 404, 'user_not_found'],
      ['/auth/users/%E2%80%AE', 404, 'user_not_found'],
      ['/auth/users/%ZZ', 400, 'malformed_request'],
      [`/auth/users/${'a'.repeat(100)}`, 400, 'validation_failed'],
    ];
    for (const [path, status, code] of cases) {
      for (const method of ['GET', 'DELETE']) await expectProblem(await send(app, method, path, { token }), status, code);
      await expectProblem(await send(app, 'POST', `${path}/lock`, { token }), status, code);
    }
  });

  it('answers unknown routes with 404 route_not_found', async () => {
    const { app } = context;
    for (const path of ['/auth', '/auth/', '/auth/nope', '/auth/users/x/y/z', '/auth/me/', '/auth/LOGIN', '/auth/openapi.yaml']) {
      await expectProblem(await send(app, 'GET', path), 404, 'route_not_found');
    }
    await expectProblem(await send(app, 'POST', '/auth/admin/users', { json: {} }), 404, 'route_not_found');
  });

  it('answers a wrong method with 405 method_not_allowed and an Allow header listing the route’s methods', async () => {
    const { app } = context;
    const cases: Array<[method: string, path: string, allowed: string[]]> = [
      ['PUT', '/auth/login', ['POST']],
      ['GET', '/auth/token', ['POST']],
      ['DELETE', '/auth/users', ['GET', 'POST']],
      ['POST', '/auth/me', ['DELETE', 'GET', 'PATCH']],
      ['PATCH', '/auth/health', ['GET']],
      ['PUT', '/auth/verify-email', ['GET', 'POST']],
      ['GET', '/auth/users/018f0000-0000-7000-8000-000000000000/lock', ['POST']],
    ];
    for (const [method, path, allowed] of cases) {
      const response = await send(app, method, path);
      expect({ method, path, allow: allowOf(response) }).toEqual({ method, path, allow: allowed });
      await expectProblem(response, 405, 'method_not_allowed');
    }
  });

  it('refuses malformed Authorization headers with 401 and a Bearer challenge', async () => {
    const { app, t } = context;
    const { tokens } = await signIn(t);
    for (const authorization of ['Bearer', 'Bearer ', `Bearer ${tokens.accessToken} extra`, `Token ${tokens.accessToken}`, `Bearer ${tokens.accessToken.slice(0, -4)}AAAA`, tokens.accessToken]) {
      await expectProblem(await send(app, 'GET', '/auth/me', { headers: { authorization } }), 401, 'unauthenticated');
    }
    expect((await send(app, 'GET', '/auth/me', { headers: { authorization: `bearer ${tokens.accessToken}` } })).status).toBe(200);
  });
}
