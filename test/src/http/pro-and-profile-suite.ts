import { expect, it } from 'vitest';
import { z } from 'zod';
import { createTestTessera, goodPassword, uniqueEmail } from '../fixtures.js';
import { signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectProblem, jsonOf, send } from './requests.js';

const completeProfile = { firstName: 'Ada', lastName: 'Lovelace', bio: 'Analyst of engines.', location: 'London' };
type Resource = { id: string; pro: { status: string; reason: string | null }; _links: Record<string, { href: string; method?: string }> };

/** The pro-status workflow and the host app's own profile fields, over HTTP, for each role. */
export function proAndProfileSuite(context: HttpSuiteContext): void {
  it('runs the pro workflow over HTTP: a user requests, managers list and decide, only admins revoke, nobody decides their own', async () => {
    const { app, t } = context;
    const user = await signIn(t);
    const manager = await signIn(t, { role: 'MANAGER' });
    const admin = await signIn(t, { role: 'ADMIN' });

    const incomplete = await expectProblem(await send(app, 'POST', '/auth/me/pro-request', { token: user.tokens.accessToken }), 400, 'validation_failed');
    expect(incomplete.errors?.map((issue) => issue.path)).toEqual(['profile.firstName', 'profile.lastName', 'profile.bio', 'profile.location']);
    expect((await send(app, 'PATCH', '/auth/me', { token: user.tokens.accessToken, json: { profile: completeProfile } })).status).toBe(200);
    const requested = await send(app, 'POST', '/auth/me/pro-request', { token: user.tokens.accessToken });
    expect(requested.status).toBe(200);
    expect((await jsonOf<Resource>(requested)).pro.status).toBe('pending');
    await expectProblem(await send(app, 'POST', '/auth/me/pro-request', { token: user.tokens.accessToken }), 409, 'conflict');

    await expectProblem(await send(app, 'GET', '/auth/users?pro=pending', { token: user.tokens.accessToken }), 403, 'forbidden');
    const pending = await jsonOf<{ items: Resource[] }>(await send(app, 'GET', '/auth/users?pro=pending', { token: manager.tokens.accessToken }));
    expect(pending.items.map((item) => item.id)).toEqual([user.user.id]);
    expect(pending.items[0]?._links.decidePro).toEqual({ href: `/auth/users/${user.user.id}/pro-decision`, method: 'POST' });

    const decide = (token: string | undefined, body: unknown) => send(app, 'POST', `/auth/users/${user.user.id}/pro-decision`, { ...(token && { token }), json: body });
    await expectProblem(await decide(undefined, { decision: 'approve' }), 401, 'unauthenticated');
    await expectProblem(await decide(user.tokens.accessToken, { decision: 'approve' }), 403, 'forbidden');
    const approved = await decide(manager.tokens.accessToken, { decision: 'approve' });
    expect(approved.status).toBe(200);
    const approvedBody = await jsonOf<Resource>(approved);
    expect(approvedBody.pro.status).toBe('approved');
    expect(approvedBody._links.revokePro).toBeUndefined();
    await expectProblem(await decide(manager.tokens.accessToken, { decision: 'revoke', reason: 'no' }), 403, 'forbidden');
    const revoked = await decide(admin.tokens.accessToken, { decision: 'revoke', reason: 'Account shared' });
    expect((await jsonOf<Resource>(revoked)).pro).toEqual({ status: 'revoked', reason: 'Account shared', changedAt: expect.any(String) });

    await send(app, 'POST', '/auth/me/pro-request', { token: user.tokens.accessToken });
    const rejected = await send(app, 'POST', `/auth/users/${user.user.id}/pro-decision`, { token: admin.tokens.accessToken, form: { decision: 'reject', reason: 'Add a portfolio' } });
    expect((await jsonOf<Resource>(rejected)).pro).toMatchObject({ status: 'rejected', reason: 'Add a portfolio' });
    const me = await jsonOf<Resource>(await send(app, 'GET', '/auth/me', { token: user.tokens.accessToken }));
    expect(me.pro).toMatchObject({ status: 'rejected', reason: 'Add a portfolio' });
    expect(me._links.requestPro).toEqual({ href: '/auth/me/pro-request', method: 'POST' });

    await send(app, 'PATCH', '/auth/me', { token: manager.tokens.accessToken, json: { profile: completeProfile } });
    await send(app, 'POST', '/auth/me/pro-request', { token: manager.tokens.accessToken });
    await expectProblem(await send(app, 'POST', `/auth/users/${manager.user.id}/pro-decision`, { token: manager.tokens.accessToken, json: { decision: 'approve' } }), 403, 'forbidden');
    await expectProblem(await decide(admin.tokens.accessToken, { decision: 'maybe' }), 400, 'validation_failed');
  });

  it('takes, validates and documents the host app’s own profile fields over HTTP', async () => {
    const custom = z.object({ company: z.string().min(1).max(100), seats: z.number().int().min(1) }).partial();
    const { tessera } = await createTestTessera(context.store, { profile: { custom }, verification: { requiredToLogin: false } });
    const app = await context.remount(tessera);
    const email = uniqueEmail();
    const registered = await send(app, 'POST', '/auth/register', { json: { email, password: goodPassword, profile: { custom: { company: 'Acme' } } } });
    expect(registered.status).toBe(201);
    const session = await jsonOf<{ accessToken: string }>(await send(app, 'POST', '/auth/login', { json: { email, password: goodPassword } }));
    const updated = await send(app, 'PATCH', '/auth/me', { token: session.accessToken, json: { profile: { custom: { seats: 5 } } } });
    expect((await jsonOf<{ profile: { custom: unknown } }>(updated)).profile.custom).toEqual({ company: 'Acme', seats: 5 });
    const refused = await expectProblem(await send(app, 'PATCH', '/auth/me', { token: session.accessToken, json: { profile: { custom: { seats: 'many' } } } }), 400, 'validation_failed');
    expect(refused.errors).toEqual([expect.objectContaining({ path: 'profile.custom.seats' })]);
    const document = await jsonOf<{ components: { schemas: Record<string, { properties: Record<string, { properties: Record<string, unknown> }> }> } }>(await send(app, 'GET', '/auth/openapi.json'));
    expect(document.components.schemas.UserView?.properties.profile?.properties.custom).toMatchObject({ properties: { company: { type: 'string', maxLength: 100 }, seats: { type: 'integer' } } });
  });
}
