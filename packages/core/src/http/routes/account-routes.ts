import { z } from 'zod';
import { isTesseraError } from '../../errors.js';
import {
  emailInputSchema,
  loginInputSchema,
  refreshTokenInputSchema,
  registerInputSchema,
  resetPasswordInputSchema,
  sessionTokensSchema,
  tokenInputSchema,
} from '../../schemas/account.js';
import { userViewSchema } from '../../schemas/user-view.js';
import { tokenResponseHeaders } from '../problem.js';
import { landingLocation } from '../redirect-target.js';
import { defineRoute, type AnyRoute, type RouteResult } from '../route.js';

const tags = ['Account'];
const both = ['json', 'form'] as const;
const json = (status: number, body: unknown): RouteResult => ({ status, body });
const withTokens = (body: unknown): RouteResult => ({ status: 200, body, headers: tokenResponseHeaders });
const noContent: RouteResult = { status: 204 };
const sessionResponse = { 200: { description: 'Signed in: a short-lived access token and a refresh token.', schema: sessionTokensSchema } };
const credentials = { email: 'ada@example.com', password: 'correct horse battery staple' };
const checkYourMailSchema = z.object({ status: z.literal('check_your_mail') });
/** The one answer to a registration in `notify` mode, free address or taken. */
const checkYourMail = { status: 'check_your_mail' } as const;

/** Registration, sign-in, sessions, verification and password recovery. */
export const accountRoutes: AnyRoute[] = [
  defineRoute({
    operationId: 'register',
    method: 'POST',
    path: '/register',
    tags,
    summary: 'Register with email and password',
    description:
      'Creates an unverified account and mails a verification link (`201`). The username is generated unless one is chosen. A taken address is `409 email_taken`, or — with `registration.existingEmail: \'notify\'` — the same `202` as a free one, while its owner is mailed a notice.',
    auth: 'none',
    body: { schema: registerInputSchema, formats: both, example: credentials },
    responses: {
      201: { description: 'Registered; the verification mail is on its way.', schema: z.object({ user: userViewSchema }) },
      202: {
        description: 'With `registration.existingEmail: \'notify\'`: the same answer whether the address was free or taken — a verification mail, or a notice to the owner, is on its way.',
        schema: checkYourMailSchema,
      },
    },
    errors: ['validation_failed', 'weak_password', 'email_taken', 'username_taken', 'rate_limited'],
    handle: async ({ deps, body, meta }) => {
      if (deps.options.registration.existingEmail === 'reject') return json(201, await deps.api.register(body, meta));
      try {
        await deps.api.register(body, meta);
      } catch (error) {
        // A taken address must not be told apart from a free one: the owner was mailed instead.
        if (!isTesseraError(error, 'email_taken')) throw error;
      }
      return json(202, checkYourMail);
    },
  }),
  defineRoute({
    operationId: 'login',
    method: 'POST',
    path: '/login',
    tags,
    summary: 'Sign in with email and password',
    auth: 'none',
    body: { schema: loginInputSchema, formats: both, example: credentials },
    responses: sessionResponse,
    errors: ['validation_failed', 'invalid_credentials', 'account_locked', 'account_suspended', 'email_not_verified', 'rate_limited'],
    handle: async ({ deps, body, meta }) => withTokens(await deps.api.login(body, meta)),
  }),
  defineRoute({
    operationId: 'refresh',
    method: 'POST',
    path: '/refresh',
    tags,
    summary: 'Trade a refresh token for a new pair',
    description: 'The refresh token is rotated: the one sent is spent. Sending a spent one again ends the whole session.',
    auth: 'none',
    body: { schema: refreshTokenInputSchema, formats: both },
    responses: sessionResponse,
    errors: ['validation_failed', 'invalid_refresh_token', 'rate_limited'],
    handle: async ({ deps, body, meta }) => withTokens(await deps.api.refresh(body, meta)),
  }),
  defineRoute({
    operationId: 'logout',
    method: 'POST',
    path: '/logout',
    tags,
    summary: 'End the session of a refresh token',
    auth: 'none',
    body: { schema: refreshTokenInputSchema, formats: both },
    responses: { 204: { description: 'Signed out (also when the token was already unknown).' } },
    errors: ['validation_failed'],
    handle: async ({ deps, body }) => {
      await deps.api.logout(body);
      return noContent;
    },
  }),
  defineRoute({
    operationId: 'verifyEmail',
    method: 'POST',
    path: '/verify-email',
    tags,
    summary: 'Verify the email address with the token from the mail',
    auth: 'none',
    body: { schema: tokenInputSchema, formats: both },
    responses: { 200: { description: 'Verified.', schema: userViewSchema } },
    errors: ['validation_failed', 'invalid_token', 'rate_limited'],
    handle: async ({ deps, body, meta }) => json(200, await deps.api.verifyEmail(body, meta)),
  }),
  defineRoute({
    operationId: 'verifyEmailLink',
    method: 'GET',
    path: '/verify-email',
    tags,
    summary: 'The verification link from the mail',
    description:
      'Verifies, then redirects (303) to `http.verifyEmailRedirectUrl` with `?status=verified` or `?status=invalid`; without that option, answers with a small page.',
    auth: 'none',
    query: z.strictObject({ token: z.string().min(1).max(512) }),
    responses: {
      303: { description: 'Redirect to the configured landing page.', headers: { Location: 'The landing page with `status`.' } },
      200: { description: 'Verified (no landing page configured).', mediaType: 'text/html' },
      400: { description: 'The link is invalid or expired (no landing page configured).', mediaType: 'text/html' },
    },
    errors: ['validation_failed', 'rate_limited'],
    handle: async ({ deps, query, meta }) =>
      landing(deps.options.http.verifyEmailRedirectUrl, await followLink(() => deps.api.verifyEmail({ token: query.token }, meta)), {
        title: 'Email verification',
        success: 'Your email address is verified. You can close this page.',
        failure: 'This verification link is invalid or has expired.',
        successStatus: 'verified',
      }),
  }),
  defineRoute({
    operationId: 'resendVerification',
    method: 'POST',
    path: '/verify-email/resend',
    tags,
    summary: 'Send the verification mail again',
    description: 'Answers the same whether or not an unverified account has this address.',
    auth: 'none',
    body: { schema: emailInputSchema, formats: both, example: { email: credentials.email } },
    responses: { 202: { description: 'If an unverified account has this address, a new mail is on its way.' } },
    errors: ['validation_failed', 'rate_limited'],
    handle: async ({ deps, body, meta }) => {
      await deps.api.resendVerification(body, meta);
      return { status: 202 };
    },
  }),
  defineRoute({
    operationId: 'forgotPassword',
    method: 'POST',
    path: '/password/forgot',
    tags,
    summary: 'Mail a password-reset link',
    description: 'Answers the same whether or not an account has this address.',
    auth: 'none',
    body: { schema: emailInputSchema, formats: both, example: { email: credentials.email } },
    responses: { 202: { description: 'If an account has this address, a reset mail is on its way.' } },
    errors: ['validation_failed', 'rate_limited'],
    handle: async ({ deps, body, meta }) => {
      await deps.api.forgotPassword(body, meta);
      return { status: 202 };
    },
  }),
  defineRoute({
    operationId: 'resetPassword',
    method: 'POST',
    path: '/password/reset',
    tags,
    summary: 'Set a new password with the token from the reset mail',
    description: 'Ends every session of the user. Never done on GET: the mailed link opens the app, which posts here.',
    auth: 'none',
    body: { schema: resetPasswordInputSchema, formats: both },
    responses: { 204: { description: 'The password was changed.' } },
    errors: ['validation_failed', 'invalid_token', 'weak_password', 'rate_limited'],
    handle: async ({ deps, body, meta }) => {
      await deps.api.resetPassword(body, meta);
      return noContent;
    },
  }),
];

/** What a landing page says. */
interface LandingText {
  readonly title: string;
  readonly success: string;
  readonly failure: string;
  /** The `status` query value on success: `verified`, `confirmed`. */
  readonly successStatus: string;
}

/**
 * Where a link from a mail lands: a 303 to the app's page (with `?status=…`), or a small page.
 * The target comes only from the options (checked at start-up), never from the request.
 * `Referrer-Policy: no-referrer` keeps the token in the URL from leaking to the next page.
 */
export function landing(redirectUrl: string | undefined, succeeded: boolean, text: LandingText): RouteResult {
  const headers = { 'referrer-policy': 'no-referrer' };
  if (redirectUrl !== undefined) {
    return { status: 303, headers: { ...headers, location: landingLocation(redirectUrl, succeeded ? text.successStatus : 'invalid') } };
  }
  const message = succeeded ? text.success : text.failure;
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${text.title}</title></head><body><p>${message}</p></body></html>`;
  return {
    status: succeeded ? 200 : 400,
    headers: { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'" },
    body: page,
  };
}

/** Runs a link's action: `true` when it worked, `false` for a bad or spent token. */
export async function followLink(action: () => Promise<unknown>): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (error) {
    if (isTesseraError(error, 'invalid_token') || isTesseraError(error, 'validation_failed') || isTesseraError(error, 'email_taken')) return false;
    throw error;
  }
}
