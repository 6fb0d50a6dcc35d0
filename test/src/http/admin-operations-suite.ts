import type { UserId } from '@tessera/core';
import { expect, it } from 'vitest';
import { signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectProblem, jsonOf, send } from './requests.js';

/** The audit log, admin password resets, bulk actions, the export and the last-admin rule, over HTTP. */
export function adminOperationsSuite(context: HttpSuiteContext): void {
  it('lists the audit log for admins only (401 anonymous, 403 others), filtered, with page links', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    const manager = await signIn(t, { role: 'MANAGER' });
    const user = await signIn(t);
    const bystander = await signIn(t);
    for (const change of ['lock', 'unlock', 'lock'] as const) await send(app, 'POST', `/auth/users/${user.user.id}/${change}`, { token: manager.tokens.accessToken });

    await expectProblem(await send(app, 'GET', '/auth/audit-events'), 401, 'unauthenticated');
    await expectProblem(await send(app, 'GET', '/auth/audit-events', { token: bystander.tokens.accessToken }), 403, 'forbidden');
    await expectProblem(await send(app, 'GET', '/auth/audit-events', { token: manager.tokens.accessToken }), 403, 'forbidden');
    const response = await send(app, 'GET', `/auth/audit-events?target=${user.user.id}&action=user.locked,user.unlocked&limit=2&total=true`, { token: admin.tokens.accessToken });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await jsonOf<{ items: Array<{ action: string; actor: { id: string } }>; page: { total: number; nextCursor: string }; _links: Record<string, { href: string }> }>(response);
    expect(page.items.map((entry) => entry.action)).toEqual(['user.locked', 'user.unlocked']);
    expect(page.items[0]?.actor.id).toBe(manager.user.id);
    expect(page.page.total).toBe(3);
    expect(page._links.next?.href).toContain(`/auth/audit-events?target=${user.user.id}`);
    const next = await jsonOf<{ items: Array<{ action: string }> }>(await send(app, 'GET', page._links.next!.href, { token: admin.tokens.accessToken }));
    expect(next.items.map((entry) => entry.action)).toEqual(['user.locked']);
    await expectProblem(await send(app, 'GET', '/auth/audit-events?action=DROP TABLE', { token: admin.tokens.accessToken }), 400, 'validation_failed');
    await expectProblem(await send(app, 'GET', '/auth/audit-events?target=not-a-uuid', { token: admin.tokens.accessToken }), 400, 'validation_failed');
  });

  it('starts a password reset for a user (with or without stopping the current password) and refuses managers on admins', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    const manager = await signIn(t, { role: 'MANAGER' });
    const user = await signIn(t);
    const plain = await send(app, 'POST', `/auth/users/${user.user.id}/password-reset`, { token: manager.tokens.accessToken });
    expect(plain.status).toBe(200);
    expect((await jsonOf<{ hasPassword: boolean }>(plain)).hasPassword).toBe(true);
    const hard = await send(app, 'POST', `/auth/users/${user.user.id}/password-reset`, { token: admin.tokens.accessToken, json: { invalidateCurrentPassword: true } });
    expect((await jsonOf<{ hasPassword: boolean }>(hard)).hasPassword).toBe(false);
    await expectProblem(await send(app, 'POST', `/auth/users/${admin.user.id}/password-reset`, { token: manager.tokens.accessToken }), 403, 'forbidden');
    await expectProblem(await send(app, 'POST', `/auth/users/${user.user.id}/password-reset`, { token: admin.tokens.accessToken, json: { password: 'chosen by admin' } }), 400, 'validation_failed');
    await t.deliver();
    expect(t.events.ofType('user.password_reset_requested', user.user.email).map((event) => event.payload.initiatedBy)).toEqual(['admin', 'admin']);
  });

  it('applies a bulk action and answers per id; refuses bad input as a whole', async () => {
    const { app, t } = context;
    const manager = await signIn(t, { role: 'MANAGER' });
    const admin = await signIn(t, { role: 'ADMIN' });
    const user = await signIn(t);
    const response = await send(app, 'POST', '/auth/users/bulk', { token: manager.tokens.accessToken, json: { action: 'suspend', ids: [user.user.id, admin.user.id] } });
    expect(response.status).toBe(200);
    const body = await jsonOf<{ results: Array<{ id: string; ok: boolean; code?: string; user?: { status: string } }> }>(response);
    expect(body.results).toEqual([
      { id: user.user.id, ok: true, user: expect.objectContaining({ status: 'suspended' }) },
      { id: admin.user.id, ok: false, code: 'forbidden', message: expect.any(String) },
    ]);
    await expectProblem(await send(app, 'POST', '/auth/users/bulk', { token: manager.tokens.accessToken, json: { action: 'explode', ids: [user.user.id] } }), 400, 'validation_failed');
    await expectProblem(await send(app, 'POST', '/auth/users/bulk', { token: manager.tokens.accessToken, json: { action: 'lock', ids: [] } }), 400, 'validation_failed');
    await expectProblem(await send(app, 'POST', '/auth/users/bulk', { json: { action: 'lock', ids: [user.user.id] } }), 401, 'unauthenticated');
  });

  it('exports users as CSV, escaping would-be formulas, and as a JSON array; to admins only', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    const manager = await signIn(t, { role: 'MANAGER' });
    await t.tessera.api.updateMe(manager.principal, { profile: { firstName: '=HYPERLINK("http://evil.example")', lastName: '-2+3', location: 'Paris, "France"' } });

    await expectProblem(await send(app, 'GET', '/auth/users/export'), 401, 'unauthenticated');
    await expectProblem(await send(app, 'GET', '/auth/users/export', { token: manager.tokens.accessToken }), 403, 'forbidden');
    const csv = await send(app, 'GET', '/auth/users/export?role=MANAGER', { token: admin.tokens.accessToken });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="users-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,email,username,role,status,emailVerified,proStatus,firstName,lastName,location,createdAt,lastLoginAt');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${manager.user.id},${manager.user.email},`);
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://evil.example"")",'-2+3,"Paris, ""France""",`);

    const json = await send(app, 'GET', '/auth/users/export?format=json&sort=email', { token: admin.tokens.accessToken });
    expect(json.headers.get('content-type')).toBe('application/json');
    const users = (await json.json()) as Array<{ email: string }>;
    expect(users.map((user) => user.email)).toEqual([admin.user.email, manager.user.email].sort());
    await expectProblem(await send(app, 'GET', '/auth/users/export?format=xlsx', { token: admin.tokens.accessToken }), 400, 'validation_failed');
  });

  it('keeps at least one admin when two admins demote each other at the same time', async () => {
    const { app, t, store } = context;
    const first = await signIn(t, { role: 'ADMIN' });
    const second = await signIn(t, { role: 'ADMIN' });
    const responses = await Promise.all([
      send(app, 'PUT', `/auth/users/${second.user.id}/role`, { token: first.tokens.accessToken, json: { role: 'MANAGER' } }),
      send(app, 'PUT', `/auth/users/${first.user.id}/role`, { token: second.tokens.accessToken, json: { role: 'MANAGER' } }),
    ]);
    const statuses = responses.map((response) => response.status).sort();
    // One demotion wins; the other is refused, however the two interleave: its caller was just
    // demoted (403: a manager cannot touch an admin; 401: its session ended), or it would remove
    // the last admin (409).
    expect(statuses[0]).toBe(200);
    expect([401, 403, 409]).toContain(statuses[1]);
    expect(await store.users.countOtherActiveAdmins('00000000-0000-7000-8000-000000000000' as UserId)).toBe(1);
  });
}
