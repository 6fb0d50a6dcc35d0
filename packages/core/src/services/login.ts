import { TesseraError } from '../errors.js';
import { normalizePassword } from '../password/password-policy.js';
import type { FailedLoginPolicy, UserRecord } from '../ports/store.js';
import { loginInputSchema, type LoginInput, type SessionTokens } from '../schemas/account.js';
import { parseInput } from '../validation.js';
import { secondsFrom, toEventUser, transact, translateStoreErrors, type RequestMeta, type ServiceDeps } from './service-deps.js';
import { PhantomLockout } from './phantom-lockout.js';
import { issueSession, newSession } from './sessions.js';

/**
 * Logs a user in with email and password and starts a session.
 *
 * Every path verifies exactly one argon2 hash (a dummy one for unknown or password-less
 * accounts and during a temporary lock), so response times do not tell which accounts exist.
 * A wrong password counts toward the lockout; a success resets the count and, when the hash
 * was made with older parameters, stores a fresh hash. An unknown address locks the same way
 * (a phantom lockout), so a lock tells nothing either. Attempts are limited per client address
 * (`rateLimits.login`), and so are failures (`rateLimits.loginFailures`), which caps how many
 * accounts one address can lock.
 *
 * @throws TesseraError `invalid_credentials` (unknown email or wrong password: the same answer),
 * `account_locked` (with `details.retryAfterSeconds` for a temporary lock), `account_suspended`,
 * `email_not_verified` (when `verification.requiredToLogin`), `rate_limited`, `store_unavailable`.
 */
export async function login(deps: ServiceDeps, input: LoginInput, meta: RequestMeta = {}): Promise<SessionTokens> {
  const clientIp = meta.ipAddress;
  await deps.rateLimiter.consume('login', clientIp);
  await deps.rateLimiter.ensureNotExhausted('loginFailures', clientIp);
  const { email, password } = parseInput(loginInputSchema, input);
  const candidate = normalizePassword(password);
  const now = deps.clock.now();
  const user = await translateStoreErrors(() => deps.store.users.findByEmail(email));
  const failedFromClient = () => deps.rateLimiter.count('loginFailures', clientIp);

  if (!user || user.passwordHash === null) {
    // No account (or no password): the same cost, and the same lockout, as a wrong password.
    await deps.hasher.verify(await deps.dummyHash(), candidate);
    await failedFromClient();
    const phantom = new PhantomLockout(deps);
    await phantom.ensureUnlocked(email);
    await phantom.countFailure(email);
    throw new TesseraError('invalid_credentials');
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    // Locked: the answer must not depend on the password, but the cost stays the same.
    await deps.hasher.verify(await deps.dummyHash(), candidate);
    await failedFromClient();
    throw temporarilyLocked(user.lockedUntil, now);
  }
  if (!(await deps.hasher.verify(user.passwordHash, candidate))) {
    await failedFromClient();
    await countFailure(deps, user, now);
  }

  // The password is right; only now may the answer reveal the account's standing.
  if (user.status === 'suspended') throw new TesseraError('account_suspended');
  if (user.status === 'locked') throw new TesseraError('account_locked', 'The account was locked by an administrator.');
  if (deps.options.verification.requiredToLogin && user.emailVerifiedAt === null) throw new TesseraError('email_not_verified');

  const rehash = deps.hasher.needsRehash(user.passwordHash) ? await deps.hasher.hash(candidate) : null;
  const session = await newSession(deps, user.id, meta);
  const patch = { failedLoginCount: 0, lockoutCount: 0, lockedUntil: null, lastLoginAt: now, ...(rehash && { passwordHash: rehash }), updatedAt: now };
  // One atomic step (one statement on PostgreSQL): the counters, the new session and the cap.
  const updated = await translateStoreErrors(() => deps.store.users.recordLogin(user.id, patch, session.record, deps.options.tokens.maxSessionsPerUser));
  if (!updated) throw new TesseraError('invalid_credentials');
  deps.logger.info({ userId: user.id, rehashed: rehash !== null }, 'tessera: login succeeded');
  return issueSession(deps, updated, session);
}

/**
 * Counts a failed password check and answers it. The failure that reaches the threshold
 * locks the account and publishes `user.account_locked`.
 */
async function countFailure(deps: ServiceDeps, user: UserRecord, now: Date): Promise<never> {
  const outcome = await transact(deps, async (tx) => {
    const counted = await tx.users.recordFailedLogin(user.id, failedLoginPolicy(deps, now));
    if (counted?.lockedNow) {
      await deps.events.publish(tx, 'user.account_locked', {
        user: toEventUser(user),
        reason: 'failed_logins',
        lockedUntil: counted.lockedUntil?.toISOString() ?? null,
      });
    }
    return counted;
  });
  if (outcome?.lockedNow && outcome.lockedUntil) {
    deps.logger.warn({ userId: user.id, lockedUntil: outcome.lockedUntil.toISOString() }, 'tessera: account locked after failed logins');
    throw temporarilyLocked(outcome.lockedUntil, now);
  }
  throw new TesseraError('invalid_credentials');
}

/** The lockout rule at `now`: lock at the threshold, each lock in a row twice the last, capped. */
export function failedLoginPolicy(deps: ServiceDeps, now: Date): FailedLoginPolicy {
  const { maxFailedAttempts, failureWindowSeconds, lockSeconds, maxLockSeconds } = deps.options.lockout;
  const lockUntilByPriorLocks: Date[] = [];
  for (let seconds = lockSeconds; ; seconds *= 2) {
    lockUntilByPriorLocks.push(secondsFrom(now, Math.min(seconds, maxLockSeconds)));
    if (seconds >= maxLockSeconds || lockUntilByPriorLocks.length >= 16) break;
  }
  return { now, windowStart: secondsFrom(now, -failureWindowSeconds), threshold: maxFailedAttempts, lockUntilByPriorLocks };
}

/** The answer during a temporary lockout, with when to try again. */
export function temporarilyLocked(lockedUntil: Date, now: Date): TesseraError {
  const retryAfterSeconds = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
  return new TesseraError('account_locked', 'Too many failed logins; try again later or reset your password.', {
    details: { retryAfterSeconds },
  });
}
