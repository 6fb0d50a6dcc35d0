import type { BootstrapRepository } from '@tessera/core';
import type { Session } from '../executor.js';

/** The bootstrap slot over one session. */
export function bootstrapRepository(session: Session): BootstrapRepository {
  return {
    async claimFirstAdmin() {
      // The primary key admits one row. A concurrent claimer waits on the uncommitted row and
      // gets nothing once it commits (or gets the slot if it rolled back).
      const row = await session.db
        .insertInto('tessera_bootstrap')
        .values({ slot: 'first_admin', claimed_at: new Date() })
        .onConflict((conflict) => conflict.doNothing())
        .returning('slot')
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
