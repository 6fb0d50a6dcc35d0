import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration';
import * as identity from './migrations/0001-identity.js';
import * as adminSearch from './migrations/0002-admin-search.js';
import * as rateLimits from './migrations/0003-rate-limits.js';
import * as sessionIndexes from './migrations/0004-session-indexes.js';

/** Tessera's migrations, in order. Shipped as code: nothing is read from disk. */
const migrations: Readonly<Record<string, Migration>> = {
  '0001-identity': identity,
  '0002-admin-search': adminSearch,
  '0003-rate-limits': rateLimits,
  '0004-session-indexes': sessionIndexes,
};

/** Table names of Tessera's migration bookkeeping, apart from the host app's own. */
export const migrationTableName = 'tessera_migrations';
export const migrationLockTableName = 'tessera_migrations_lock';

/** A Kysely migration provider with Tessera's migrations, for a host app's own `Migrator`. */
export const tesseraMigrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

/**
 * A Kysely `Migrator` over Tessera's migrations, keeping its bookkeeping in
 * `tessera_migrations` so it never collides with the host app's migrations. On Postgres,
 * Kysely takes an advisory lock, so several instances may migrate at once.
 *
 * @example
 * ```ts
 * const { error, results } = await createTesseraMigrator(db).migrateToLatest();
 * ```
 */
export function createTesseraMigrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: tesseraMigrationProvider, migrationTableName, migrationLockTableName });
}

/**
 * Brings the database to the latest migration.
 *
 * @throws Error naming the migration that failed.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const resultSet = await createTesseraMigrator(db).migrateToLatest();
  if (resultSet.error) {
    const failed = resultSet.results?.find((result) => result.status === 'Error');
    const reason = resultSet.error instanceof Error ? resultSet.error.message : JSON.stringify(resultSet.error);
    throw new Error(`Tessera migration ${failed?.migrationName ?? ''} failed: ${reason}`, { cause: resultSet.error });
  }
  return resultSet;
}
