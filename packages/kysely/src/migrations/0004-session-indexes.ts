import { sql, type Kysely } from 'kysely';

/**
 * Two indexes on refresh tokens, whose table keeps every rotated and revoked token until its
 * session's absolute end (reuse detection needs them):
 *
 * - the live tokens of a user, newest first (`rotated_at` and `revoked_at` null): the cap on
 *   concurrent sessions reads them on every login. Without it, a login read every token the user
 *   ever had (one refresh every 15 minutes adds about 100 a day per device);
 * - the sessions' absolute end, for the sweep that deletes the tokens of ended sessions.
 *
 * Built inside the migration's transaction; on a large live table, build them first with
 * `create index concurrently` under the same names, and the migration finds them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index if not exists tessera_refresh_tokens_live_idx on tessera_refresh_tokens (user_id, created_at desc, token_hash) where rotated_at is null and revoked_at is null`.execute(db);
  await db.schema.createIndex('tessera_refresh_tokens_family_end_idx').ifNotExists().on('tessera_refresh_tokens').column('family_expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tessera_refresh_tokens_family_end_idx').ifExists().execute();
  await db.schema.dropIndex('tessera_refresh_tokens_live_idx').ifExists().execute();
}
