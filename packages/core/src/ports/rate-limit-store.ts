/**
 * The port for rate-limit counters. One process can use the in-memory store; several
 * instances need a shared one (PostgreSQL through `@tessera/kysely`, Redis through
 * `@tessera/redis`), or each instance would count alone.
 */
export interface RateLimitStore {
  /**
   * Counts one hit for `key` in a fixed window of `windowSeconds` starting at its first hit,
   * atomically (concurrent hits are all counted). Returns the count so far in the current
   * window and when that window ends.
   */
  hit(key: string, windowSeconds: number, now: Date): Promise<RateLimitCount>;
  /** The count of `key` in its current window, without counting a hit. */
  peek(key: string, now: Date): Promise<RateLimitCount | null>;
  /** Forgets `key` (e.g. a failure counter after a success). */
  reset(key: string): Promise<void>;
}

/** A counter's state. */
export interface RateLimitCount {
  readonly count: number;
  readonly resetAt: Date;
}
