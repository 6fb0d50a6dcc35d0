import { expect, it } from 'vitest';
import { goodPassword, uniqueEmail } from '../fixtures.js';
import { mailedToken } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';

const json = (body: unknown, method = 'POST'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The newcomer's path through the API, end to end. */
export function smokeSuite(context: HttpSuiteContext): void {
  it('registers, verifies by the mailed link, logs in, calls a guarded host route, refreshes and logs out', async () => {
    const { app, t } = context;
    const email = uniqueEmail();
    const registered = await app.fetch('/auth/register', json({ email, password: goodPassword }));
    expect(registered.status).toBe(201);
    const token = await mailedToken(t, 'user.registered', email);
    expect((await app.fetch(`/auth/verify-email?token=${token}`)).status).toBe(200);

    const login = await app.fetch('/auth/login', json({ email, password: goodPassword }));
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    const session = (await login.json()) as { accessToken: string; refreshToken: string };

    const me = await app.fetch('/api/me', { headers: { authorization: `Bearer ${session.accessToken}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ role: 'AUTHENTICATED' });

    const refreshed = await app.fetch('/auth/refresh', json({ refreshToken: session.refreshToken }));
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as { refreshToken: string };
    expect((await app.fetch('/auth/logout', json({ refreshToken: next.refreshToken }))).status).toBe(204);
    const after = await app.fetch('/auth/refresh', json({ refreshToken: next.refreshToken }));
    expect(after.status).toBe(401);
    expect(after.headers.get('content-type')).toBe('application/problem+json');
  });
}
