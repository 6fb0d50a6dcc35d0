import { createHash } from 'node:crypto';
import type { PasswordHash, PasswordHasher } from '@tessera/core';

/**
 * A SHA-256 "hasher" for fuzzing only: hashing is not under test here, and argon2 at
 * production parameters (≈ 230/s) would let the few valid registrations and logins eat the
 * run. Deterministic, so a seeded user's stored hash says whether its password changed.
 */
export const fastHasher: PasswordHasher = {
  hash: async (password) => fastHash(password),
  verify: async (hash, password) => hash === fastHash(password),
  needsRehash: () => false,
};

/** The hash {@link fastHasher} stores for a password. */
export function fastHash(password: string): PasswordHash {
  return `fuzz-sha256$${createHash('sha256').update(password).digest('hex')}` as PasswordHash;
}
