import { TesseraError } from '../errors.js';
import { checkNewPassword } from '../password/password-policy.js';
import { emailInputSchema, resetPasswordInputSchema, type EmailInput, type ResetPasswordInput } from '../schemas/account.js';
import { hashToken, newRawToken, parseRawToken } from '../tokens/opaque-token.js';
import type { StoreRepositories, UserRecord } from '../ports/store.js';
import { parseInput } from '../validation.js';
import { uniformTiming } from './uniform-timing.js';
import { revocationInstant, secondsFrom, toEventUser, transact, translateStoreErrors, type RequestMeta, type ServiceDeps } from './service-deps.js';

/**
 * Starts a password reset: when the address belongs to an account, issues a reset token
 * (newest-only) and publishes the event that mails it. Always resolves the same way, whether
 * or not the account exists, in about the same time (see `UniformTiming`). Limited per client address (`rateLimits.mailPerIp`: `rate_limited`)
 * and per address (`rateLimits.mailPerAccount`: past it, nothing is sent, and the answer is the same).
 */
export async function forgotPassword(deps: ServiceDeps, input: EmailInput, meta: RequestMeta = {}): Promise<void> {
  await deps.rateLimiter.consume('mailPerIp', meta.ipAddress);
  const { email } = parseInput(emailInputSchema, input);
  const timing = uniformTiming(deps, 'forgotPassword');
  // Past the per-account limit the answer stays the same; only no mail goes out.
  if (await deps.rateLimiter.count('mailPerAccount', email)) return timing.pad();
  const user = await translateStoreErrors(() => deps.store.users.findByEmail(email));
  if (!user || user.status === 'suspended') return timing.pad();
  await timing.timed(() => transact(deps, (tx) => issuePasswordReset(deps, tx, user, 'user')));
}

/** Issues a reset token (newest-only) and publishes the event that mails it, in the caller's transaction. */
export async function issuePasswordReset(deps: ServiceDeps, tx: StoreRepositories, user: UserRecord, initiatedBy: 'user' | 'admin'): Promise<void> {
  const now = deps.clock.now();
  const token = newRawToken(deps.random);
  const expiresAt = secondsFrom(now, deps.options.passwordReset.tokenTtlSeconds);
  await tx.oneTimeTokens.issue({ tokenHash: await hashToken(token), userId: user.id, purpose: 'reset_password', email: user.email, expiresAt, createdAt: now });
  await deps.events.publish(tx, 'user.password_reset_requested', { user: toEventUser(user), initiatedBy }, { reset: { token, expiresAt: expiresAt.toISOString() } });
}

/**
 * Sets a new password with the token from the reset mail. The new password is checked before
 * the token is spent, so a refused password does not burn the token. On success every
 * session of the user ends, a temporary lock is lifted and the address counts as verified
 * (the mail reached its owner).
 *
 * @throws TesseraError `invalid_token`, `weak_password`.
 */
export async function resetPassword(deps: ServiceDeps, input: ResetPasswordInput, meta: RequestMeta = {}): Promise<void> {
  await deps.rateLimiter.consume('tokenSubmit', meta.ipAddress);
  const { token, password } = parseInput(resetPasswordInputSchema, input);
  const raw = parseRawToken(token);
  if (!raw) throw new TesseraError('invalid_token');
  const tokenHash = await hashToken(raw);
  const pending = await translateStoreErrors(() => deps.store.oneTimeTokens.find(tokenHash, 'reset_password', deps.clock.now()));
  if (!pending) throw new TesseraError('invalid_token');
  const owner = await translateStoreErrors(() => deps.store.users.findById(pending.userId));
  const passwordContext = { appName: deps.options.appName, email: pending.email, username: owner?.username };
  const passwordHash = await deps.hasher.hash(await checkNewPassword(deps.options.password, password, 'password', passwordContext));

  const userId = await transact(deps, async (tx) => {
    const now = deps.clock.now();
    const spent = await tx.oneTimeTokens.consume(tokenHash, 'reset_password', now);
    const user = spent && (await tx.users.findById(spent.userId));
    if (!spent || !user || user.email !== spent.email) throw new TesseraError('invalid_token');
    const wasLocked = user.lockedUntil !== null && user.lockedUntil > now;
    await tx.users.update(user.id, {
      passwordHash,
      failedLoginCount: 0,
      lockoutCount: 0,
      lockedUntil: null,
      emailVerifiedAt: user.emailVerifiedAt ?? now,
      sessionsValidAfter: revocationInstant(now),
      updatedAt: now,
    });
    await tx.refreshTokens.revokeAllForUser(user.id, now);
    await deps.events.publish(tx, 'user.password_changed', { user: toEventUser(user), via: 'reset' });
    if (wasLocked) await deps.events.publish(tx, 'user.account_unlocked', { user: toEventUser(user), reason: 'password_reset' });
    return user.id;
  });
  deps.logger.info({ userId }, 'tessera: password reset');
}
