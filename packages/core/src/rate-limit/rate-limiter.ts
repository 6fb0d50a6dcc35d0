import { TesseraError } from '../errors.js';
import { rateLimitSubject } from '../http/client-ip.js';
import type { ResolvedOptions } from '../options.js';
import type { RateLimitStore } from '../ports/rate-limit-store.js';
import type { Clock, Logger } from '../ports/runtime.js';

/** The limits Tessera applies, by name (see the `rateLimits` options). */
export type RateLimitRule = 'login' | 'loginFailures' | 'register' | 'mailPerIp' | 'mailPerAccount' | 'tokenSubmit' | 'refresh';

/** Rules counted per client address; the others are per account (email address). */
const perIpRules = new Set<RateLimitRule>(['login', 'loginFailures', 'register', 'mailPerIp', 'tokenSubmit', 'refresh']);

/**
 * Applies the configured limits through a rate-limit store: fixed windows per client address
 * (IPv6 by /64) or per account. A missing subject (a call without a client address, e.g. from
 * the CLI) is not limited by address.
 */
export class RateLimiter {
  readonly #options: ResolvedOptions['rateLimits'];
  readonly #store: RateLimitStore;
  readonly #clock: Clock;
  readonly #logger: Logger;

  constructor(options: ResolvedOptions['rateLimits'], store: RateLimitStore, clock: Clock, logger: Logger) {
    this.#options = options;
    this.#store = store;
    this.#clock = clock;
    this.#logger = logger;
  }

  /**
   * Counts one hit and refuses it when over the limit.
   * @throws TesseraError `rate_limited` with `retryAfterSeconds`; `store_unavailable` when the store fails (fail closed).
   */
  async consume(rule: RateLimitRule, subject: string | null | undefined): Promise<void> {
    const over = await this.count(rule, subject);
    if (over) throw this.#limited(over);
  }

  /** Counts one hit; returns the window's end when it went over the limit, else `null`. */
  async count(rule: RateLimitRule, subject: string | null | undefined): Promise<Date | null> {
    const key = this.#key(rule, subject);
    if (!key) return null;
    const { limit, windowSeconds } = this.#options[rule];
    const result = await this.guarded(() => this.#store.hit(key, windowSeconds, this.#clock.now()));
    return result && result.count > limit ? result.resetAt : null;
  }

  /**
   * Refuses when the limit is already used up, without counting (for failure counters: only
   * failures count, but every attempt is checked).
   * @throws TesseraError `rate_limited`, `store_unavailable`.
   */
  async ensureNotExhausted(rule: RateLimitRule, subject: string | null | undefined): Promise<void> {
    const key = this.#key(rule, subject);
    if (!key) return;
    const current = await this.guarded(() => this.#store.peek(key, this.#clock.now()));
    if (current && current.count >= this.#options[rule].limit) throw this.#limited(current.resetAt);
  }

  /** The state of a counter, for rules that answer differently near a limit (phantom lockouts). */
  async peek(rule: RateLimitRule, subject: string): Promise<{ count: number; resetAt: Date } | null> {
    const key = this.#key(rule, subject);
    return key ? this.guarded(() => this.#store.peek(key, this.#clock.now())) : null;
  }

  /** Forgets a counter. */
  async reset(rule: RateLimitRule, subject: string | null | undefined): Promise<void> {
    const key = this.#key(rule, subject);
    if (key) await this.guarded(() => this.#store.reset(key));
  }

  #key(rule: RateLimitRule, subject: string | null | undefined): string | null {
    if (!this.#options.enabled || !subject) return null;
    return `${rule}:${perIpRules.has(rule) ? rateLimitSubject(subject) : subject}`;
  }

  #limited(resetAt: Date): TesseraError {
    const retryAfterSeconds = Math.max(1, Math.ceil((resetAt.getTime() - this.#clock.now().getTime()) / 1000));
    return new TesseraError('rate_limited', 'Too many requests; try again later.', { details: { retryAfterSeconds } });
  }

  /**
   * Runs work on the rate-limit store: a failure is logged, then refused with 503
   * `store_unavailable` (`onStoreFailure: 'closed'`) or answered `null` (`'open'`).
   */
  async guarded<T>(work: () => Promise<T>): Promise<T | null> {
    try {
      return await work();
    } catch (error) {
      this.#logger.error({ err: error instanceof Error ? error.message : String(error) }, 'tessera: the rate-limit store failed');
      if (this.#options.onStoreFailure === 'open') return null;
      throw new TesseraError('store_unavailable', undefined, { cause: error });
    }
  }
}
