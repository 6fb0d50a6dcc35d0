import { expect, it } from 'vitest';
import { goodPassword, uniqueEmail } from '../fixtures.js';
import { createVerifiedUser, signIn } from '../identity/helpers.js';
import type { HttpSuiteContext } from './contract.js';
import { expectProblem, expectTokenHeaders, jsonOf, send } from './requests.js';

interface OAuthTokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
}

/**
 * Asserts an RFC 6749 §5.2 error that is also a problem details object: 400, JSON, the
 * `error` code, a description, and `type`/`title`/`status`/`code`, with the token headers.
 */
async function expectOAuthError(response: Response, error: string): Promise<Record<string, unknown>> {
  expect(response.status).toBe(400);
  expectTokenHeaders(response);
  const body = await jsonOf(response);
  expect(body).toMatchObject({ error, status: 400 });
  expect(typeof body.error_description).toBe('string');
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  expect(typeof body.code).toBe('string');
  return body;
}

/** The OAuth 2.0 token endpoint: password and refresh_token grants, RFC 6749 shapes. */
export function tokenEndpointSuite(context: HttpSuiteContext): void {
  it('grants tokens for a password grant: 200 with access_token, token_type, expires_in, refresh_token, no-store and Pragma', async () => {
    const { app, t } = context;
    const user = await createVerifiedUser(t);
    const response = await send(app, 'POST', '/auth/token', { form: { grant_type: 'password', username: user.email, password: goodPassword, scope: 'openid', client_id: 'swagger' } });
    expect(response.status).toBe(200);
    expectTokenHeaders(response);
    const body = await jsonOf<OAuthTokens>(response);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'refresh_token', 'token_type']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(await t.tessera.verifyAccessToken(body.access_token)).toMatchObject({ userId: user.id, role: 'AUTHENTICATED' });
  });

  it('rotates with a refresh_token grant, and answers a replayed refresh token with invalid_grant', async () => {
    const { app, t } = context;
    const { tokens, user } = await signIn(t);
    const response = await send(app, 'POST', '/auth/token', { form: { grant_type: 'refresh_token', refresh_token: tokens.refreshToken } });
    expect(response.status).toBe(200);
    expectTokenHeaders(response);
    const rotated = await jsonOf<OAuthTokens>(response);
    expect(rotated.refresh_token).not.toBe(tokens.refreshToken);
    expect(await t.tessera.verifyAccessToken(rotated.access_token)).toMatchObject({ userId: user.id });
    await expectOAuthError(await send(app, 'POST', '/auth/token', { form: { grant_type: 'refresh_token', refresh_token: tokens.refreshToken } }), 'invalid_grant');
    await expectOAuthError(await send(app, 'POST', '/auth/token', { form: { grant_type: 'refresh_token', refresh_token: rotated.refresh_token } }), 'invalid_grant');
  });

  it('answers a wrong password and an unknown user with invalid_grant', async () => {
    const { app, t } = context;
    const user = await createVerifiedUser(t);
    const wrong = await expectOAuthError(await send(app, 'POST', '/auth/token', { form: { grant_type: 'password', username: user.email, password: 'not the right password at all' } }), 'invalid_grant');
    const unknown = await expectOAuthError(await send(app, 'POST', '/auth/token', { form: { grant_type: 'password', username: uniqueEmail('ghost'), password: goodPassword } }), 'invalid_grant');
    expect(wrong).toEqual(unknown);
  });

  it('answers an unknown grant type with unsupported_grant_type', async () => {
    const { app } = context;
    await expectOAuthError(await send(app, 'POST', '/auth/token', { form: { grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' } }), 'unsupported_grant_type');
  });

  it('answers a request missing username, password, refresh_token or grant_type with invalid_request', async () => {
    const { app } = context;
    const incomplete: Array<Record<string, string>> = [
      { grant_type: 'password', password: goodPassword },
      { grant_type: 'password', username: uniqueEmail() },
      { grant_type: 'refresh_token' },
      { username: uniqueEmail(), password: goodPassword },
    ];
    for (const form of incomplete) {
      await expectOAuthError(await send(app, 'POST', '/auth/token', { form }), 'invalid_request');
    }
  });

  it('takes form bodies only: JSON is 415 unsupported_media_type', async () => {
    const { app, t } = context;
    const user = await createVerifiedUser(t);
    await expectProblem(await send(app, 'POST', '/auth/token', { json: { grant_type: 'password', username: user.email, password: goodPassword } }), 415, 'unsupported_media_type');
  });
}
