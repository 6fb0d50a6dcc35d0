import type { ServiceDeps } from './service-deps.js';
import { temporarilyLocked } from './login.js';

const day = 86_400;

/**
 * The lockout of addresses that have no account (or no password). A real account locks after
 * `lockout.maxFailedAttempts` failures and answers `account_locked`; if unknown addresses never
 * did, the lock itself would tell an attacker which addresses are registered. So unknown
 * addresses count failures too — in the rate-limit store, under the same rule (threshold,
 * failure window, a lock that doubles with each lock in a row up to `lockout.maxLockSeconds`) —
 * and answer exactly as a real account would.
 */
export class PhantomLockout {
  readonly #deps: ServiceDeps;

  constructor(deps: ServiceDeps) {
    this.#deps = deps;
  }

  /** @throws TesseraError `account_locked` while the address is phantom-locked. */
  async ensureUnlocked(email: string): Promise<void> {
    const now = this.#deps.clock.now();
    const lock = await this.#deps.rateLimiter.guarded(() => this.#deps.rateLimitStore.peek(`phantom-lock:${email}`, now));
    if (lock) throw temporarilyLocked(lock.resetAt, now);
  }

  /**
   * Counts one failure; at the threshold, locks the address.
   * @throws TesseraError `account_locked` when this failure locked it (else the caller answers `invalid_credentials`).
   */
  async countFailure(email: string): Promise<void> {
    const lock = await this.#deps.rateLimiter.guarded(() => this.#lockAfterFailure(email));
    if (lock) throw temporarilyLocked(lock, this.#deps.clock.now());
  }

  /** Counts a failure; returns the lock's end when it locked the address. */
  async #lockAfterFailure(email: string): Promise<Date | null> {
    const { maxFailedAttempts, failureWindowSeconds, lockSeconds, maxLockSeconds } = this.#deps.options.lockout;
    const store = this.#deps.rateLimitStore;
    const now = this.#deps.clock.now();
    const failures = await store.hit(`phantom-failures:${email}`, failureWindowSeconds, now);
    if (failures.count < maxFailedAttempts) return null;
    await store.reset(`phantom-failures:${email}`);
    // Locks in a row double, as for a real account; the run is forgotten after a quiet day.
    const locks = await store.hit(`phantom-locks:${email}`, day, now);
    const seconds = Math.min(lockSeconds * 2 ** Math.min(locks.count - 1, 16), maxLockSeconds);
    return (await store.hit(`phantom-lock:${email}`, seconds, now)).resetAt;
  }
}
