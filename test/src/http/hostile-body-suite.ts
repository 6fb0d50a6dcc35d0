import { expect, it } from 'vitest';
import { goodPassword, uniqueEmail } from '../fixtures.js';
import { signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { chunkedBody, expectFieldIssue, expectProblem, send } from './requests.js';
import { readUser, seedUser } from './seed-user.js';

const maxBodyBytes = 64 * 1024;

const json = (text: string) => ({ body: text, headers: { 'content-type': 'application/json' } });

/** Hostile request bodies: every one a 4xx problem with a stable code, never a 5xx. */
export function hostileBodySuite(context: HttpSuiteContext): void {
  it('answers malformed JSON and bytes that are not UTF-8 with 400 malformed_request', async () => {
    const { app, t } = context;
    const { tokens } = await signIn(t);
    for (const text of ['{', '{"email":', "{'email':'a'}", '{"email":"a"}}', 'undefined', '{"a":1,}']) {
      await expectProblem(await send(app, 'POST', '/auth/register', json(text)), 400, 'malformed_request');
    }
    await expectProblem(await send(app, 'PATCH', '/auth/me', { token: tokens.accessToken, ...json('{"profile":') }), 400, 'malformed_request');
    const notUtf8 = new Uint8Array([0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    await expectProblem(await send(app, 'POST', '/auth/login', { body: notUtf8, headers: { 'content-type': 'application/json' } }), 400, 'malformed_request');
  });

  it('answers JSON sent as text/plain, application/xml, multipart or without a content type with 415 unsupported_media_type', async () => {
    const { app } = context;
    const body = JSON.stringify({ email: uniqueEmail(), password: goodPassword });
    for (const contentType of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/jsonp', null]) {
      const response = await send(app, 'POST', '/auth/register', { body, headers: contentType === null ? {} : { 'content-type': contentType } });
      await expectProblem(response, 415, 'unsupported_media_type');
    }
    // The control: the same body as JSON (with a charset parameter) is accepted.
    expect((await send(app, 'POST', '/auth/register', { body, headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(201);
  });

  it('answers a body over 64 KiB with 413 payload_too_large, with a Content-Length or chunked', async () => {
    const { app } = context;
    const big = JSON.stringify({ email: uniqueEmail(), password: 'x'.repeat(maxBodyBytes) });
    const declared = { body: big, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) } };
    await expectProblem(await send(app, 'POST', '/auth/register', declared), 413, 'payload_too_large');
    const bigForm = `email=a%40example.com&password=${'x'.repeat(maxBodyBytes)}`;
    await expectProblem(await send(app, 'POST', '/auth/login', { body: bigForm, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 413, 'payload_too_large');
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunkedBody(4 * maxBodyBytes), duplex: 'half' };
    await expectProblem(await app.fetch('/auth/register', init as RequestInit), 413, 'payload_too_large');
  });

  it('answers JSON nested 1,000 levels deep with 400 malformed_request, and brackets inside strings do not count', async () => {
    const { app } = context;
    const deep = `${'['.repeat(1000)}${']'.repeat(1000)}`;
    await expectProblem(await send(app, 'POST', '/auth/register', json(deep)), 400, 'malformed_request');
    await expectProblem(await send(app, 'POST', '/auth/register', json(`{"email":${deep},"password":"${goodPassword}"}`)), 400, 'malformed_request');
    const inString = await expectProblem(await send(app, 'POST', '/auth/register', json(JSON.stringify({ email: '['.repeat(200), password: goodPassword }))), 400, 'validation_failed');
    expectFieldIssue(inString, 'email', 'invalid_format');
  });

  it('answers wrong types (numbers for strings, arrays or scalars for objects, null) with 400 validation_failed', async () => {
    const { app, t } = context;
    const { tokens } = await signIn(t);
    expectFieldIssue(await expectProblem(await send(app, 'POST', '/auth/register', { json: { email: 42, password: goodPassword } }), 400, 'validation_failed'), 'email', 'invalid_type');
    expectFieldIssue(await expectProblem(await send(app, 'POST', '/auth/login', { json: { email: [uniqueEmail()], password: goodPassword } }), 400, 'validation_failed'), 'email', 'invalid_type');
    for (const body of [[], [{ email: uniqueEmail(), password: goodPassword }], 'text', 42, null, true]) {
      await expectProblem(await send(app, 'POST', '/auth/register', { json: body }), 400, 'validation_failed');
    }
    for (const profile of [[], 'Ada', { firstName: 7 }, { firstName: ['Ada'] }, { firstName: { first: 'Ada' } }]) {
      await expectProblem(await send(app, 'PATCH', '/auth/me', { token: tokens.accessToken, json: { profile } }), 400, 'validation_failed');
    }
  });

  it('answers 10,000-character emails, usernames, passwords and bios with 400 validation_failed naming the field', async () => {
    const { app, t } = context;
    const { user, tokens } = await signIn(t);
    const long = 'a'.repeat(10_000);
    expectFieldIssue(await expectProblem(await send(app, 'POST', '/auth/register', { json: { email: `${long}@example.com`, password: goodPassword } }), 400, 'validation_failed'), 'email', 'too_big');
    expectFieldIssue(await expectProblem(await send(app, 'POST', '/auth/register', { json: { email: uniqueEmail(), password: goodPassword, username: long } }), 400, 'validation_failed'), 'username', 'too_big');
    expectFieldIssue(await expectProblem(await send(app, 'POST', '/auth/login', { json: { email: user.email, password: long } }), 400, 'validation_failed'), 'password', 'too_big');
    expectFieldIssue(await expectProblem(await send(app, 'PUT', '/auth/me/username', { token: tokens.accessToken, json: { username: long } }), 400, 'validation_failed'), 'username', 'too_big');
    expectFieldIssue(await expectProblem(await send(app, 'PATCH', '/auth/me', { token: tokens.accessToken, json: { profile: { bio: long } } }), 400, 'validation_failed'), 'profile.bio', 'too_big');
    expectFieldIssue(await expectProblem(await send(app, 'POST', '/auth/password/forgot', { json: { email: `${long}@example.com` } }), 400, 'validation_failed'), 'email', 'too_big');
  });

  it('answers unknown fields and form fields sent twice with 400', async () => {
    const { app } = context;
    expectFieldIssue(await expectProblem(await send(app, 'POST', '/auth/register', { json: { email: uniqueEmail(), password: goodPassword, nickname: 'x' } }), 400, 'validation_failed'), 'nickname', 'unrecognized_key');
    const twice = `email=${encodeURIComponent(uniqueEmail())}&password=a&password=${encodeURIComponent(goodPassword)}`;
    await expectProblem(await send(app, 'POST', '/auth/login', { body: twice, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 400, 'malformed_request');
  });

  it('answers a body on a body-less route with 400 malformed_request, changing nothing', async () => {
    const { app, t } = context;
    const admin = await signIn(t, { role: 'ADMIN' });
    const target = await seedUser(context);
    const token = admin.tokens.accessToken;
    await expectProblem(await send(app, 'POST', '/auth/me/pro-request', { token, json: {} }), 400, 'malformed_request');
    await expectProblem(await send(app, 'POST', `/auth/users/${target.id}/lock`, { token, json: { reason: 'x' } }), 400, 'malformed_request');
    await expectProblem(await send(app, 'DELETE', `/auth/users/${target.id}`, { token, form: { confirm: 'yes' } }), 400, 'malformed_request');
    expect(await readUser(t, target.id)).toEqual(target);
  });

  it('answers an empty body where one is required with 400 validation_failed', async () => {
    const { app } = context;
    const contentTypes: Array<Record<string, string>> = [{}, { 'content-type': 'application/json' }, { 'content-type': 'application/x-www-form-urlencoded' }];
    for (const headers of contentTypes) {
      const problem = await expectProblem(await send(app, 'POST', '/auth/login', { headers }), 400, 'validation_failed');
      expect(problem.errors?.length).toBeGreaterThan(0);
    }
    await expectProblem(await send(app, 'POST', '/auth/register', { json: {} }), 400, 'validation_failed');
  });
}
