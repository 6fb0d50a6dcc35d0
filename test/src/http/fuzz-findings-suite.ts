import { expect, it } from 'vitest';
import { goodPassword } from '../fixtures.js';
import { createVerifiedUser, signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectFieldIssue, expectProblem, jsonOf, send, type ProblemBody } from './requests.js';
import { seedUser } from './seed-user.js';

const formType = { 'content-type': 'application/x-www-form-urlencoded' };

/** What the property-based fuzzing of the HTTP API (test/fuzz) found, each kept fixed here. */
export function fuzzFindingsSuite(context: HttpSuiteContext): void {
  it('answers HEAD with a problem’s status and headers and no content: refused query, wrong method, unknown route', async () => {
    const { app, t } = context;
    const { tokens } = await signIn(t);
    const cases: Array<[path: string, status: number, token?: string]> = [
      ['/auth/me?debug=1', 400, tokens.accessToken],
      ['/auth/me', 401],
      ['/auth/login', 405],
      ['/auth/nope', 404],
    ];
    for (const [path, status, token] of cases) {
      const response = await send(app, 'HEAD', path, token === undefined ? {} : { token });
      expect({ path, status: response.status, contentType: response.headers.get('content-type'), body: await response.text() }).toEqual({
        path,
        status,
        contentType: 'application/problem+json',
        body: '',
      });
    }
  });

  it('refuses JSON sent as a form with 400 malformed_request, and never names the password it carried', async () => {
    const { app, t } = context;
    const user = await createVerifiedUser(t);
    const secret = `${goodPassword} but not quite`;
    const json = JSON.stringify({ email: user.email, password: secret });
    // As a client mislabelling its JSON sends it, and the same text percent-encoded as a form field.
    for (const body of [json, encodeURIComponent(json), `${encodeURIComponent(json)}=`]) {
      const response = await send(app, 'POST', '/auth/login', { body, headers: formType });
      const text = await response.clone().text();
      await expectProblem(response, 400, 'malformed_request');
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
    }
    // An ordinary form with a field the operation does not know is still named at fault.
    const problem = await expectProblem(await send(app, 'POST', '/auth/login', { form: { email: user.email, password: goodPassword, remember: 'yes' } }), 400, 'validation_failed');
    expectFieldIssue(problem, 'remember', 'unrecognized_key');
  });

  it('refuses control characters in a search with 400 validation_failed naming q (PostgreSQL refuses NUL in text: it was a 500)', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    for (const path of ['/auth/users', '/auth/users/count', '/auth/users/export']) {
      for (const q of ['\u0000ada', 'ad\u0000a', 'ada\u0007']) {
        const problem = await expectProblem(await send(app, 'GET', `${path}?q=${encodeURIComponent(q)}`, { token: admin.tokens.accessToken }), 400, 'validation_failed');
        expectFieldIssue(problem, 'q', 'custom');
      }
    }
    expect((await send(app, 'GET', '/auth/users?q=ada', { token: admin.tokens.accessToken })).status).toBe(200);
  });

  it('refuses a cursor whose position Tessera never wrote (a year PostgreSQL cannot store, NUL) with 400 invalid_cursor: it was a 500', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    const token = admin.tokens.accessToken;
    const cursor = (listing: string, value: string) => Buffer.from(JSON.stringify({ s: listing, d: 'after', v: value, i: '018f0000-0000-7000-8000-000000000000' })).toString('base64url');
    const cases: Array<[path: string, listing: string, value: string]> = [
      ['/auth/users', '-createdAt', '-271821-04-20T00:00:00.000Z'],
      ['/auth/users', '-createdAt', '+275760-09-13T00:00:00.000Z'],
      ['/auth/users?sort=email', 'email', 'ada\u0000@example.com'],
      ['/auth/audit-events', 'audit', '-271821-04-20T00:00:00.000Z'],
      ['/auth/audit-events', 'audit', '2026-11-24'],
    ];
    for (const [path, listing, value] of cases) {
      const separator = path.includes('?') ? '&' : '?';
      const problem = await expectProblem(await send(app, 'GET', `${path}${separator}cursor=${cursor(listing, value)}`, { token }), 400, 'validation_failed');
      expectFieldIssue(problem, 'cursor', 'invalid_cursor');
    }
    // The control: cursors Tessera wrote still page.
    await seedUser(context);
    await seedUser(context);
    for (const path of ['/auth/users', '/auth/audit-events']) {
      const first = await jsonOf<{ page: { nextCursor: string | null } }>(await send(app, 'GET', `${path}?limit=1`, { token }));
      expect(first.page.nextCursor, path).not.toBeNull();
      expect((await send(app, 'GET', `${path}?cursor=${first.page.nextCursor}`, { token })).status, path).toBe(200);
    }
  });

  it('names grant_type as the field at fault when the token endpoint refuses a grant type', async () => {
    const { app } = context;
    for (const grantType of ['client_credentials', 'PASSWORD', '']) {
      const response = await send(app, 'POST', '/auth/token', { form: { grant_type: grantType } });
      expect(response.status).toBe(400);
      const body = await jsonOf<ProblemBody & { error: string }>(response);
      expect(body).toMatchObject({ error: 'unsupported_grant_type', status: 400, code: 'validation_failed', type: 'urn:tessera:problem:validation_failed' });
      expectFieldIssue(body, 'grant_type', 'invalid_value');
    }
  });
}
