import {
  changePasswordInputSchema,
  changeUsernameInputSchema,
  deleteAccountInputSchema,
  sessionTokensSchema,
  updateMeInputSchema,
} from '../../schemas/account.js';
import type { UserView } from '../../schemas/user-view.js';
import { userResourceSchema } from '../http-schemas.js';
import { ownAccountLinks } from '../links.js';
import { tokenResponseHeaders } from '../problem.js';
import { defineRoute, type AnyRoute, type HttpDeps, type RouteResult } from '../route.js';

const tags = ['Me'];
const both = ['json', 'form'] as const;
const ownAccount = { 200: { description: 'The account, with links to what the caller can do.', schema: userResourceSchema } };

function resource(deps: HttpDeps, basePath: string, user: UserView): RouteResult {
  const actor = { id: user.id, role: user.role };
  return { status: 200, body: { ...user, _links: ownAccountLinks(deps.authorizer, actor, user, basePath) } };
}

/** The caller's own account. */
export const meRoutes: AnyRoute[] = [
  defineRoute({
    operationId: 'getMe',
    method: 'GET',
    path: '/me',
    tags,
    summary: 'The caller’s own account',
    auth: 'bearer',
    responses: ownAccount,
    errors: ['unauthenticated'],
    handle: async ({ deps, principal, basePath }) => resource(deps, basePath, await deps.api.getMe(principal)),
  }),
  defineRoute({
    operationId: 'updateMe',
    method: 'PATCH',
    path: '/me',
    tags,
    summary: 'Change the own profile',
    description: 'Profile fields only; `null` or `""` clears one. Role, status, verification and pro status cannot be set here.',
    auth: 'bearer',
    body: { schema: updateMeInputSchema, formats: ['json'], example: { profile: { firstName: 'Ada', githubUrl: 'https://github.com/ada' } } },
    responses: ownAccount,
    errors: ['validation_failed', 'unauthenticated'],
    handle: async ({ deps, principal, basePath, body }) => resource(deps, basePath, await deps.api.updateMe(principal, body)),
  }),
  defineRoute({
    operationId: 'changePassword',
    method: 'POST',
    path: '/me/password',
    tags,
    summary: 'Change the own password',
    description: 'Needs the current password. Ends every session and starts a new one for the caller.',
    auth: 'bearer',
    body: { schema: changePasswordInputSchema, formats: both },
    responses: { 200: { description: 'Changed; the new session’s tokens.', schema: sessionTokensSchema } },
    errors: ['validation_failed', 'invalid_current_password', 'weak_password', 'account_locked', 'unauthenticated'],
    handle: async ({ deps, principal, body, meta }) => ({ status: 200, headers: tokenResponseHeaders, body: await deps.api.changePassword(principal, body, meta) }),
  }),
  defineRoute({
    operationId: 'changeUsername',
    method: 'PUT',
    path: '/me/username',
    tags,
    summary: 'Change the own username',
    description: 'Normalised (NFKC, lower case); 3–30 letters, digits and single `-`/`_`; reserved names and their look-alikes are refused.',
    auth: 'bearer',
    body: { schema: changeUsernameInputSchema, formats: both, example: { username: 'ada-lovelace' } },
    responses: ownAccount,
    errors: ['validation_failed', 'username_taken', 'unauthenticated'],
    handle: async ({ deps, principal, basePath, body }) => resource(deps, basePath, await deps.api.changeUsername(principal, body)),
  }),
  defineRoute({
    operationId: 'deleteMe',
    method: 'DELETE',
    path: '/me',
    tags,
    summary: 'Delete the own account',
    description: 'Confirmed with the password. The last active admin cannot delete itself.',
    auth: 'bearer',
    body: { schema: deleteAccountInputSchema, formats: both },
    responses: { 204: { description: 'Deleted.' } },
    errors: ['validation_failed', 'invalid_current_password', 'last_admin', 'unauthenticated'],
    handle: async ({ deps, principal, body }) => {
      await deps.api.deleteMe(principal, body);
      return { status: 204 };
    },
  }),
  defineRoute({
    operationId: 'requestPro',
    method: 'POST',
    path: '/me/pro-request',
    tags,
    summary: 'Ask for pro status',
    description: 'Needs a complete profile (see the `pro` options). A manager or admin decides.',
    auth: 'bearer',
    responses: { 200: { description: 'The request is pending.', schema: userResourceSchema } },
    errors: ['validation_failed', 'conflict', 'unauthenticated'],
    handle: async ({ deps, principal, basePath, meta }) => resource(deps, basePath, await deps.api.requestPro(principal, meta)),
  }),
];
