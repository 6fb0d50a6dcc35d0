import type { AdminUserView } from '@tessera/core';
import { formatTable } from './format-table.js';

/** One user in detail, for `user show` and after a change. */
export function describeUser(user: AdminUserView): string {
  const name = [user.profile.firstName, user.profile.lastName].filter(Boolean).join(' ');
  const rows: Array<[string, string]> = [
    ['id', user.id],
    ['email', `${user.email} (${user.emailVerified ? `verified ${user.emailVerifiedAt ?? ''}`.trim() : 'not verified'})`],
    ['username', user.username],
    ['name', name || '-'],
    ['role', user.role],
    ['status', user.status],
    ['pro', user.pro.status + (user.pro.reason ? ` (${user.pro.reason})` : '')],
    ['password', user.hasPassword ? 'set' : 'none (must reset)'],
    ['failed logins', String(user.failedLoginCount)],
    ['locked until', user.lockedUntil ?? '-'],
    ['last login', user.lastLoginAt ?? 'never'],
    ['created', user.createdAt],
    ['updated', user.updatedAt],
  ];
  return rows.map(([label, value]) => `${label.padEnd(14)}${value}`).join('\n') + '\n';
}

/** Users as a table, for `user find`. */
export function userTable(users: readonly AdminUserView[]): string {
  return formatTable(
    ['id', 'email', 'username', 'role', 'status', 'verified', 'pro', 'created', 'last login'],
    users.map((user) => [
      user.id,
      user.email,
      user.username,
      user.role,
      user.status,
      user.emailVerified ? 'yes' : 'no',
      user.pro.status,
      user.createdAt.slice(0, 10),
      user.lastLoginAt?.slice(0, 16).replace('T', ' ') ?? 'never',
    ]),
  );
}
