import { TesseraError } from '../errors.js';
import { checkNewPassword, normalizePassword } from '../password/password-policy.js';
import type { StoreRepositories, UserRecord } from '../ports/store.js';
import {
  changePasswordInputSchema,
  deleteAccountInputSchema,
  updateMeInputSchema,
  type ChangePasswordInput,
  type DeleteAccountInput,
  type SessionTokens,
  type UpdateMeInput,
} from '../schemas/account.js';
import { toUserView, type UserView } from '../schemas/user-view.js';
import type { Principal } from '../tokens/access-token.js';
import { parseInput } from '../validation.js';
import { withValidatedCustomProfile } from './custom-profile.js';
import { failedLoginPolicy, temporarilyLocked } from './login.js';
import { authorize, resolveActor, revocationInstant, toEventUser, transact, translateStoreErrors, type RequestMeta, type ServiceDeps } from './service-deps.js';
import { startSession } from './sessions.js';
import { deleteWithErasure, ensureAnotherAdminRemains } from './user-administration.js';

/** The caller's own account. @throws TesseraError `unauthenticated`. */
export async function getMe(deps: ServiceDeps, principal: Principal): Promise<UserView> {
  const { user, actor } = await resolveActor(deps, principal);
  authorize(deps, actor, 'account:read');
  return toUserView(user!);
}

/**
 * Changes the caller's own profile. Only profile fields are accepted: role, status,
 * verification and pro status cannot be set through this (or any self-service) call.
 *
 * @throws TesseraError `validation_failed`, `unauthenticated`.
 */
export async function updateMe(deps: ServiceDeps, principal: Principal, input: UpdateMeInput): Promise<UserView> {
  const { profile } = parseInput(updateMeInputSchema, input);
  const { user, actor } = await resolveActor(deps, principal);
  authorize(deps, actor, 'account:update');
  const change = withValidatedCustomProfile(deps, profile, user!.profile.custom);
  const updated = await translateStoreErrors(() => deps.store.users.update(user!.id, { ...(change && { profile: change }), updatedAt: deps.clock.now() }));
  if (!updated) throw new TesseraError('unauthenticated');
  return toUserView(updated);
}

/**
 * Changes the caller's password. The current password is required (a stolen access token
 * alone cannot take the account over; wrong guesses count toward the lockout). Every session
 * ends, and a new one is started for the caller.
 *
 * @throws TesseraError `invalid_current_password`, `weak_password`, `account_locked`, `unauthenticated`.
 */
export async function changePassword(deps: ServiceDeps, principal: Principal, input: ChangePasswordInput, meta: RequestMeta = {}): Promise<SessionTokens> {
  const { currentPassword, newPassword } = parseInput(changePasswordInputSchema, input);
  const { user, actor } = await resolveActor(deps, principal);
  authorize(deps, actor, 'account:change-password');
  await confirmPassword(deps, user!, currentPassword);
  const passwordHash = await deps.hasher.hash(await checkNewPassword(deps.options.password, newPassword, 'newPassword', { appName: deps.options.appName, email: user!.email, username: user!.username }));
  return transact(deps, async (tx) => {
    const now = deps.clock.now();
    const updated = await tx.users.update(user!.id, { passwordHash, sessionsValidAfter: revocationInstant(now), updatedAt: now });
    if (!updated) throw new TesseraError('unauthenticated');
    await tx.refreshTokens.revokeAllForUser(updated.id, now);
    await tx.oneTimeTokens.deleteForUser(updated.id, 'reset_password');
    await deps.events.publish(tx, 'user.password_changed', { user: toEventUser(updated), via: 'change' });
    return startSession(deps, tx, updated, meta);
  });
}

/**
 * Deletes the caller's own account, confirmed with the password. The last active admin
 * cannot delete itself.
 *
 * @throws TesseraError `invalid_current_password`, `last_admin`, `unauthenticated`.
 */
export async function deleteMe(deps: ServiceDeps, principal: Principal, input: DeleteAccountInput): Promise<void> {
  const { password } = parseInput(deleteAccountInputSchema, input);
  const { user, actor } = await resolveActor(deps, principal);
  authorize(deps, actor, 'account:delete');
  await confirmPassword(deps, user!, password);
  await transact(deps, async (tx: StoreRepositories) => {
    const current = await tx.users.findById(user!.id);
    if (!current) throw new TesseraError('unauthenticated');
    await ensureAnotherAdminRemains(tx, current);
    await deleteWithErasure(deps, tx, { actor: { id: current.id, role: current.role }, user: current, label: `user:${current.id}` }, {}, current, 'self');
  });
  deps.logger.info({ userId: user!.id }, 'tessera: account deleted by its owner');
}

/** Checks a password the caller typed to confirm an action; failures count toward the lockout. */
export async function confirmPassword(deps: ServiceDeps, user: UserRecord, password: string): Promise<void> {
  const candidate = normalizePassword(password);
  const now = deps.clock.now();
  if (user.lockedUntil && user.lockedUntil > now) throw temporarilyLocked(user.lockedUntil, now);
  if (user.passwordHash && (await deps.hasher.verify(user.passwordHash, candidate))) return;
  if (user.passwordHash === null) await deps.hasher.verify(await deps.dummyHash(), candidate);
  const counted = await transact(deps, (tx) => tx.users.recordFailedLogin(user.id, failedLoginPolicy(deps, now)));
  if (counted?.lockedNow && counted.lockedUntil) throw temporarilyLocked(counted.lockedUntil, now);
  throw new TesseraError('invalid_current_password');
}
