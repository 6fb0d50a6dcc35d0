import { cryptoRandom, newUuidV7, systemClock, type NewRefreshToken, type TokenHash, type UserId } from '@tessera/core';
import { migrateToLatest, type TesseraDatabase } from '@tessera/kysely';
import { createPostgresStore } from '@tessera/kysely/postgres';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { liveFamiliesBeyond } from '../../packages/kysely/src/repositories/refresh-tokens.js';
import { recordLoginStatement } from '../../packages/kysely/src/repositories/users.js';
import { createTestDatabase, postgresAvailable } from '../src/index.js';

// The cap on concurrent sessions runs on every login. A user's rotated and revoked tokens stay
// until their session ends (reuse detection needs them), so the cap must read the live ones only.
const postgres = await postgresAvailable();

describe('refresh-token indexes', () => {
  // Skipped only when no server is reachable locally; with CI=true that is a failure instead.
  it.skipIf(!postgres)('reads only live tokens for the session cap, however many spent tokens a user has', async () => {
    const database = await createTestDatabase();
    const { db, store, close } = createPostgresStore({ connectionString: database.connectionString });
    try {
      await migrateToLatest(db);
      const userId = newUuidV7(systemClock, cryptoRandom) as UserId;
      await store.users.insert({ id: userId, email: 'long-history@example.com', emailVerifiedAt: null, username: 'long-history', passwordHash: null, role: 'AUTHENTICATED', createdAt: new Date() });
      // 5,000 spent tokens (a year of refreshes on a few devices) and 3 live sessions.
      await sql`
        insert into tessera_refresh_tokens (token_hash, user_id, family_id, family_expires_at, expires_at, created_at, rotated_at)
        select md5(n::text), ${userId}, gen_random_uuid(), now() + interval '30 days', now() + interval '7 days', now() - n * interval '1 minute', now()
        from generate_series(1, 5000) as n`.execute(db);
      await sql`
        insert into tessera_refresh_tokens (token_hash, user_id, family_id, family_expires_at, expires_at, created_at)
        select md5('live' || n), ${userId}, gen_random_uuid(), now() + interval '30 days', now() + interval '7 days', now() - n * interval '1 second'
        from generate_series(1, 3) as n`.execute(db);
      await sql`analyze tessera_refresh_tokens`.execute(db);

      const cap = await explain(db, liveFamiliesBeyond(db, userId, 2, new Date()).compile());
      expect(JSON.stringify(cap.Plan)).toContain('"Index Name":"tessera_refresh_tokens_live_idx"');
      // The read touches a handful of pages (the root node counts its children's), not the
      // dozens that hold the 5,000 spent tokens.
      expect(cap.Plan['Shared Hit Blocks'] + cap.Plan['Shared Read Blocks']).toBeLessThan(10);
      expect((await liveFamiliesBeyond(db, userId, 2, new Date()).execute()).length).toBe(1);

      // The whole login, in one statement: no step reads the table from end to end, even when
      // the statistics are stale and promise many live sessions (here: 1,300 live when analysed,
      // revoked since; autovacuum is off so that nothing refreshes them during the test).
      await sql`alter table tessera_refresh_tokens set (autovacuum_enabled = false)`.execute(db);
      await sql`
        insert into tessera_refresh_tokens (token_hash, user_id, family_id, family_expires_at, expires_at, created_at)
        select md5('stale' || n), ${userId}, gen_random_uuid(), now() + interval '30 days', now() + interval '7 days', now() - interval '1 hour' - n * interval '1 second'
        from generate_series(1, 1300) as n`.execute(db);
      await sql`analyze tessera_refresh_tokens`.execute(db);
      await sql`update tessera_refresh_tokens set revoked_at = now() where token_hash in (select md5('stale' || n) from generate_series(1, 1300) as n)`.execute(db);
      const now = new Date();
      const session: NewRefreshToken = { tokenHash: 'new-session-token-hash' as TokenHash, userId, familyId: newUuidV7(systemClock, cryptoRandom), familyExpiresAt: new Date(now.getTime() + 86_400_000), expiresAt: new Date(now.getTime() + 3_600_000), createdAt: now, userAgent: null, ipAddress: null };
      // EXPLAIN ANALYZE runs it: the login happens, in this throwaway database.
      const login = await explain(db, recordLoginStatement(db, userId, { lastLoginAt: now, updatedAt: now }, session, 2).compile());
      const loginPlan = JSON.stringify(login.Plan);
      expect(loginPlan).not.toContain('"Node Type":"Seq Scan"');
      expect(loginPlan).toContain('"Index Name":"tessera_refresh_tokens_family_idx"');
      expect(login.Plan['Shared Hit Blocks'] + login.Plan['Shared Read Blocks']).toBeLessThan(100);
    } finally {
      await close();
      await database.drop();
    }
  });
});

type Explained = { Plan: { 'Shared Hit Blocks': number; 'Shared Read Blocks': number } };

/** EXPLAIN (ANALYZE, BUFFERS) of a compiled query, its parameters written in as literals. */
async function explain(db: Kysely<TesseraDatabase>, query: { sql: string; parameters: readonly unknown[] }): Promise<Explained> {
  const text = query.sql.replace(/\$(\d+)/g, (_, index: string) => literal(query.parameters[Number(index) - 1]));
  const plan = await sql.raw<{ 'QUERY PLAN': unknown }>(`explain (analyze, buffers, format json) ${text}`).execute(db);
  return (plan.rows[0]?.['QUERY PLAN'] as [Explained])[0];
}

function literal(value: unknown): string {
  if (value instanceof Date) return `'${value.toISOString()}'::timestamptz`;
  if (typeof value === 'number') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}
