import type { Principal } from './access-token.js';

/** The time claims a cached answer depends on, in seconds since the epoch (as in the token). */
export interface TokenTimeClaims {
  readonly expiresAtSeconds: number;
  /** `nbf`, when the token carries one. */
  readonly notBeforeSeconds: number | undefined;
}

// Primitives only: no Date or nested object to keep alive (and promote) per remembered token.
interface Entry extends TokenTimeClaims {
  readonly userId: Principal['userId'];
  readonly role: Principal['role'];
  readonly sessionId: string;
  readonly tokenId: string;
  readonly issuedAtMillis: number;
  readonly expiresAtMillis: number;
}

/**
 * A bounded least-recently-used memory of access tokens that passed a full verification, so a
 * token that a client repeats for its whole lifetime is verified by jose once, not per request.
 *
 * Why the answer never changes: everything jose checks apart from the time (signature, `alg`,
 * `kid`, `typ`, `iss`, `aud`, required claims, claim shapes) depends only on the token string
 * and on the frozen options, which stay the same for the life of the instance. The time checks
 * are repeated on every hit, exactly as jose makes them: `exp > now - tolerance` and
 * `nbf <= now + tolerance`, with `now` the injected clock in whole seconds. Failures are
 * never remembered, so a token refused once is verified again in full next time.
 *
 * The key is the token string itself: it is already in this process's memory (the request
 * holds it), and hashing it would cost more than the lookup saves; anyone who can read the
 * process's memory can read the signing key too. The cache never leaves the process.
 */
export class VerifiedTokenCache {
  readonly #maxEntries: number;
  readonly #toleranceSeconds: number;
  // A Map iterates in insertion order: re-inserting on a hit keeps the least recently used first.
  readonly #entries = new Map<string, Entry>();

  /**
   * @param maxEntries - the most tokens remembered; the least recently used goes first beyond it.
   * @param clockToleranceSeconds - the leeway jose is given for `exp` and `nbf`.
   */
  constructor(maxEntries: number, clockToleranceSeconds: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError('VerifiedTokenCache: maxEntries must be a positive integer');
    this.#maxEntries = maxEntries;
    this.#toleranceSeconds = clockToleranceSeconds;
  }

  /** How many tokens are remembered now. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The principal of a remembered token that jose would still accept at `now`, or `null`.
   * A remembered token whose time has run out is forgotten.
   */
  get(token: string, now: Date): Principal | null {
    const entry = this.#entries.get(token);
    if (entry === undefined) return null;
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (entry.expiresAtSeconds <= nowSeconds - this.#toleranceSeconds) {
      this.#entries.delete(token);
      return null;
    }
    // Only a clock that went back can make a token "not yet valid" again; jose would refuse it.
    if (entry.notBeforeSeconds !== undefined && entry.notBeforeSeconds > nowSeconds + this.#toleranceSeconds) return null;
    this.#entries.delete(token);
    this.#entries.set(token, entry);
    return principalOf(entry);
  }

  /** Remembers a token that jose has just accepted, forgetting the least recently used beyond the bound. */
  remember(token: string, principal: Principal, time: TokenTimeClaims): void {
    this.#entries.delete(token);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#entries.set(token, {
      userId: principal.userId,
      role: principal.role,
      sessionId: principal.sessionId,
      tokenId: principal.tokenId,
      issuedAtMillis: principal.issuedAt.getTime(),
      expiresAtMillis: principal.expiresAt.getTime(),
      expiresAtSeconds: time.expiresAtSeconds,
      notBeforeSeconds: time.notBeforeSeconds,
    });
  }
}

// Each caller gets its own object and dates: one caller changing its `Date` must not change
// what the next request sees.
function principalOf(entry: Entry): Principal {
  return {
    userId: entry.userId,
    role: entry.role,
    sessionId: entry.sessionId,
    tokenId: entry.tokenId,
    issuedAt: new Date(entry.issuedAtMillis),
    expiresAt: new Date(entry.expiresAtMillis),
  };
}
