import type { PasswordHash, PasswordHasher, TesseraStore } from '@tessera/core';

/** Thrown inside the transaction to make the store roll it back. */
class DryRunRollback extends Error {
  override readonly name = 'DryRunRollback';
}

/**
 * A store whose transactions always roll back: the services run in full (validation,
 * permissions, the database's unique indexes) and nothing stays written. Reads outside a
 * transaction pass through.
 */
export function dryRunStore(store: TesseraStore): TesseraStore {
  return {
    ...store,
    async transaction(work) {
      let result: Awaited<ReturnType<typeof work>> | undefined;
      const rollback = new DryRunRollback('rolled back: dry run');
      try {
        await store.transaction(async (tx) => {
          result = await work(tx);
          throw rollback;
        });
      } catch (error) {
        if (error !== rollback) throw error;
      }
      return result as Awaited<ReturnType<typeof work>>;
    },
  };
}

/**
 * A hasher for a dry run: the password policy is still checked (before hashing), but no
 * argon2 time is spent, as nothing is stored.
 */
export const dryRunHasher: PasswordHasher = {
  hash: async () => 'dry-run' as PasswordHash,
  verify: async () => false,
  needsRehash: () => false,
};
