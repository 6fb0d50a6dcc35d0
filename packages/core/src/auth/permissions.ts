import { roleRank, type Role, type UserRole } from './roles.js';

/**
 * How far a role's grant on an action reaches:
 * - `any`: always (actions without a target, or any target);
 * - `own`: only the actor's own record;
 * - `others`: any record but the actor's own;
 * - `othersAtOrBelow`: another user whose role ranks at or below the actor's (a manager may
 *   act on managers and ordinary users, never on an admin).
 */
export type PermissionScope = 'any' | 'own' | 'others' | 'othersAtOrBelow';

/** Per role, how far an action is granted. A missing role is denied. */
export type PermissionGrants = Readonly<Partial<Record<Role, PermissionScope>>>;

/** Actions mapped to their grants. Host apps add their own actions with the same shape. */
export type PermissionTable = Readonly<Record<string, PermissionGrants>>;

/**
 * THE permission table. Every authorisation decision in Tessera goes through `can()` over
 * this table; host apps extend it with their own actions (see `createTessera({ permissions })`).
 */
export const builtInPermissions = {
  // Self-service on one's own account (no target).
  'account:read': { AUTHENTICATED: 'any', MANAGER: 'any', ADMIN: 'any' },
  'account:update': { AUTHENTICATED: 'any', MANAGER: 'any', ADMIN: 'any' },
  'account:delete': { AUTHENTICATED: 'any', MANAGER: 'any', ADMIN: 'any' },
  'account:change-password': { AUTHENTICATED: 'any', MANAGER: 'any', ADMIN: 'any' },
  'account:change-username': { AUTHENTICATED: 'any', MANAGER: 'any', ADMIN: 'any' },
  'pro:request': { AUTHENTICATED: 'any', MANAGER: 'any', ADMIN: 'any' },
  // Managing other users.
  'users:list': { MANAGER: 'any', ADMIN: 'any' },
  'users:read': { AUTHENTICATED: 'own', MANAGER: 'any', ADMIN: 'any' },
  'users:create': { MANAGER: 'any', ADMIN: 'any' },
  'users:update': { MANAGER: 'othersAtOrBelow', ADMIN: 'others' },
  'users:delete': { ADMIN: 'others' },
  'users:set-role': { MANAGER: 'othersAtOrBelow', ADMIN: 'others' },
  'users:lock': { MANAGER: 'othersAtOrBelow', ADMIN: 'others' },
  'users:unlock': { MANAGER: 'othersAtOrBelow', ADMIN: 'others' },
  'users:suspend': { MANAGER: 'othersAtOrBelow', ADMIN: 'others' },
  'users:reactivate': { MANAGER: 'othersAtOrBelow', ADMIN: 'others' },
  'users:reset-password': { MANAGER: 'othersAtOrBelow', ADMIN: 'others' },
  'users:export': { ADMIN: 'any' },
  'pro:decide': { MANAGER: 'othersAtOrBelow', ADMIN: 'others' },
  'pro:revoke': { ADMIN: 'others' },
  'audit:read': { ADMIN: 'any' },
} as const satisfies PermissionTable;

/** The actions Tessera itself checks. */
export type BuiltInAction = keyof typeof builtInPermissions;

/**
 * The roles each role may hand out (when creating a user or changing a role). A manager can
 * never grant ADMIN.
 */
export const assignableRoles: Readonly<Record<Role, readonly UserRole[]>> = {
  ADMIN: ['ADMIN', 'MANAGER', 'AUTHENTICATED'],
  MANAGER: ['MANAGER', 'AUTHENTICATED'],
  AUTHENTICATED: [],
  ANONYMOUS: [],
};

/** Who is acting: a user's id and role, or `null` for an anonymous caller. */
export type Actor = { readonly id: string; readonly role: Role } | null;

/** The record an action touches, when it touches one. */
export interface PermissionTarget {
  readonly id: string;
  readonly role: Role;
}

/** Answers authorisation questions over one permission table. */
export interface Authorizer<Action extends string> {
  /** The merged table, for display (e.g. an admin page) or documentation. */
  readonly table: Readonly<Record<Action, PermissionGrants>>;
  /**
   * Whether `actor` may perform `action` (on `target`, for targeted scopes). Unknown actions,
   * unknown roles and missing targets for targeted scopes are denied.
   */
  can(actor: Actor, action: Action, target?: PermissionTarget): boolean;
  /** Whether `actor`'s role holds any grant for `action`, whatever the target (checked before loading one). */
  hasAnyGrant(actor: Actor, action: Action): boolean;
  /** Whether `actor` may give `role` to someone (when creating a user or changing a role). */
  canAssignRole(actor: Actor, role: UserRole): boolean;
  /** The actions `actor` may perform without a target, e.g. to put in a principal. */
  actionsFor(actor: Actor): Action[];
}

/**
 * Builds an authorizer over the built-in table plus the host app's own actions.
 *
 * @example
 * ```ts
 * const authz = createAuthorizer({ 'posts:publish': { MANAGER: 'any', ADMIN: 'any' } });
 * authz.can({ id: user.id, role: 'MANAGER' }, 'posts:publish'); // true
 * ```
 * @throws TypeError when an extra action redefines a built-in one.
 */
export function createAuthorizer<const Extra extends PermissionTable = Record<never, never>>(
  extra?: Extra,
): Authorizer<BuiltInAction | Extract<keyof Extra, string>> {
  type Action = BuiltInAction | Extract<keyof Extra, string>;
  for (const action of Object.keys(extra ?? {})) {
    if (Object.hasOwn(builtInPermissions, action)) {
      throw new TypeError(`Permission "${action}" is built in and cannot be redefined.`);
    }
  }
  const table = Object.freeze({ ...builtInPermissions, ...extra }) as Readonly<Record<Action, PermissionGrants>>;

  function scopeOf(actor: Actor, action: Action): PermissionScope | undefined {
    const grants: PermissionGrants | undefined = Object.hasOwn(table, action) ? table[action] : undefined;
    const role: Role = actor?.role ?? 'ANONYMOUS';
    return grants && Object.hasOwn(grants, role) ? grants[role] : undefined;
  }

  function can(actor: Actor, action: Action, target?: PermissionTarget): boolean {
    const scope = scopeOf(actor, action);
    return scope !== undefined && scopeAllows(scope, actor, target);
  }

  return {
    table,
    can,
    hasAnyGrant: (actor, action) => scopeOf(actor, action) !== undefined,
    canAssignRole: (actor, role) => (assignableRoles[actor?.role ?? 'ANONYMOUS'] ?? []).includes(role),
    actionsFor: (actor) => (Object.keys(table) as Action[]).filter((action) => can(actor, action)),
  };
}

function scopeAllows(scope: PermissionScope, actor: Actor, target: PermissionTarget | undefined): boolean {
  if (scope === 'any') return true;
  if (actor === null || target === undefined) return false;
  const isOwn = target.id === actor.id;
  switch (scope) {
    case 'own':
      return isOwn;
    case 'others':
      return !isOwn;
    case 'othersAtOrBelow':
      return !isOwn && roleRank[target.role] <= roleRank[actor.role];
  }
}

/** The built-in authorizer, for code that has no Tessera instance at hand. */
export const defaultAuthorizer: Authorizer<BuiltInAction> = createAuthorizer<Record<never, never>>();

/**
 * Whether `actor` may perform a built-in `action` (on `target`). The same decision every
 * Tessera service makes; host apps use it to guard their own routes.
 *
 * @example
 * ```ts
 * if (!can(principal, 'users:list')) throw new TesseraError('forbidden');
 * ```
 */
export function can(actor: Actor, action: BuiltInAction, target?: PermissionTarget): boolean {
  return defaultAuthorizer.can(actor, action, target);
}
