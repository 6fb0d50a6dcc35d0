import { userRoles } from '@tessera/core';
import { expect, it } from 'vitest';
import { signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { untargetedActions } from './permission-oracle.js';
import { expectProblem, jsonOf, send } from './requests.js';

const accessTokenTtlSeconds = 15 * 60;
const leewaySeconds = 30;

/** The host app's own routes behind the adapter's guards. */
export function hostRoutesSuite(context: HttpSuiteContext): void {
  it('serves an unguarded host route to anyone', async () => {
    const response = await send(context.app, 'GET', '/api/public');
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual({ ok: true });
  });

  it('refuses /api/me without a token or with a bad one: 401 problem+json with a Bearer challenge', async () => {
    const { app } = context;
    await expectProblem(await send(app, 'GET', '/api/me'), 401, 'unauthenticated');
    await expectProblem(await send(app, 'GET', '/api/me', { token: 'garbage' }), 401, 'unauthenticated');
  });

  it('gives /api/me the auth context: user id, role, and exactly the actions the table grants the role without a target', async () => {
    const { app, t } = context;
    for (const role of userRoles) {
      const { user, tokens } = await signIn(t, { role });
      const response = await send(app, 'GET', '/api/me', { token: tokens.accessToken });
      expect(response.status).toBe(200);
      const body = await jsonOf<{ userId: string; role: string; permissions: string[] }>(response);
      expect({ userId: body.userId, role: body.role, permissions: [...body.permissions].sort() }).toEqual({ userId: user.id, role, permissions: untargetedActions(role).sort() });
    }
  });

  it('guards /api/reports by the users:list permission: 403 for AUTHENTICATED, 200 for MANAGER and ADMIN', async () => {
    const { app, t } = context;
    await expectProblem(await send(app, 'GET', '/api/reports'), 401, 'unauthenticated');
    for (const role of userRoles) {
      const { user, tokens } = await signIn(t, { role });
      const response = await send(app, 'GET', '/api/reports', { token: tokens.accessToken });
      if (role === 'AUTHENTICATED') await expectProblem(response, 403, 'forbidden');
      else expect({ role, status: response.status, body: await response.json() }).toEqual({ role, status: 200, body: { ok: true, userId: user.id } });
    }
  });

  it('guards /api/admin by the ADMIN role: 403 for AUTHENTICATED and MANAGER, 200 for ADMIN', async () => {
    const { app, t } = context;
    await expectProblem(await send(app, 'GET', '/api/admin'), 401, 'unauthenticated');
    for (const role of userRoles) {
      const { tokens } = await signIn(t, { role });
      const response = await send(app, 'GET', '/api/admin', { token: tokens.accessToken });
      if (role === 'ADMIN') expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { ok: true } });
      else await expectProblem(response, 403, 'forbidden');
    }
  });

  it('accepts an access token until 15 minutes plus the 30-second leeway have passed, then answers 401', async () => {
    const { app, t } = context;
    const { tokens } = await signIn(t, { role: 'ADMIN' });
    t.clock.advance(accessTokenTtlSeconds + leewaySeconds - 1);
    for (const path of ['/api/me', '/api/reports', '/api/admin', '/auth/me']) {
      expect({ path, status: (await send(app, 'GET', path, { token: tokens.accessToken })).status }).toEqual({ path, status: 200 });
    }
    t.clock.advance(2);
    for (const path of ['/api/me', '/api/reports', '/api/admin', '/auth/me']) {
      await expectProblem(await send(app, 'GET', path, { token: tokens.accessToken }), 401, 'unauthenticated');
    }
  });
}
