import type { NewRefreshToken, RefreshTokenRepository, RotationOutcome, TokenHash, UserId } from '@tessera/core';
import type { QueryCreator } from 'kysely';
import type { TesseraDatabase } from '../database.js';
import type { Session } from '../executor.js';

/** The row of a new refresh token. */
export function refreshTokenRow(token: NewRefreshToken) {
  return {
    token_hash: token.tokenHash,
    user_id: token.userId,
    family_id: token.familyId,
    family_expires_at: token.familyExpiresAt,
    expires_at: token.expiresAt,
    created_at: token.createdAt,
    user_agent: token.userAgent,
    ip_address: token.ipAddress,
  };
}

/**
 * The families of a user's live tokens beyond the `skip` most recently started: what a cap on
 * concurrent sessions revokes.
 */
export function liveFamiliesBeyond(db: QueryCreator<TesseraDatabase>, userId: UserId, skip: number, now: Date) {
  return db
    .selectFrom('tessera_refresh_tokens')
    .select('family_id')
    .where('user_id', '=', userId)
    .where('rotated_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('token_hash')
    .offset(skip);
}

/** The refresh tokens repository over one session. */
export function refreshTokensRepository(session: Session): RefreshTokenRepository {
  const { db } = session;

  return {
    async insert(token) {
      await db.insertInto('tessera_refresh_tokens').values(refreshTokenRow(token)).execute();
    },

    rotate: (request) =>
      session.atomically(async ({ db: tx }): Promise<RotationOutcome> => {
        // Marking the presented token used is the race's only winner: Postgres re-checks the
        // WHERE clause of a waiting UPDATE once the first commits, and then it no longer matches.
        const spent = await tx
          .updateTable('tessera_refresh_tokens')
          .set({ rotated_at: request.now })
          .where('token_hash', '=', request.presentedHash)
          .where('rotated_at', 'is', null)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', request.now)
          .returning(['user_id', 'family_id', 'family_expires_at'])
          .executeTakeFirst();
        if (spent) {
          const expiresAt = request.nextIdleExpiresAt < spent.family_expires_at ? request.nextIdleExpiresAt : spent.family_expires_at;
          await tx
            .insertInto('tessera_refresh_tokens')
            .values({
              token_hash: request.nextHash,
              user_id: spent.user_id,
              family_id: spent.family_id,
              family_expires_at: spent.family_expires_at,
              expires_at: expiresAt,
              created_at: request.now,
              user_agent: request.userAgent,
              ip_address: request.ipAddress,
            })
            .execute();
          return { kind: 'rotated', userId: spent.user_id as UserId, familyId: spent.family_id, familyExpiresAt: spent.family_expires_at };
        }
        const known = await tx
          .selectFrom('tessera_refresh_tokens')
          .select(['user_id', 'family_id', 'rotated_at'])
          .where('token_hash', '=', request.presentedHash)
          .executeTakeFirst();
        if (!known || known.rotated_at === null) return { kind: 'invalid' };
        // A token that was already rotated came back: one of its holders is not its owner.
        await tx
          .updateTable('tessera_refresh_tokens')
          .set({ revoked_at: request.now })
          .where('family_id', '=', known.family_id)
          .where('revoked_at', 'is', null)
          .execute();
        return { kind: 'reused', userId: known.user_id as UserId, familyId: known.family_id };
      }),

    revokeFamilyOf: (tokenHash: TokenHash, now: Date) =>
      session.atomically(async ({ db: tx }) => {
        const known = await tx.selectFrom('tessera_refresh_tokens').select(['user_id', 'family_id']).where('token_hash', '=', tokenHash).executeTakeFirst();
        if (!known) return null;
        await tx.updateTable('tessera_refresh_tokens').set({ revoked_at: now }).where('family_id', '=', known.family_id).where('revoked_at', 'is', null).execute();
        return { userId: known.user_id as UserId, familyId: known.family_id };
      }),

    async revokeAllForUser(userId, now) {
      await db.updateTable('tessera_refresh_tokens').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
    },

    async purgeEnded(before) {
      const result = await db.deleteFrom('tessera_refresh_tokens').where('family_expires_at', '<=', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    revokeOldestFamilies: (userId, keep, now) =>
      session.atomically(async ({ db: tx }) => {
        // The live token of each live family, most recently used first; beyond `keep`, revoke.
        const surplus = await liveFamiliesBeyond(tx, userId, keep, now).execute();
        if (surplus.length === 0) return;
        await tx
          .updateTable('tessera_refresh_tokens')
          .set({ revoked_at: now })
          .where('family_id', 'in', surplus.map((row) => row.family_id))
          .where('revoked_at', 'is', null)
          .execute();
      }),
  };
}
