import type { OneTimeTokenPurpose, OneTimeTokenRecord, OneTimeTokenRepository, TokenHash, UserId } from '@tessera/core';
import type { QueryCreator, Selectable } from 'kysely';
import type { TesseraDatabase, TesseraOneTimeTokensTable } from '../database.js';
import type { Session } from '../executor.js';

/** The one-time tokens repository over one session. */
export function oneTimeTokensRepository(session: Session): OneTimeTokenRepository {
  const { db } = session;
  return {
    async issue(token) {
      // Newest-only: a new token supersedes every earlier one of the same purpose; in one
      // statement where the engine allows it (a data-modifying WITH), else in one transaction.
      const row = {
        token_hash: token.tokenHash,
        user_id: token.userId,
        purpose: token.purpose,
        email: token.email,
        expires_at: token.expiresAt,
        created_at: token.createdAt,
      };
      const earlier = (query: QueryCreator<TesseraDatabase>) => query.deleteFrom('tessera_one_time_tokens').where('user_id', '=', token.userId).where('purpose', '=', token.purpose);
      if (session.capabilities.writableCtes) {
        await db.with('superseded', earlier).insertInto('tessera_one_time_tokens').values(row).execute();
        return;
      }
      await session.atomically(async ({ db: tx }) => {
        await earlier(tx).execute();
        await tx.insertInto('tessera_one_time_tokens').values(row).execute();
      });
    },

    async find(tokenHash, purpose, now) {
      const row = await db
        .selectFrom('tessera_one_time_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('purpose', '=', purpose)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async consume(tokenHash: TokenHash, purpose: OneTimeTokenPurpose, now: Date) {
      // DELETE ... RETURNING: the row goes to exactly one of several concurrent callers.
      const row = await db
        .deleteFrom('tessera_one_time_tokens')
        .where('token_hash', '=', tokenHash)
        .where('purpose', '=', purpose)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async deleteForUser(userId, purpose) {
      await db.deleteFrom('tessera_one_time_tokens').where('user_id', '=', userId).where('purpose', '=', purpose).execute();
    },
  };
}

function toRecord(row: Selectable<TesseraOneTimeTokensTable>): OneTimeTokenRecord {
  return {
    tokenHash: row.token_hash as TokenHash,
    userId: row.user_id as UserId,
    purpose: row.purpose,
    email: row.email,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
  };
}
