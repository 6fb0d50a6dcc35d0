import { z } from 'zod';
import { userRoles } from '../auth/roles.js';
import { TesseraError } from '../errors.js';
import { newUuidV7 } from '../ids.js';
import { checkNewPassword } from '../password/password-policy.js';
import type { StoreRepositories, UserPatch, UserRecord } from '../ports/store.js';
import { createUserInputSchema, updateUserInputSchema, type CreateUserInput, type UpdateUserInput } from '../schemas/account.js';
import { toAdminUserView, type AdminUserView } from '../schemas/user-view.js';
import { parseInput } from '../validation.js';
import { withValidatedCustomProfile } from './custom-profile.js';
import { chosenUsernameOf, insertUser, insertUserWithRetries, issueVerification } from './registration.js';
import {
  authorize,
  loadAuthorizedTarget,
  parseUserId,
  resolveActor,
  revocationInstant,
  toEventUser,
  transact,
  translateStoreErrors,
  type Caller,
  type RequestMeta,
  type ResolvedActor,
  type ServiceDeps,
} from './service-deps.js';

/** `setUserRole` input. */
export const setUserRoleInputSchema = z.strictObject({ role: z.enum(userRoles) });
export type SetUserRoleInput = z.input<typeof setUserRoleInputSchema>;

/**
 * Creates a user on behalf of a manager or admin. Without a password the user must set one
 * through a password reset; without `emailVerified` the verification mail is sent.
 *
 * @throws TesseraError `forbidden` (including a role the caller may not grant), `email_taken`, `weak_password`.
 */
export async function createUser(deps: ServiceDeps, caller: Caller, input: CreateUserInput, meta: RequestMeta = {}): Promise<AdminUserView> {
  const { email, password, username, role, emailVerified, profile } = parseInput(createUserInputSchema, input);
  const chosenUsername = username === undefined ? undefined : chosenUsernameOf(deps, username, 'username');
  const acting = await resolveActor(deps, caller);
  authorize(deps, acting.actor, 'users:create');
  if (!deps.authorizer.canAssignRole(acting.actor, role)) throw new TesseraError('forbidden', `You may not grant the role ${role}.`);
  const passwordContext = { appName: deps.options.appName, email, username: chosenUsername };
  const passwordHash = password === undefined ? null : await deps.hasher.hash(await checkNewPassword(deps.options.password, password, 'password', passwordContext));
  const user = await insertUserWithRetries(deps, chosenUsername, async (tx, assignedUsername) => {
    const created = await insertUser(deps, tx, { email, username: assignedUsername, passwordHash, role, emailVerified, profile });
    if (!emailVerified) await issueVerification(deps, tx, created, 'user.registered');
    await appendAudit(deps, tx, acting, meta, 'user.created', created.id, null, auditedFields(created));
    return created;
  });
  return toAdminUserView(user);
}

/** Reads a user. @throws TesseraError `forbidden`, `user_not_found`. */
export async function getUser(deps: ServiceDeps, caller: Caller, id: string): Promise<AdminUserView> {
  const userId = parseUserId(id);
  const acting = await resolveActor(deps, caller);
  const user = await translateStoreErrors(() => loadAuthorizedTarget(deps, deps.store, acting.actor, 'users:read', userId));
  return toAdminUserView(user);
}

/**
 * Changes a user's email, username, verification flag or profile. Role and status have
 * operations of their own. A changed email ends the user's sessions and notifies the previous address.
 *
 * @throws TesseraError `forbidden`, `user_not_found`, `email_taken`, `username_taken`.
 */
export async function updateUser(deps: ServiceDeps, caller: Caller, id: string, input: UpdateUserInput, meta: RequestMeta = {}): Promise<AdminUserView> {
  const userId = parseUserId(id);
  const { email, username, emailVerified, profile } = parseInput(updateUserInputSchema, input);
  const newUsername = username === undefined ? undefined : chosenUsernameOf(deps, username, 'username');
  return transact(deps, async (tx) => {
    const acting = await resolveActor(deps, caller, tx);
    const user = await loadAuthorizedTarget(deps, tx, acting.actor, 'users:update', userId);
    const now = deps.clock.now();
    const emailChanges = email !== undefined && email !== user.email;
    const patch: UserPatch = {
      ...(emailChanges && { email, sessionsValidAfter: revocationInstant(now) }),
      ...(emailVerified !== undefined && { emailVerifiedAt: emailVerified ? (user.emailVerifiedAt ?? now) : null }),
      ...(emailChanges && emailVerified === undefined && { emailVerifiedAt: null }),
      ...(newUsername !== undefined && { username: newUsername }),
      ...(profile && { profile: withValidatedCustomProfile(deps, profile, user.profile.custom) }),
      updatedAt: now,
    };
    const updated = (await tx.users.update(user.id, patch)) ?? user;
    if (emailChanges) {
      await tx.refreshTokens.revokeAllForUser(user.id, now);
      await deps.events.publish(tx, 'user.email_changed', { user: toEventUser(updated), previousEmail: user.email, by: 'admin' });
      if (updated.emailVerifiedAt === null) await issueVerification(deps, tx, updated, 'user.verification_resent');
    }
    await appendAudit(deps, tx, acting, meta, 'user.updated', user.id, auditedFields(user), auditedFields(updated));
    return toAdminUserView(updated);
  });
}

/**
 * Deletes a user. The last active admin cannot be deleted.
 *
 * @throws TesseraError `forbidden`, `user_not_found`, `last_admin`.
 */
export async function deleteUser(deps: ServiceDeps, caller: Caller, id: string, meta: RequestMeta = {}): Promise<void> {
  const userId = parseUserId(id);
  await transact(deps, async (tx) => {
    const acting = await resolveActor(deps, caller, tx);
    const user = await loadAuthorizedTarget(deps, tx, acting.actor, 'users:delete', userId);
    await ensureAnotherAdminRemains(tx, user);
    await deleteWithErasure(deps, tx, acting, meta, user, 'admin');
  });
}

/**
 * Changes a user's role. A manager can neither grant ADMIN nor touch an admin; nobody changes
 * their own role; the last active admin cannot be demoted. The user's sessions end, so the new
 * role applies at their next login (access tokens already issued keep the old role claim until
 * they expire; privileged operations re-read the role at once).
 *
 * @throws TesseraError `forbidden`, `user_not_found`, `last_admin`.
 */
export async function setUserRole(deps: ServiceDeps, caller: Caller, id: string, input: SetUserRoleInput, meta: RequestMeta = {}): Promise<AdminUserView> {
  const userId = parseUserId(id);
  const { role } = parseInput(setUserRoleInputSchema, input);
  return transact(deps, async (tx) => {
    const acting = await resolveActor(deps, caller, tx);
    const user = await loadAuthorizedTarget(deps, tx, acting.actor, 'users:set-role', userId);
    if (!deps.authorizer.canAssignRole(acting.actor, role)) throw new TesseraError('forbidden', `You may not grant the role ${role}.`);
    if (user.role === role) return toAdminUserView(user);
    if (user.role === 'ADMIN') await ensureAnotherAdminRemains(tx, user);
    const now = deps.clock.now();
    const updated = (await tx.users.update(user.id, { role, sessionsValidAfter: revocationInstant(now), updatedAt: now })) ?? user;
    await tx.refreshTokens.revokeAllForUser(user.id, now);
    await deps.events.publish(tx, 'user.role_changed', { user: toEventUser(updated), from: user.role, to: role });
    await appendAudit(deps, tx, acting, meta, 'user.role_changed', user.id, { role: user.role }, { role });
    return toAdminUserView(updated);
  });
}

/** The status changes an administrator can make, with what each needs and does. */
const statusChanges = {
  lock: { action: 'users:lock', audit: 'user.locked', to: 'locked', endsSessions: true },
  suspend: { action: 'users:suspend', audit: 'user.suspended', to: 'suspended', endsSessions: true },
  unlock: { action: 'users:unlock', audit: 'user.unlocked', to: 'active', endsSessions: false },
  reactivate: { action: 'users:reactivate', audit: 'user.reactivated', to: 'active', endsSessions: false },
} as const;

/** An administrative status change. */
export type StatusChange = keyof typeof statusChanges;

/**
 * Locks, suspends, unlocks or reactivates a user. Locking and suspending end the user's
 * sessions (and count as removing an admin for the last-admin rule); unlocking also lifts a
 * temporary lockout after failed logins.
 *
 * @throws TesseraError `forbidden`, `user_not_found`, `last_admin`.
 */
export async function changeUserStatus(deps: ServiceDeps, caller: Caller, id: string, change: StatusChange, meta: RequestMeta = {}): Promise<AdminUserView> {
  const userId = parseUserId(id);
  const rule = statusChanges[change];
  return transact(deps, async (tx) => {
    const acting = await resolveActor(deps, caller, tx);
    const user = await loadAuthorizedTarget(deps, tx, acting.actor, rule.action, userId);
    if (rule.endsSessions && user.role === 'ADMIN') await ensureAnotherAdminRemains(tx, user);
    const now = deps.clock.now();
    const clearsLockout = change === 'unlock';
    const updated =
      (await tx.users.update(user.id, {
        status: rule.to,
        ...(clearsLockout && { lockedUntil: null, failedLoginCount: 0, lockoutCount: 0 }),
        ...(rule.endsSessions && { sessionsValidAfter: revocationInstant(now) }),
        updatedAt: now,
      })) ?? user;
    if (rule.endsSessions) await tx.refreshTokens.revokeAllForUser(user.id, now);
    await publishStatusEvent(deps, tx, change, updated);
    await appendAudit(deps, tx, acting, meta, rule.audit, user.id, statusFields(user), statusFields(updated));
    return toAdminUserView(updated);
  });
}

/**
 * Refuses a change that would leave no active admin. Call it inside the transaction that makes
 * the change: the store serialises these checks.
 *
 * @throws TesseraError `last_admin`.
 */
export async function ensureAnotherAdminRemains(tx: StoreRepositories, user: UserRecord): Promise<void> {
  if (user.role !== 'ADMIN' || user.status !== 'active') return;
  if ((await tx.users.countOtherActiveAdmins(user.id)) === 0) throw new TesseraError('last_admin');
}

async function publishStatusEvent(deps: ServiceDeps, tx: StoreRepositories, change: StatusChange, user: UserRecord): Promise<void> {
  const eventUser = toEventUser(user);
  switch (change) {
    case 'lock':
      return deps.events.publish(tx, 'user.account_locked', { user: eventUser, reason: 'admin', lockedUntil: null });
    case 'unlock':
      return deps.events.publish(tx, 'user.account_unlocked', { user: eventUser, reason: 'admin' });
    case 'suspend':
      return deps.events.publish(tx, 'user.suspended', { user: eventUser });
    case 'reactivate':
      return deps.events.publish(tx, 'user.reactivated', { user: eventUser });
  }
}

/**
 * Deletes a user and erases their personal data: the row (and by cascade their tokens and
 * sessions) goes, the audit trail keeps only pseudonymous records (ids, roles, statuses), and
 * the deletion itself is audited without personal data. The `user.deleted` event (for the
 * goodbye mail) is the last place the address appears; it is wiped once delivered.
 */
export async function deleteWithErasure(
  deps: ServiceDeps,
  tx: StoreRepositories,
  acting: ResolvedActor,
  meta: RequestMeta,
  user: UserRecord,
  by: 'self' | 'admin',
): Promise<void> {
  await deps.events.publish(tx, 'user.deleted', { user: toEventUser(user), by });
  await tx.users.delete(user.id);
  await tx.audit.eraseSubject(user.id);
  await appendAudit(deps, tx, acting, by === 'self' ? {} : meta, 'user.deleted', user.id, { role: user.role, status: user.status }, null);
}

/** Appends an audit entry for an administrative action. */
export async function appendAudit(
  deps: ServiceDeps,
  tx: StoreRepositories,
  acting: ResolvedActor,
  meta: RequestMeta,
  action: string,
  targetId: string | null,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Promise<void> {
  await tx.audit.append({
    id: newUuidV7(deps.clock, deps.random),
    at: deps.clock.now(),
    actorId: acting.user?.id ?? null,
    actorLabel: acting.label,
    action,
    targetId,
    before,
    after,
    ipAddress: meta.ipAddress ?? null,
    userAgent: meta.userAgent ?? null,
  });
}

function auditedFields(user: UserRecord): Record<string, unknown> {
  return {
    email: user.email,
    username: user.username,
    role: user.role,
    status: user.status,
    emailVerified: user.emailVerifiedAt !== null,
    profile: { ...user.profile },
  };
}

function statusFields(user: UserRecord): Record<string, unknown> {
  return { status: user.status, lockedUntil: user.lockedUntil?.toISOString() ?? null };
}
