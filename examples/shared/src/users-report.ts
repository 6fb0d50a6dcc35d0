import type { AuthContext } from '@tessera/core';
import type { ExampleTessera } from './start-tessera.js';

/** The app's own report: who signed up, by role. */
export interface UsersReport {
  readonly generatedAt: string;
  /** The manager or admin who asked. */
  readonly requestedBy: string;
  readonly totalUsers: number;
  readonly byRole: { readonly ADMIN: number; readonly MANAGER: number; readonly AUTHENTICATED: number };
  readonly pendingProRequests: number;
  readonly newestUsers: ReadonlyArray<{ readonly username: string; readonly role: string; readonly emailVerified: boolean; readonly createdAt: string }>;
}

/**
 * Builds the report behind `GET /api/reports/users`. The route is guarded by the app's
 * `reports:view` permission (no database round trip to refuse a plain user); the numbers come
 * from Tessera's `listUsers`, which checks `users:list` for the same caller again, against the
 * caller's current role in the database.
 *
 * @throws TesseraError `forbidden` or `unauthenticated` when Tessera refuses the caller (its role changed since the token was issued).
 */
export async function buildUsersReport(tessera: ExampleTessera, auth: AuthContext): Promise<UsersReport> {
  const caller = auth.principal;
  const count = async (filter: { role?: Array<'ADMIN' | 'MANAGER' | 'AUTHENTICATED'>; proStatus?: Array<'pending'> }): Promise<number> =>
    (await tessera.api.listUsers(caller, { ...filter, limit: 1, includeTotal: true })).total ?? 0;
  const [newest, admins, managers, members, pendingPro] = await Promise.all([
    tessera.api.listUsers(caller, { limit: 5, includeTotal: true }),
    count({ role: ['ADMIN'] }),
    count({ role: ['MANAGER'] }),
    count({ role: ['AUTHENTICATED'] }),
    count({ proStatus: ['pending'] }),
  ]);
  return {
    generatedAt: new Date().toISOString(),
    requestedBy: auth.userId,
    totalUsers: newest.total ?? 0,
    byRole: { ADMIN: admins, MANAGER: managers, AUTHENTICATED: members },
    pendingProRequests: pendingPro,
    newestUsers: newest.items.map((user) => ({ username: user.username, role: user.role, emailVerified: user.emailVerified, createdAt: user.createdAt })),
  };
}
