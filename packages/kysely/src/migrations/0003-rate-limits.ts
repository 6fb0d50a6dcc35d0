import type { Kysely } from 'kysely';

/**
 * Rate-limit counters shared by every instance of the app (`createKyselyRateLimitStore`): one
 * row per key with the count in its current fixed window and when that window ends. The index
 * on `reset_at` lets the sweep find expired windows without reading the whole table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tessera_rate_limits')
    .addColumn('key', 'text', (column) => column.primaryKey())
    .addColumn('count', 'integer', (column) => column.notNull())
    .addColumn('reset_at', 'timestamptz', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('tessera_rate_limits_reset_at_idx').on('tessera_rate_limits').column('reset_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // PostgreSQL drops a table's indexes with it. pg-mem keeps their names taken, and could
  // not migrate up again: dropping them by name (a no-op on PostgreSQL afterwards) frees them.
  await db.schema.dropIndex('tessera_rate_limits_reset_at_idx').ifExists().execute();
  await db.schema.dropTable('tessera_rate_limits').ifExists().execute();
  await db.schema.dropIndex('tessera_rate_limits_pkey').ifExists().execute();
}
