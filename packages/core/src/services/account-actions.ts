import { z } from 'zod';
import { userRoles } from '../auth/roles.js';
import { isTesseraError, type ErrorCode } from '../errors.js';
import type { UserListPosition, UserSortField } from '../ports/store.js';
import { toAdminUserView, type AdminUserView } from '../schemas/user-view.js';
import { parseInput } from '../validation.js';
import { issuePasswordReset } from './password-recovery.js';
import { authorize, loadAuthorizedTarget, parseUserId, resolveActor, revocationInstant, transact, translateStoreErrors, type Caller, type RequestMeta, type ServiceDeps } from './service-deps.js';
import { appendAudit, changeUserStatus, deleteUser, setUserRole } from './user-administration.js';
import { positionOf, toUserFilter, userFilterFields, userSortValues } from './user-listing.js';

/** `resetUserPassword` input. */
export const resetUserPasswordInputSchema = z.strictObject({
  /** Also make the current password stop working until the user sets a new one. @default false */
  invalidateCurrentPassword: z.boolean().default(false),
});
export type ResetUserPasswordInput = z.input<typeof resetUserPasswordInputSchema>;

/**
 * Starts a password reset for a user: mails them a reset link (the administrator never
 * chooses or sees a password) and ends their sessions; optionally the current password stops
 * working at once (for a compromised account).
 *
 * @throws TesseraError `forbidden`, `user_not_found`.
 */
export async function resetUserPassword(deps: ServiceDeps, caller: Caller, id: string, input: ResetUserPasswordInput = {}, meta: RequestMeta = {}): Promise<AdminUserView> {
  const userId = parseUserId(id);
  const { invalidateCurrentPassword } = parseInput(resetUserPasswordInputSchema, input);
  return transact(deps, async (tx) => {
    const acting = await resolveActor(deps, caller, tx);
    const user = await loadAuthorizedTarget(deps, tx, acting.actor, 'users:reset-password', userId);
    const now = deps.clock.now();
    const updated =
      (await tx.users.update(user.id, {
        sessionsValidAfter: revocationInstant(now),
        ...(invalidateCurrentPassword && { passwordHash: null }),
        updatedAt: now,
      })) ?? user;
    await tx.refreshTokens.revokeAllForUser(user.id, now);
    await issuePasswordReset(deps, tx, updated, 'admin');
    await appendAudit(deps, tx, acting, meta, 'user.password_reset_started', user.id, { hasPassword: user.passwordHash !== null }, { hasPassword: updated.passwordHash !== null });
    return toAdminUserView(updated);
  });
}

const bulkIds = z
  .array(z.string().max(64))
  .min(1)
  .max(100)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an id');

/** `bulkUsers` input: one action for up to 100 users. */
export const bulkUsersInputSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.enum(['lock', 'unlock', 'suspend', 'reactivate', 'delete', 'resetPassword']), ids: bulkIds }),
  z.strictObject({ action: z.literal('setRole'), ids: bulkIds, role: z.enum(userRoles) }),
]);
export type BulkUsersInput = z.input<typeof bulkUsersInputSchema>;

/** What happened to one user of a bulk action. */
export type BulkResult =
  | { readonly id: string; readonly ok: true; readonly user: AdminUserView | null }
  | { readonly id: string; readonly ok: false; readonly code: ErrorCode; readonly message: string };

/**
 * Applies one action to many users, each on its own (its own transaction, permission check
 * and audit entry), and reports per id: some may succeed while others are refused.
 *
 * @throws TesseraError `validation_failed` for the input as a whole; per-user refusals are results.
 */
export async function bulkUsers(deps: ServiceDeps, caller: Caller, input: BulkUsersInput, meta: RequestMeta = {}): Promise<BulkResult[]> {
  const parsed = parseInput(bulkUsersInputSchema, input);
  const results: BulkResult[] = [];
  for (const id of parsed.ids) {
    try {
      const user = await applyOne(deps, caller, parsed, id, meta);
      results.push({ id, ok: true, user });
    } catch (error) {
      if (!isTesseraError(error) || error.code === 'store_unavailable') throw error;
      results.push({ id, ok: false, code: error.code, message: error.message });
    }
  }
  return results;
}

function applyOne(deps: ServiceDeps, caller: Caller, input: z.output<typeof bulkUsersInputSchema>, id: string, meta: RequestMeta): Promise<AdminUserView | null> {
  switch (input.action) {
    case 'setRole':
      return setUserRole(deps, caller, id, { role: input.role }, meta);
    case 'delete':
      return deleteUser(deps, caller, id, meta).then(() => null);
    case 'resetPassword':
      return resetUserPassword(deps, caller, id, {}, meta);
    default:
      return changeUserStatus(deps, caller, id, input.action, meta);
  }
}

/** `exportUsers` input: the filters and sort of `listUsers`, without paging. */
export const exportUsersInputSchema = z.strictObject({
  ...userFilterFields,
  /** @default 'createdAt' (oldest first) */
  sort: z.enum(userSortValues).default('createdAt'),
});
export type ExportUsersInput = z.input<typeof exportUsersInputSchema>;

const exportBatchSize = 500;

/**
 * Every user matching the filters, in the sort order, read in keyset batches: memory stays
 * flat whatever the number of users. Admins only.
 *
 * @throws TesseraError `forbidden`, `validation_failed` (before the first user is yielded).
 */
export async function* exportUsers(deps: ServiceDeps, caller: Caller, input: ExportUsersInput = {}): AsyncGenerator<AdminUserView, void, undefined> {
  const parsed = parseInput(exportUsersInputSchema, input);
  const acting = await resolveActor(deps, caller);
  authorize(deps, acting.actor, 'users:export');
  const direction = parsed.sort.startsWith('-') ? 'desc' : 'asc';
  const field = parsed.sort.replace(/^-/, '') as UserSortField;
  const filter = toUserFilter(parsed);
  let after: UserListPosition | undefined;
  for (;;) {
    const batch = await translateStoreErrors(() => deps.store.users.list({ filter, sort: { field, direction }, limit: exportBatchSize, ...(after && { after }) }));
    for (const user of batch) yield toAdminUserView(user);
    const last = batch[batch.length - 1];
    if (!last || batch.length < exportBatchSize) return;
    after = positionOf(last, field);
  }
}
