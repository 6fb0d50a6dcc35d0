import { base64url } from 'jose';
import { cryptoPrimitives } from '../crypto/crypto-primitives.js';
import type { RandomSource } from '../ports/runtime.js';

/** A secret token as handed to its owner (in a mail link or a token response). Never stored. */
export type RawToken = string & { readonly __brand: 'RawToken' };

/** The SHA-256 digest of a raw token, hex-encoded: the only form a token is stored in. */
export type TokenHash = string & { readonly __brand: 'TokenHash' };

/** 32 random bytes: 256 bits of entropy, well above the 128-bit floor. */
const tokenBytes = 32;
const rawTokenPattern = /^[A-Za-z0-9_-]{43}$/;

/** Draws a new opaque token from the CSPRNG (never a UUID), base64url without padding. */
export function newRawToken(random: RandomSource): RawToken {
  return base64url.encode(random.bytes(tokenBytes)) as RawToken;
}

/**
 * Hashes a token for storage and lookup. Lookups go by digest, so no comparison ever runs on
 * the secret itself and nothing exits early on a partial match of it.
 */
export async function hashToken(token: RawToken): Promise<TokenHash> {
  return (await cryptoPrimitives.sha256Hex(token)) as TokenHash;
}

/**
 * Narrows untrusted input to a token of the right shape. Anything else is answered as an
 * invalid token without touching the database.
 */
export function parseRawToken(value: string): RawToken | null {
  return rawTokenPattern.test(value) ? (value as RawToken) : null;
}

/** A short, non-reversible reference to a token for logs: the first 8 hex digits of its hash. */
export function tokenLogRef(hash: TokenHash): string {
  return hash.slice(0, 8);
}
