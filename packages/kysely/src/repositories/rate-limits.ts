import type { RateLimitCount } from '@tessera/core';
import type { Session } from '../executor.js';

/** The largest `integer`: a counter stops there instead of failing the statement. */
const maxCount = 2_147_483_647;

/** Rate-limit counters over one session: the statements behind `createKyselyRateLimitStore`. */
export interface RateLimitsRepository {
  hit(key: string, windowSeconds: number, now: Date): Promise<RateLimitCount>;
  peek(key: string, now: Date): Promise<RateLimitCount | null>;
  reset(key: string): Promise<void>;
  /** Deletes at most `limit` windows that ended before `now`; returns how many it deleted. */
  sweep(now: Date, limit: number): Promise<number>;
}

export function rateLimitsRepository(session: Session): RateLimitsRepository {
  const { db } = session;
  return {
    async hit(key, windowSeconds, now) {
      // One statement, so concurrent hits are all counted: the first inserts the row, every
      // other one updates it under the row lock. An ended window (by the caller's clock, not
      // the database's) starts again at 1; in SET, every column reads the row as it was.
      const row = await db
        .insertInto('tessera_rate_limits')
        .values({ key, count: 1, reset_at: new Date(now.getTime() + windowSeconds * 1000) })
        .onConflict((conflict) =>
          conflict.column('key').doUpdateSet((eb) => ({
            count: eb
              .case()
              .when('tessera_rate_limits.reset_at', '<=', now)
              .then(1)
              .when('tessera_rate_limits.count', '<', maxCount)
              .then(eb('tessera_rate_limits.count', '+', 1))
              .else(eb.ref('tessera_rate_limits.count'))
              .end(),
            reset_at: eb
              .case()
              .when('tessera_rate_limits.reset_at', '<=', now)
              .then(eb.ref('excluded.reset_at'))
              .else(eb.ref('tessera_rate_limits.reset_at'))
              .end(),
          })),
        )
        .returning(['count', 'reset_at'])
        .executeTakeFirstOrThrow();
      return { count: row.count, resetAt: row.reset_at };
    },

    async peek(key, now) {
      const row = await db.selectFrom('tessera_rate_limits').select(['count', 'reset_at']).where('key', '=', key).where('reset_at', '>', now).executeTakeFirst();
      return row ? { count: row.count, resetAt: row.reset_at } : null;
    },

    async reset(key) {
      await db.deleteFrom('tessera_rate_limits').where('key', '=', key).execute();
    },

    async sweep(now, limit) {
      // A bounded batch found through the reset_at index, then deleted by key. The delete
      // checks the end again, so a window that a concurrent hit has just restarted stays. (Two
      // statements rather than `IN (SELECT … LIMIT)`: pg-mem ignores a LIMIT there.)
      const ended = await db.selectFrom('tessera_rate_limits').select('key').where('reset_at', '<', now).orderBy('reset_at').limit(limit).execute();
      if (ended.length === 0) return 0;
      const keys = ended.map((row) => row.key);
      const result = await db.deleteFrom('tessera_rate_limits').where('reset_at', '<', now).where('key', 'in', keys).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
