/**
 * The roles of Tessera. `ANONYMOUS` is the role of a caller without a valid access token; a
 * stored user always holds one of the other three.
 */
export const roles = ['ADMIN', 'MANAGER', 'AUTHENTICATED', 'ANONYMOUS'] as const;

/** Any role, including the anonymous caller's. */
export type Role = (typeof roles)[number];

/** The roles a stored user can hold. */
export const userRoles = ['ADMIN', 'MANAGER', 'AUTHENTICATED'] as const;

/** A role a stored user can hold. */
export type UserRole = (typeof userRoles)[number];

/** Higher rank means more authority; used by the `othersAtOrBelow` permission scope. */
export const roleRank: Readonly<Record<Role, number>> = {
  ANONYMOUS: 0,
  AUTHENTICATED: 1,
  MANAGER: 2,
  ADMIN: 3,
};

/** Narrows an unknown value to a stored user's role. */
export function isUserRole(value: unknown): value is UserRole {
  return typeof value === 'string' && (userRoles as readonly string[]).includes(value);
}
