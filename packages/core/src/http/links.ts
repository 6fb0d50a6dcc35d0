import { z } from 'zod';
import type { Actor, Authorizer } from '../auth/permissions.js';
import type { AdminUserView, UserView } from '../schemas/user-view.js';
import type { HttpMethod } from './route.js';

/** A hypermedia link: where, and with which method when it is not GET. */
export interface Link {
  readonly href: string;
  readonly method?: HttpMethod;
}

/** Links by relation name. */
export type Links = Readonly<Record<string, Link>>;

/** The schema of `_links`, for OpenAPI. */
export const linksSchema = z
  .record(z.string(), z.object({ href: z.string(), method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional() }))
  .meta({ description: 'Hypermedia links: `self`, and the actions the caller may take (with their method).' });

/** The actions on a user resource, each shown only when the permission table allows it. */
const userActions: ReadonlyArray<{
  readonly rel: string;
  readonly action: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly when?: (user: AdminUserView) => boolean;
}> = [
  { rel: 'update', action: 'users:update', method: 'PATCH', path: '' },
  { rel: 'delete', action: 'users:delete', method: 'DELETE', path: '' },
  { rel: 'setRole', action: 'users:set-role', method: 'PUT', path: '/role' },
  { rel: 'lock', action: 'users:lock', method: 'POST', path: '/lock', when: (user) => user.status === 'active' },
  { rel: 'unlock', action: 'users:unlock', method: 'POST', path: '/unlock', when: (user) => user.status === 'locked' || user.lockedUntil !== null },
  { rel: 'suspend', action: 'users:suspend', method: 'POST', path: '/suspend', when: (user) => user.status !== 'suspended' },
  { rel: 'reactivate', action: 'users:reactivate', method: 'POST', path: '/reactivate', when: (user) => user.status === 'suspended' },
  { rel: 'decidePro', action: 'pro:decide', method: 'POST', path: '/pro-decision', when: (user) => user.pro.status === 'pending' },
  { rel: 'revokePro', action: 'pro:revoke', method: 'POST', path: '/pro-decision', when: (user) => user.pro.status === 'approved' },
];

/** Links of a user as a manager or admin sees it: itself, and what the caller may do to it. */
export function adminUserLinks(authorizer: Authorizer<string>, actor: Actor, user: AdminUserView, basePath: string): Links {
  const self = `${basePath}/users/${user.id}`;
  const links: Record<string, Link> = { self: { href: self } };
  for (const { rel, action, method, path, when } of userActions) {
    if (authorizer.can(actor, action, user) && (when?.(user) ?? true)) links[rel] = { href: `${self}${path}`, method };
  }
  return links;
}

/** Links of the caller's own account. */
export function ownAccountLinks(authorizer: Authorizer<string>, actor: Actor, user: UserView, basePath: string): Links {
  const me = `${basePath}/me`;
  const links: Record<string, Link> = {
    self: { href: me },
    update: { href: me, method: 'PATCH' },
    changePassword: { href: `${me}/password`, method: 'POST' },
    changeUsername: { href: `${me}/username`, method: 'PUT' },
    delete: { href: me, method: 'DELETE' },
  };
  if (['none', 'rejected', 'revoked'].includes(user.pro.status) && authorizer.can(actor, 'pro:request')) {
    links.requestPro = { href: `${me}/pro-request`, method: 'POST' };
  }
  if (authorizer.can(actor, 'users:list')) links.users = { href: `${basePath}/users` };
  return links;
}
