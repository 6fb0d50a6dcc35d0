import type { PasswordHash, PasswordHasher } from '../src/password/password-hasher.js';
import type { TesseraStore } from '../src/ports/store.js';

/** Stands in where a test needs a store-shaped value but no storage (see @tessera/testkit for real ones). */
export const fakeStore = {
  transaction: () => Promise.reject(new Error('no storage in this test')),
  ping: () => Promise.resolve(),
} as unknown as TesseraStore;

/** A hasher for option tests; the real one is exercised by the store suites. */
export const fakeHasher: PasswordHasher = {
  hash: async (password) => `plain:${password}` as PasswordHash,
  verify: async (hash, password) => hash === `plain:${password}`,
  needsRehash: () => false,
};
