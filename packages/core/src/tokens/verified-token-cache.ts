import type { Principal } from './access-token.js';

/** The time claims a cached answer depends on, in seconds since the epoch (as in the token). */
export interface TokenTimeClaims {
  readonly expiresAtSeconds: number;
  /** `nbf`, when the token carries one. */
  readonly notBeforeSeconds: number | undefined;
}

// Primitives only: no Date or nested object to keep alive (and promote) per remembered token.
interface Entry extends TokenTimeClaims {
  /** The whole token: the key is only its signature, so a hit is confirmed against this. */
  readonly token: string;
  readonly userId: Principal['userId'];
  readonly role: Principal['role'];
  readonly sessionId: string;
  readonly tokenId: string;
  readonly issuedAtMillis: number;
  readonly expiresAtMillis: number;
  /** The insertion count when the entry was (re)inserted: its age in insertions, for recency. */
  insertedAt: number;
}

/**
 * A bounded memory of access tokens that passed a full verification, so a token that a client
 * repeats for its whole lifetime is verified by jose once, not per request.
 *
 * Why the answer never changes: everything jose checks apart from the time (signature, `alg`,
 * `kid`, `typ`, `iss`, `aud`, required claims, claim shapes) depends only on the token string
 * and on the frozen options, which stay the same for the life of the instance. The time checks
 * are repeated on every hit, exactly as jose makes them: `exp > now - tolerance` and
 * `nbf <= now + tolerance`, with `now` the injected clock in whole seconds. Failures are
 * never remembered, so a token refused once is verified again in full next time.
 *
 * A hit is the whole token, character for character: the map is keyed by the signature segment
 * (hashing 86 characters instead of the whole token costs less on every request) and the entry
 * keeps the whole token to compare. The token is already in this process's memory (the request
 * holds it), and hashing it with a cryptographic hash would cost more than the lookup saves;
 * anyone who can read the process's memory can read the signing key too. The cache never
 * leaves the process.
 *
 * Recency without work on every hit: a hit moves its entry to the back only once the entry has
 * aged by half the bound, so a token in use survives at least `maxEntries / 2` new tokens after
 * its last use, and the repeated token of a busy client costs one lookup, not a reordering.
 */
export class VerifiedTokenCache {
  readonly #maxEntries: number;
  readonly #halfLife: number;
  readonly #toleranceSeconds: number;
  // A Map iterates in insertion order: the first entry is the one to forget first.
  readonly #entries = new Map<string, Entry>();
  #insertions = 0;

  /**
   * @param maxEntries - the most tokens remembered; the least recently used go first beyond it.
   * @param clockToleranceSeconds - the leeway jose is given for `exp` and `nbf`.
   */
  constructor(maxEntries: number, clockToleranceSeconds: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError('VerifiedTokenCache: maxEntries must be a positive integer');
    this.#maxEntries = maxEntries;
    this.#halfLife = Math.ceil(maxEntries / 2);
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
    const key = signatureOf(token);
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.token !== token) return null;
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (entry.expiresAtSeconds <= nowSeconds - this.#toleranceSeconds) {
      this.#entries.delete(key);
      return null;
    }
    // Only a clock that went back can make a token "not yet valid" again; jose would refuse it.
    if (entry.notBeforeSeconds !== undefined && entry.notBeforeSeconds > nowSeconds + this.#toleranceSeconds) return null;
    if (this.#insertions - entry.insertedAt >= this.#halfLife) {
      this.#entries.delete(key);
      this.#append(key, entry);
    }
    return principalOf(entry);
  }

  /** Remembers a token that jose has just accepted, forgetting the least recently used beyond the bound. */
  remember(token: string, principal: Principal, time: TokenTimeClaims): void {
    const key = signatureOf(token);
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
    this.#append(key, {
      token,
      userId: principal.userId,
      role: principal.role,
      sessionId: principal.sessionId,
      tokenId: principal.tokenId,
      issuedAtMillis: principal.issuedAt.getTime(),
      expiresAtMillis: principal.expiresAt.getTime(),
      expiresAtSeconds: time.expiresAtSeconds,
      notBeforeSeconds: time.notBeforeSeconds,
      insertedAt: 0,
    });
  }

  /** Puts an entry (not in the map) at the back, as the most recently used. */
  #append(key: string, entry: Entry): void {
    entry.insertedAt = ++this.#insertions;
    this.#entries.set(key, entry);
  }
}

/** The compact JWS's last segment; the whole string when it has no dot (never a hit then). */
function signatureOf(token: string): string {
  return token.slice(token.lastIndexOf('.') + 1);
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
