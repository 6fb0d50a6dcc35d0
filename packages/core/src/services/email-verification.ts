import { TesseraError } from '../errors.js';
import { emailInputSchema, tokenInputSchema, type EmailInput, type TokenInput } from '../schemas/account.js';
import { toUserView, type UserView } from '../schemas/user-view.js';
import { hashToken, parseRawToken } from '../tokens/opaque-token.js';
import { parseInput } from '../validation.js';
import { issueVerification } from './registration.js';
import { uniformTiming } from './uniform-timing.js';
import { toEventUser, transact, translateStoreErrors, type RequestMeta, type ServiceDeps } from './service-deps.js';

/**
 * Verifies an email address with the token from the verification mail. The token is spent in
 * the same statement that finds it, so of two concurrent uses exactly one verifies; it only
 * verifies the address it was issued for.
 *
 * @throws TesseraError `invalid_token` for an unknown, used, expired or superseded token.
 */
export async function verifyEmail(deps: ServiceDeps, input: TokenInput, meta: RequestMeta = {}): Promise<UserView> {
  await deps.rateLimiter.consume('tokenSubmit', meta.ipAddress);
  const raw = parseRawToken(parseInput(tokenInputSchema, input).token);
  if (!raw) throw new TesseraError('invalid_token');
  const tokenHash = await hashToken(raw);
  const now = deps.clock.now();
  return transact(deps, async (tx) => {
    const token = await tx.oneTimeTokens.consume(tokenHash, 'verify_email', now);
    if (!token) throw new TesseraError('invalid_token');
    const user = await tx.users.findById(token.userId);
    if (!user || user.email !== token.email) throw new TesseraError('invalid_token');
    if (user.emailVerifiedAt !== null) return toUserView(user);
    const verified = await tx.users.update(user.id, { emailVerifiedAt: now, updatedAt: now });
    await deps.events.publish(tx, 'user.email_verified', { user: toEventUser(user) });
    return toUserView(verified ?? user);
  });
}

/**
 * Sends a new verification mail when the address belongs to an unverified account. Always
 * resolves the same way, whether or not the account exists, in about the same time, so the
 * answer reveals nothing.
 * Limited like `forgotPassword` (per client address, and per address without a change of answer).
 */
export async function resendVerification(deps: ServiceDeps, input: EmailInput, meta: RequestMeta = {}): Promise<void> {
  await deps.rateLimiter.consume('mailPerIp', meta.ipAddress);
  const { email } = parseInput(emailInputSchema, input);
  const timing = uniformTiming(deps, 'resendVerification');
  if (await deps.rateLimiter.count('mailPerAccount', email)) return timing.pad();
  const user = await translateStoreErrors(() => deps.store.users.findByEmail(email));
  if (!user || user.emailVerifiedAt !== null || user.status === 'suspended') return timing.pad();
  await timing.timed(() => transact(deps, (tx) => issueVerification(deps, tx, user, 'user.verification_resent')));
}
