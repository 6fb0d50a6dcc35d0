import { isTesseraError, type AdminUserView, type ProStatus, type TesseraStore, type UserId, type UserRole, type UserStatus } from '@tessera/core';
import { uniqueEmail, type TestTessera } from '../fixtures.js';

/** What a seeded user looks like besides its role. */
export interface SeedOptions {
  readonly role?: UserRole;
  readonly status?: UserStatus;
  readonly proStatus?: ProStatus;
  readonly email?: string;
}

const operator = { operator: 'contract-test' };

/**
 * A verified user without a password, made through the service API as an operator: no argon2
 * work, so a test can build dozens of targets. Status and pro status are set in the store.
 */
export async function seedUser(context: { readonly t: TestTessera; readonly store: TesseraStore }, options: SeedOptions = {}): Promise<AdminUserView> {
  const { t, store } = context;
  const created = await t.tessera.api.createUser(operator, { email: options.email ?? uniqueEmail('seed'), role: options.role ?? 'AUTHENTICATED', emailVerified: true });
  if (options.status === undefined && options.proStatus === undefined) return created;
  const now = t.clock.now();
  await store.users.update(created.id as UserId, {
    ...(options.status !== undefined && { status: options.status }),
    ...(options.proStatus !== undefined && { proStatus: options.proStatus, proStatusChangedAt: now }),
    updatedAt: now,
  });
  return readUser(t, created.id);
}

/** A user as an operator reads it (to compare before and after a request). */
export function readUser(t: TestTessera, id: string): Promise<AdminUserView> {
  return t.tessera.api.getUser(operator, id);
}

/** Whether a user still exists. */
export async function userExists(t: TestTessera, id: string): Promise<boolean> {
  return readUser(t, id).then(
    () => true,
    (error: unknown) => {
      if (isTesseraError(error, 'user_not_found')) return false;
      throw error;
    },
  );
}
