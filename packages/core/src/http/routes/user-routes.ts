import { z } from 'zod';
import { createUserInputSchema, updateUserInputSchema } from '../../schemas/account.js';
import type { AdminUserView } from '../../schemas/user-view.js';
import { resetUserPasswordInputSchema } from '../../services/account-actions.js';
import { decideProInputSchema } from '../../services/pro-status.js';
import { setUserRoleInputSchema } from '../../services/user-administration.js';
import { countUsersInputSchema, listUsersInputSchema, userSortValues, type UserPage } from '../../services/user-listing.js';
import type { Principal } from '../../tokens/access-token.js';
import { adminUserResourceSchema, userCountSchema, userPageSchema } from '../http-schemas.js';
import { adminUserLinks } from '../links.js';
import { pageLinks } from '../page-links.js';
import { flagParam, userFilterInput, userFilterParams, wholeParam } from '../query-params.js';
import { defineRoute, type AnyRoute, type HttpDeps, type RouteResult } from '../route.js';

const tags = ['Users'];
const idParams = z.strictObject({ id: z.string().max(64).meta({ description: 'The user id (UUID).' }) });
const oneUser = { 200: { description: 'The user, with links to the actions the caller may take.', schema: adminUserResourceSchema } };
const targetErrors = ['unauthenticated', 'forbidden', 'user_not_found'] as const;

/** The query string of `countUsers`: the filters of `listUsers`. */
const countUsersQuerySchema = z
  .strictObject(userFilterParams)
  .transform((query) => userFilterInput(query))
  .pipe(countUsersInputSchema);

/** The query string of `listUsers`, mapped onto the service's input. */
export const listUsersQuerySchema = z
  .strictObject({
    ...userFilterParams,
    sort: z.enum(userSortValues).meta({ description: 'A field, `-` in front for descending (default `-createdAt`). Ties are broken by id.' }).optional(),
    limit: wholeParam(1, 100, 'Users per page, 1–100 (default 20).').optional(),
    cursor: z.string().max(1024).meta({ description: '`nextCursor` or `prevCursor` of a previous page.' }).optional(),
    page: wholeParam(1, 10_000, 'Page number, for small result sets (not with `cursor`).').optional(),
    total: flagParam('Also count the matching users (up to the `listing.totalUpTo` option).').optional(),
  })
  .transform(({ total, ...rest }) => ({ ...userFilterInput(rest), ...(total !== undefined && { includeTotal: total }) }))
  .pipe(listUsersInputSchema);

function resource(deps: HttpDeps, principal: Principal, basePath: string, user: AdminUserView): RouteResult {
  return { status: 200, body: withLinks(deps, principal, basePath, user) };
}

function withLinks(deps: HttpDeps, principal: Principal, basePath: string, user: AdminUserView) {
  return { ...user, _links: adminUserLinks(deps.authorizer, { id: principal.userId, role: principal.role }, user, basePath) };
}

function pageBody(deps: HttpDeps, principal: Principal, basePath: string, url: URL, page: UserPage) {
  const links = pageLinks(`${basePath}/users`, url, page);
  if (deps.authorizer.can({ id: principal.userId, role: principal.role }, 'users:create')) links.create = { href: `${basePath}/users`, method: 'POST' };
  return {
    items: page.items.map((user) => withLinks(deps, principal, basePath, user)),
    page: { limit: page.limit, number: page.page, sort: page.sort, nextCursor: page.nextCursor, prevCursor: page.prevCursor, total: page.total, totalIsExact: page.totalIsExact },
    _links: links,
  };
}

/** One status change per route: the same shape four times. */
const statusRoute = (operationId: string, path: string, summary: string, call: 'lockUser' | 'unlockUser' | 'suspendUser' | 'reactivateUser', extraErrors: ['last_admin'] | [] = []) =>
  defineRoute({
    operationId,
    method: 'POST',
    path: `/users/{id}/${path}`,
    tags,
    summary,
    auth: 'bearer',
    params: idParams,
    responses: oneUser,
    errors: [...targetErrors, ...extraErrors],
    handle: async ({ deps, principal, basePath, params, meta }) => resource(deps, principal, basePath, await deps.api[call](principal, params.id, meta)),
  });

/** User management for managers and admins. */
export const userRoutes: AnyRoute[] = [
  defineRoute({
    operationId: 'listUsers',
    method: 'GET',
    path: '/users',
    tags,
    summary: 'Search and list users',
    description: 'Filters, a stable sort, keyset (cursor) pagination both ways, or page numbers; an optional total.',
    auth: 'bearer',
    query: listUsersQuerySchema,
    responses: { 200: { description: 'A page of users with navigation links.', schema: userPageSchema } },
    errors: ['validation_failed', 'unauthenticated', 'forbidden'],
    handle: async ({ deps, principal, basePath, query, url }) => ({ status: 200, body: pageBody(deps, principal, basePath, url, await deps.api.listUsers(principal, query)) }),
  }),
  defineRoute({
    operationId: 'countUsers',
    method: 'GET',
    path: '/users/count',
    tags,
    summary: 'Count users exactly',
    description: 'The number of users matching the filters of `listUsers`, counted exactly: a full count, meant for reports and dashboards (a page\'s `total` stops at `listing.totalUpTo`).',
    auth: 'bearer',
    query: countUsersQuerySchema,
    responses: { 200: { description: 'The count.', schema: userCountSchema } },
    errors: ['validation_failed', 'unauthenticated', 'forbidden'],
    handle: async ({ deps, principal, query }) => ({ status: 200, body: { count: await deps.api.countUsers(principal, query) } }),
  }),
  defineRoute({
    operationId: 'createUser',
    method: 'POST',
    path: '/users',
    tags,
    summary: 'Create a user',
    description: 'Without a password the user sets one through a reset; without `emailVerified` the verification mail is sent.',
    auth: 'bearer',
    body: { schema: createUserInputSchema, formats: ['json'], example: { email: 'grace@example.com', role: 'MANAGER' } },
    responses: { 201: { description: 'Created.', schema: adminUserResourceSchema } },
    errors: ['validation_failed', 'weak_password', 'email_taken', 'username_taken', 'unauthenticated', 'forbidden'],
    handle: async ({ deps, principal, basePath, body, meta }) => ({ ...resource(deps, principal, basePath, await deps.api.createUser(principal, body, meta)), status: 201 }),
  }),
  defineRoute({
    operationId: 'getUser',
    method: 'GET',
    path: '/users/{id}',
    tags,
    summary: 'Read a user',
    auth: 'bearer',
    params: idParams,
    responses: oneUser,
    errors: [...targetErrors],
    handle: async ({ deps, principal, basePath, params }) => resource(deps, principal, basePath, await deps.api.getUser(principal, params.id)),
  }),
  defineRoute({
    operationId: 'updateUser',
    method: 'PATCH',
    path: '/users/{id}',
    tags,
    summary: 'Change a user’s email, username, verification or profile',
    auth: 'bearer',
    params: idParams,
    body: { schema: updateUserInputSchema, formats: ['json'], example: { profile: { location: 'London' } } },
    responses: oneUser,
    errors: ['validation_failed', 'email_taken', 'username_taken', ...targetErrors],
    handle: async ({ deps, principal, basePath, params, body, meta }) => resource(deps, principal, basePath, await deps.api.updateUser(principal, params.id, body, meta)),
  }),
  defineRoute({
    operationId: 'deleteUser',
    method: 'DELETE',
    path: '/users/{id}',
    tags,
    summary: 'Delete a user',
    auth: 'bearer',
    params: idParams,
    responses: { 204: { description: 'Deleted.' } },
    errors: ['last_admin', ...targetErrors],
    handle: async ({ deps, principal, params, meta }) => {
      await deps.api.deleteUser(principal, params.id, meta);
      return { status: 204 };
    },
  }),
  defineRoute({
    operationId: 'setUserRole',
    method: 'PUT',
    path: '/users/{id}/role',
    tags,
    summary: 'Change a user’s role',
    description: 'Managers cannot grant ADMIN or touch admins; nobody changes their own role; the last admin stays. Ends the user’s sessions.',
    auth: 'bearer',
    params: idParams,
    body: { schema: setUserRoleInputSchema, formats: ['json', 'form'], example: { role: 'MANAGER' } },
    responses: oneUser,
    errors: ['validation_failed', 'last_admin', ...targetErrors],
    handle: async ({ deps, principal, basePath, params, body, meta }) => resource(deps, principal, basePath, await deps.api.setUserRole(principal, params.id, body, meta)),
  }),
  statusRoute('lockUser', 'lock', 'Lock a user (until unlocked); ends its sessions', 'lockUser', ['last_admin']),
  statusRoute('unlockUser', 'unlock', 'Unlock a user, also lifting a lockout after failed logins', 'unlockUser'),
  statusRoute('suspendUser', 'suspend', 'Suspend a user; ends its sessions', 'suspendUser', ['last_admin']),
  statusRoute('reactivateUser', 'reactivate', 'Reactivate a suspended user', 'reactivateUser'),
  defineRoute({
    operationId: 'resetUserPassword',
    method: 'POST',
    path: '/users/{id}/password-reset',
    tags,
    summary: 'Start a password reset for a user',
    description: 'Mails the user a reset link (nobody chooses a password for them) and ends their sessions; `invalidateCurrentPassword` also stops the current password at once.',
    auth: 'bearer',
    params: idParams,
    body: { schema: resetUserPasswordInputSchema.optional(), formats: ['json', 'form'], example: { invalidateCurrentPassword: true } },
    responses: oneUser,
    errors: ['validation_failed', ...targetErrors],
    handle: async ({ deps, principal, basePath, params, body, meta }) => resource(deps, principal, basePath, await deps.api.resetUserPassword(principal, params.id, body ?? {}, meta)),
  }),
  defineRoute({
    operationId: 'decidePro',
    method: 'POST',
    path: '/users/{id}/pro-decision',
    tags,
    summary: 'Approve or reject a pro request, or revoke pro status',
    description: 'Managers and admins approve or reject pending requests (never their own); admins revoke.',
    auth: 'bearer',
    params: idParams,
    body: { schema: decideProInputSchema, formats: ['json', 'form'], example: { decision: 'approve' } },
    responses: oneUser,
    errors: ['validation_failed', 'conflict', ...targetErrors],
    handle: async ({ deps, principal, basePath, params, body, meta }) => resource(deps, principal, basePath, await deps.api.decidePro(principal, params.id, body, meta)),
  }),
];
