import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the admin user listing (`listUsers`) at a million users: one per sort key, with
 * the id as tie-breaker, read forwards or backwards for either direction; one per filter that
 * can be selective; and a trigram index for the partial, case-insensitive search where the
 * `pg_trgm` extension exists (PostgreSQL, PGlite with the contrib extension loaded; never
 * pg-mem). Every index is created `if not exists`, so an operator can build them beforehand
 * with `create index concurrently` under the same names and keep writes flowing on a large
 * table; docs/admin-search-performance.md has the statements.
 *
 * The expressions here must stay identical to the ones the users repository queries with,
 * or the planner cannot match them to these indexes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Sort keys. A B-tree serves its order backwards too, so one index covers asc and desc.
  // Email and username need none: their unique indexes lead with them, and the id only breaks
  // ties that a unique column never has (the planner finishes the order with an incremental sort).
  await db.schema.createIndex('tessera_users_created_at_idx').ifNotExists().on('tessera_users').columns(['created_at', 'id']).execute();
  // Never-logged-in users sort as the epoch: the same expression as the repository's sort key.
  await db.schema
    .createIndex('tessera_users_last_login_idx')
    .ifNotExists()
    .on('tessera_users')
    .expression(sql`coalesce(last_login_at, '1970-01-01 00:00:00+00'::timestamptz), id`)
    .execute();

  // Filters whose rare values are worth finding directly (a status, a pro status). Role has
  // `tessera_users_role_status_idx` already; the common values of all of them are cheaper to
  // find by walking a sort index, and email-verified has no rare value at all.
  await db.schema.createIndex('tessera_users_status_idx').ifNotExists().on('tessera_users').column('status').execute();
  await db.schema.createIndex('tessera_users_pro_status_idx').ifNotExists().on('tessera_users').column('pro_status').execute();

  const trigrams = await trigramSchema(db);
  if (trigrams !== null) {
    // One document per user, lower-cased; the unit separator (U+001F) keeps a match from
    // spanning two fields, so `%term%` on it means "a substring of one of them".
    await sql`create index if not exists tessera_users_search_idx on tessera_users using gin (
      lower(email || '\u001f' || username || '\u001f' || coalesce(first_name, '') || '\u001f' || coalesce(last_name, '')) ${sql.id(trigrams)}.gin_trgm_ops
    )`.execute(db);
    // Finer statistics on the document make the planner's guess of how many users a search
    // matches good enough to choose between this index and walking a sort index.
    await sql`alter index tessera_users_search_idx alter column 1 set statistics 1000`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The extension stays: other objects may use it, and dropping one is the DBA's call.
  for (const index of ['tessera_users_search_idx', 'tessera_users_pro_status_idx', 'tessera_users_status_idx', 'tessera_users_last_login_idx', 'tessera_users_created_at_idx']) {
    await db.schema.dropIndex(index).ifExists().execute();
  }
}

/**
 * The schema holding `pg_trgm` (creating the extension where it is available but missing), or
 * `null` where it is not available. Every statement here succeeds on every engine: on
 * PostgreSQL the migration runs in a transaction, and one failed statement would abort it.
 *
 * @throws the database's error when the extension is available but the role may not create it
 *   (before PostgreSQL 13, or without CREATE on the database): a superuser runs
 *   `create extension pg_trgm` once, then the migration passes.
 */
async function trigramSchema(db: Kysely<unknown>): Promise<string | null> {
  // pg-mem has no extension catalog; asking information_schema about it is safe everywhere.
  const catalog = await sql<{ name: string }>`
    select table_name as name from information_schema.tables where table_schema = 'pg_catalog' and table_name = 'pg_available_extensions'
  `.execute(db);
  if (catalog.rows.length === 0) return null;
  const available = await sql<{ name: string }>`select name from pg_available_extensions where name = 'pg_trgm'`.execute(db);
  if (available.rows.length === 0) return null;
  await sql`create extension if not exists pg_trgm`.execute(db);
  const installed = await sql<{ schema: string }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'
  `.execute(db);
  return installed.rows[0]?.schema ?? null;
}
