import { TesseraError } from '../errors.js';
import { requestEmailChangeInputSchema, tokenInputSchema, type RequestEmailChangeInput, type TokenInput } from '../schemas/account.js';
import { toUserView, type UserView } from '../schemas/user-view.js';
import type { Principal } from '../tokens/access-token.js';
import { hashToken, newRawToken, parseRawToken } from '../tokens/opaque-token.js';
import { parseInput } from '../validation.js';
import { confirmPassword } from './own-account.js';
import { authorize, resolveActor, secondsFrom, toEventUser, transact, translateStoreErrors, type RequestMeta, type ServiceDeps } from './service-deps.js';

/**
 * Starts a change of the caller's email address: the current password confirms it, and a
 * link goes to the NEW address — the change happens only when its owner follows it. The
 * answer is the same whether or not the new address is taken (no account enumeration); a
 * taken address simply gets no link.
 *
 * @throws TesseraError `validation_failed`, `invalid_current_password`, `account_locked`, `unauthenticated`.
 */
export async function requestEmailChange(deps: ServiceDeps, principal: Principal, input: RequestEmailChangeInput): Promise<void> {
  const { newEmail, password } = parseInput(requestEmailChangeInputSchema, input);
  const { user, actor } = await resolveActor(deps, principal);
  authorize(deps, actor, 'account:update');
  await confirmPassword(deps, user!, password);
  if (newEmail === user!.email) return;
  if (await translateStoreErrors(() => deps.store.users.findByEmail(newEmail))) return;
  const now = deps.clock.now();
  const token = newRawToken(deps.random);
  const expiresAt = secondsFrom(now, deps.options.emailChange.tokenTtlSeconds);
  await transact(deps, async (tx) => {
    // The token is bound to the new address: the one it proves.
    await tx.oneTimeTokens.issue({ tokenHash: await hashToken(token), userId: user!.id, purpose: 'change_email', email: newEmail, expiresAt, createdAt: now });
    await deps.events.publish(tx, 'user.email_change_requested', { user: toEventUser(user!), newEmail }, { confirmation: { token, expiresAt: expiresAt.toISOString() } });
  });
}

/**
 * Completes an email change with the token from the link sent to the new address: the address
 * changes and counts as verified, and a notice goes to the previous address (so a hijack does
 * not go unnoticed). Tokens bound to the old address stop working.
 *
 * @throws TesseraError `invalid_token`, `email_taken` (the address was taken meanwhile).
 */
export async function confirmEmailChange(deps: ServiceDeps, input: TokenInput, meta: RequestMeta = {}): Promise<UserView> {
  await deps.rateLimiter.consume('tokenSubmit', meta.ipAddress);
  const raw = parseRawToken(parseInput(tokenInputSchema, input).token);
  if (!raw) throw new TesseraError('invalid_token');
  const tokenHash = await hashToken(raw);
  return transact(deps, async (tx) => {
    const now = deps.clock.now();
    const token = await tx.oneTimeTokens.consume(tokenHash, 'change_email', now);
    const user = token && (await tx.users.findById(token.userId));
    if (!token || !user) throw new TesseraError('invalid_token');
    const updated = await tx.users.update(user.id, { email: token.email, emailVerifiedAt: now, updatedAt: now });
    if (!updated) throw new TesseraError('invalid_token');
    await deps.events.publish(tx, 'user.email_changed', { user: toEventUser(updated), previousEmail: user.email, by: 'self' });
    return toUserView(updated);
  });
}
