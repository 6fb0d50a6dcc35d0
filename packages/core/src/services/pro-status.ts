import { z } from 'zod';
import { TesseraError } from '../errors.js';
import type { UserProfile, UserRecord } from '../ports/store.js';
import { toAdminUserView, toUserView, type AdminUserView, type UserView } from '../schemas/user-view.js';
import type { Principal } from '../tokens/access-token.js';
import { parseInput } from '../validation.js';
import { appendAudit } from './user-administration.js';
import { authorize, loadAuthorizedTarget, parseUserId, resolveActor, toEventUser, transact, type Caller, type RequestMeta, type ServiceDeps } from './service-deps.js';

/** `decidePro` input: approve or reject a pending request, or revoke granted pro status. */
export const decideProInputSchema = z.strictObject({
  decision: z.enum(['approve', 'reject', 'revoke']),
  /** Shown to the user with a rejection or revocation. */
  reason: z.string().trim().min(1).max(500).optional(),
});
export type DecideProInput = z.input<typeof decideProInputSchema>;

/** The pro statuses from which a user may ask (again). */
const requestableFrom = new Set(['none', 'rejected', 'revoked']);

/** Which required profile fields a user has not filled in yet. */
export function missingProfileFields(deps: ServiceDeps, profile: UserProfile): string[] {
  return deps.options.pro.requiredProfileFields.filter((field) => !profile[field]);
}

/**
 * Asks for pro status. Only a user whose profile is complete (`pro.requiredProfileFields`)
 * may ask; the request waits for a manager or admin.
 *
 * @throws TesseraError `validation_failed` listing the missing profile fields, `conflict` when
 * a request is pending or pro status is granted, `unauthenticated`.
 */
export async function requestPro(deps: ServiceDeps, principal: Principal, meta: RequestMeta = {}): Promise<UserView> {
  return transact(deps, async (tx) => {
    const acting = await resolveActor(deps, principal, tx);
    authorize(deps, acting.actor, 'pro:request');
    const user = acting.user!;
    if (!requestableFrom.has(user.proStatus)) {
      throw new TesseraError('conflict', user.proStatus === 'pending' ? 'A pro request is already pending.' : 'Pro status is already granted.');
    }
    const missing = missingProfileFields(deps, user.profile);
    if (missing.length > 0) {
      throw new TesseraError('validation_failed', 'Complete your profile before requesting pro status.', {
        details: { fields: missing.map((field) => ({ path: `profile.${field}`, code: 'required', message: 'is required for pro status' })) },
      });
    }
    const now = deps.clock.now();
    const updated = (await tx.users.update(user.id, { proStatus: 'pending', proStatusChangedAt: now, proStatusReason: null, updatedAt: now })) ?? user;
    await deps.events.publish(tx, 'pro.requested', { user: toEventUser(updated) });
    await appendAudit(deps, tx, acting, meta, 'pro.requested', user.id, { proStatus: user.proStatus }, { proStatus: 'pending' });
    return toUserView(updated);
  });
}

/**
 * Decides on pro status: managers and admins approve or reject a pending request (never
 * their own); admins revoke granted status. Each decision is published and audited.
 *
 * @throws TesseraError `forbidden`, `user_not_found`, `conflict` when the user's pro status does not allow the decision.
 */
export async function decidePro(deps: ServiceDeps, caller: Caller, id: string, input: DecideProInput, meta: RequestMeta = {}): Promise<AdminUserView> {
  const { decision, reason } = parseInput(decideProInputSchema, input);
  const userId = parseUserId(id);
  return transact(deps, async (tx) => {
    const acting = await resolveActor(deps, caller, tx);
    const user = await loadAuthorizedTarget(deps, tx, acting.actor, decision === 'revoke' ? 'pro:revoke' : 'pro:decide', userId);
    const expected = decision === 'revoke' ? 'approved' : 'pending';
    if (user.proStatus !== expected) {
      throw new TesseraError('conflict', `Pro status is "${user.proStatus}"; to ${decision} it must be "${expected}".`);
    }
    const proStatus = ({ approve: 'approved', reject: 'rejected', revoke: 'revoked' } as const)[decision];
    const now = deps.clock.now();
    const updated = (await tx.users.update(user.id, { proStatus, proStatusChangedAt: now, proStatusReason: reason ?? null, updatedAt: now })) ?? user;
    await publishDecision(deps, tx, decision, updated, reason ?? null);
    await appendAudit(deps, tx, acting, meta, `pro.${proStatus}`, user.id, { proStatus: user.proStatus }, { proStatus, reason: reason ?? null });
    return toAdminUserView(updated);
  });
}

async function publishDecision(deps: ServiceDeps, tx: Parameters<typeof appendAudit>[1], decision: 'approve' | 'reject' | 'revoke', user: UserRecord, reason: string | null) {
  const eventUser = toEventUser(user);
  if (decision === 'approve') return deps.events.publish(tx, 'pro.approved', { user: eventUser });
  return deps.events.publish(tx, decision === 'reject' ? 'pro.rejected' : 'pro.revoked', { user: eventUser, reason });
}
