import { builtInPermissions, roleRank, type BuiltInAction, type PermissionGrants, type Role } from '@tessera/core';

/** Someone in the permission table: a user's id and role, or `null` for an anonymous caller. */
export type OracleActor = { readonly id: string; readonly role: Role } | null;

/** A user as the links depend on it. */
export interface OracleTarget {
  readonly id: string;
  readonly role: Role;
  readonly status: string;
  readonly lockedUntil?: string | null;
  readonly pro: { readonly status: string };
}

/**
 * What `builtInPermissions` says, read independently of core's authorizer: the scopes as the
 * table documents them (`any`, `own`, `others`, `othersAtOrBelow` by `roleRank`).
 */
export function granted(action: BuiltInAction, actor: OracleActor, target?: { readonly id: string; readonly role: Role }): boolean {
  const grants: PermissionGrants = builtInPermissions[action];
  const role = actor?.role ?? 'ANONYMOUS';
  const scope = Object.hasOwn(grants, role) ? grants[role] : undefined;
  if (scope === undefined) return false;
  if (scope === 'any') return true;
  if (actor === null || target === undefined) return false;
  const isOwn = actor.id === target.id;
  if (scope === 'own') return isOwn;
  if (scope === 'others') return !isOwn;
  return !isOwn && roleRank[target.role] <= roleRank[actor.role];
}

/** The actions a role holds without a target (what a guard's auth context lists). */
export function untargetedActions(role: Role): string[] {
  return (Object.keys(builtInPermissions) as BuiltInAction[]).filter((action) => granted(action, { id: 'someone', role }));
}

/** The user-resource links the contract promises: `self`, and each action the table allows in the user's state. */
export function expectedUserLinks(actor: OracleActor, target: OracleTarget, basePath = '/auth'): Record<string, { href: string; method?: string }> {
  const self = `${basePath}/users/${target.id}`;
  const actions: Array<[rel: string, action: BuiltInAction, method: string, path: string, applies: boolean]> = [
    ['update', 'users:update', 'PATCH', '', true],
    ['delete', 'users:delete', 'DELETE', '', true],
    ['setRole', 'users:set-role', 'PUT', '/role', true],
    ['lock', 'users:lock', 'POST', '/lock', target.status === 'active'],
    ['unlock', 'users:unlock', 'POST', '/unlock', target.status === 'locked' || (target.lockedUntil ?? null) !== null],
    ['suspend', 'users:suspend', 'POST', '/suspend', target.status !== 'suspended'],
    ['reactivate', 'users:reactivate', 'POST', '/reactivate', target.status === 'suspended'],
    ['decidePro', 'pro:decide', 'POST', '/pro-decision', target.pro.status === 'pending'],
    ['revokePro', 'pro:revoke', 'POST', '/pro-decision', target.pro.status === 'approved'],
  ];
  const links: Record<string, { href: string; method?: string }> = { self: { href: self } };
  for (const [rel, action, method, path, applies] of actions) {
    if (applies && granted(action, actor, target)) links[rel] = { href: `${self}${path}`, method };
  }
  return links;
}
