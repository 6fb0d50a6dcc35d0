import { isTesseraError, type ErrorCode, type Principal, type SessionTokens, type TesseraError, type UserRole, type UserView } from '@tessera/core';
import { expect } from 'vitest';
import { goodPassword, uniqueEmail, type TestTessera } from '../fixtures.js';

/** Asserts that a promise rejects with a Tessera error of one code, and returns the error. */
export async function expectTesseraError(promise: Promise<unknown>, code: ErrorCode): Promise<TesseraError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isTesseraError(error) ? error.code : error).toBe(code);
  return error as TesseraError;
}

/** The newest token a mail would carry to `email` for an event with a secret. */
export async function mailedToken(
  t: TestTessera,
  type: 'user.registered' | 'user.verification_resent' | 'user.password_reset_requested',
  email: string,
): Promise<string> {
  await t.deliver();
  const events = t.events.ofType(type, email);
  const event = events[events.length - 1];
  if (!event) throw new Error(`no ${type} event for ${email}`);
  const secrets = event.secrets as { verification?: { token: string }; reset?: { token: string } };
  const token = secrets.verification?.token ?? secrets.reset?.token;
  if (!token) throw new Error(`the ${type} event carries no token`);
  return token;
}

/** Registers a user and verifies its address, optionally giving it a role. */
export async function createVerifiedUser(t: TestTessera, options: { role?: UserRole; email?: string; password?: string } = {}): Promise<UserView> {
  const email = options.email ?? uniqueEmail();
  const { user } = await t.tessera.api.register({ email, password: options.password ?? goodPassword });
  await t.tessera.api.verifyEmail({ token: await mailedToken(t, 'user.registered', email) });
  if (options.role && options.role !== 'AUTHENTICATED') {
    return t.tessera.api.setUserRole({ operator: 'test' }, user.id, { role: options.role });
  }
  return t.tessera.api.getUser({ operator: 'test' }, user.id);
}

/** A signed-in user: its session tokens and the principal its access token stands for. */
export interface SignedIn {
  readonly user: UserView;
  readonly tokens: SessionTokens;
  readonly principal: Principal;
}

/** Creates a verified user (with a role) and logs it in. */
export async function signIn(t: TestTessera, options: { role?: UserRole; email?: string } = {}): Promise<SignedIn> {
  const user = await createVerifiedUser(t, options);
  const tokens = await t.tessera.api.login({ email: user.email, password: goodPassword });
  const principal = await t.tessera.verifyAccessToken(tokens.accessToken);
  if (!principal) throw new Error('the fresh access token did not verify');
  return { user: tokens.user, tokens, principal };
}
