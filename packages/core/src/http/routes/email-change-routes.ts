import { z } from 'zod';
import { requestEmailChangeInputSchema, tokenInputSchema } from '../../schemas/account.js';
import { userViewSchema } from '../../schemas/user-view.js';
import { defineRoute, type AnyRoute } from '../route.js';
import { followLink, landing } from './account-routes.js';

const linkText = {
  title: 'Email change',
  success: 'Your new email address is confirmed. You can close this page.',
  failure: 'This confirmation link is invalid or has expired.',
  successStatus: 'confirmed',
};

/** Changing the own email address: confirmed by the new address. */
export const emailChangeRoutes: AnyRoute[] = [
  defineRoute({
    operationId: 'requestEmailChange',
    method: 'POST',
    path: '/me/email',
    tags: ['Me'],
    summary: 'Change the own email address (confirmed by the new address)',
    description: 'Needs the current password. A link goes to the new address; the change happens when it is followed. The answer is the same whether or not the new address is taken.',
    auth: 'bearer',
    body: { schema: requestEmailChangeInputSchema, formats: ['json', 'form'], example: { newEmail: 'ada@new.example', password: 'correct horse battery staple' } },
    responses: { 202: { description: 'If the new address is free, a confirmation link is on its way to it.' } },
    errors: ['validation_failed', 'invalid_current_password', 'account_locked', 'unauthenticated'],
    handle: async ({ deps, principal, body }) => {
      await deps.api.requestEmailChange(principal, body);
      return { status: 202 };
    },
  }),
  defineRoute({
    operationId: 'confirmEmailChange',
    method: 'POST',
    path: '/email-change/confirm',
    tags: ['Account'],
    summary: 'Confirm an email change with the token from the link',
    auth: 'none',
    body: { schema: tokenInputSchema, formats: ['json', 'form'] },
    responses: { 200: { description: 'The address changed.', schema: userViewSchema } },
    errors: ['validation_failed', 'invalid_token', 'email_taken', 'rate_limited'],
    handle: async ({ deps, body, meta }) => ({ status: 200, body: await deps.api.confirmEmailChange(body, meta) }),
  }),
  defineRoute({
    operationId: 'confirmEmailChangeLink',
    method: 'GET',
    path: '/email-change/confirm',
    tags: ['Account'],
    summary: 'The confirmation link from the mail to the new address',
    description: 'Confirms, then redirects (303) to `http.confirmEmailChangeRedirectUrl` with `?status=confirmed` or `?status=invalid`; without that option, answers with a small page.',
    auth: 'none',
    query: z.strictObject({ token: z.string().min(1).max(512) }),
    responses: {
      303: { description: 'Redirect to the configured landing page.', headers: { Location: 'The landing page with `status`.' } },
      200: { description: 'Confirmed (no landing page configured).', mediaType: 'text/html' },
      400: { description: 'The link is invalid or expired (no landing page configured).', mediaType: 'text/html' },
    },
    errors: ['validation_failed', 'rate_limited'],
    handle: async ({ deps, query, meta }) =>
      landing(deps.options.http.confirmEmailChangeRedirectUrl, await followLink(() => deps.api.confirmEmailChange({ token: query.token }, meta)), linkText),
  }),
];
