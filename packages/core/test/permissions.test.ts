import { describe, expect, it } from 'vitest';
import { builtInPermissions, can, createAuthorizer, defaultAuthorizer, type Actor } from '../src/auth/permissions.js';

const admin: Actor = { id: 'admin-1', role: 'ADMIN' };
const otherAdmin = { id: 'admin-2', role: 'ADMIN' } as const;
const manager: Actor = { id: 'manager-1', role: 'MANAGER' };
const otherManager = { id: 'manager-2', role: 'MANAGER' } as const;
const user: Actor = { id: 'user-1', role: 'AUTHENTICATED' };
const otherUser = { id: 'user-2', role: 'AUTHENTICATED' } as const;

describe('the permission table', () => {
  it('denies the anonymous caller everything', () => {
    for (const action of Object.keys(builtInPermissions) as Array<keyof typeof builtInPermissions>) {
      expect(can(null, action, otherUser)).toBe(false);
    }
  });

  it('lets every signed-in role manage its own account but not list users unless manager or admin', () => {
    for (const actor of [admin, manager, user]) {
      expect(can(actor, 'account:update')).toBe(true);
      expect(can(actor, 'pro:request')).toBe(true);
    }
    expect(can(user, 'users:list')).toBe(false);
    expect(can(manager, 'users:list')).toBe(true);
    expect(can(admin, 'users:list')).toBe(true);
  });

  it('lets a user read only its own record', () => {
    expect(can(user, 'users:read', { id: 'user-1', role: 'AUTHENTICATED' })).toBe(true);
    expect(can(user, 'users:read', otherUser)).toBe(false);
    expect(can(user, 'users:read')).toBe(false);
  });

  it('lets a manager act on managers and users but never on an admin or itself', () => {
    for (const action of ['users:update', 'users:set-role', 'users:lock', 'users:suspend', 'pro:decide'] as const) {
      expect(can(manager, action, otherUser)).toBe(true);
      expect(can(manager, action, otherManager)).toBe(true);
      expect(can(manager, action, otherAdmin)).toBe(false);
      expect(can(manager, action, { id: 'manager-1', role: 'MANAGER' })).toBe(false);
    }
    expect(can(manager, 'users:delete', otherUser)).toBe(false);
    expect(can(manager, 'audit:read')).toBe(false);
  });

  it('lets an admin act on anyone but itself', () => {
    expect(can(admin, 'users:delete', otherAdmin)).toBe(true);
    expect(can(admin, 'users:set-role', { id: 'admin-1', role: 'ADMIN' })).toBe(false);
    expect(can(admin, 'users:lock', otherManager)).toBe(true);
  });

  it('lets managers grant at most MANAGER and admins any role', () => {
    expect(defaultAuthorizer.canAssignRole(manager, 'ADMIN')).toBe(false);
    expect(defaultAuthorizer.canAssignRole(manager, 'MANAGER')).toBe(true);
    expect(defaultAuthorizer.canAssignRole(admin, 'ADMIN')).toBe(true);
    expect(defaultAuthorizer.canAssignRole(user, 'AUTHENTICATED')).toBe(false);
  });

  it('denies unknown actions and inherited object keys', () => {
    const authorizer = createAuthorizer();
    expect(authorizer.can(admin, 'nope' as never)).toBe(false);
    expect(authorizer.can(admin, 'toString' as never)).toBe(false);
    expect(authorizer.can({ id: 'x', role: 'constructor' as never }, 'users:list')).toBe(false);
  });

  it('takes the host app’s own actions, typed, and refuses to redefine built-in ones', () => {
    const authorizer = createAuthorizer({ 'posts:publish': { MANAGER: 'any', ADMIN: 'any' }, 'posts:edit': { AUTHENTICATED: 'own', ADMIN: 'any' } });
    expect(authorizer.can(manager, 'posts:publish')).toBe(true);
    expect(authorizer.can(user, 'posts:publish')).toBe(false);
    expect(authorizer.can(user, 'posts:edit', { id: 'user-1', role: 'AUTHENTICATED' })).toBe(true);
    expect(authorizer.can(user, 'posts:edit', otherUser)).toBe(false);
    expect(authorizer.actionsFor(manager)).toContain('posts:publish');
    expect(authorizer.hasAnyGrant(user, 'posts:edit')).toBe(true);
    expect(() => createAuthorizer({ 'users:list': { AUTHENTICATED: 'any' } })).toThrow(TypeError);
  });
});
