/**
 * `@tessera/kysely`: Tessera's storage on Kysely, with its migrations. Engine helpers live in
 * subpaths: `@tessera/kysely/postgres`, `@tessera/kysely/pglite`, `@tessera/kysely/pg-mem`.
 *
 * @packageDocumentation
 */
export { createKyselyStore, type KyselyStoreOptions } from './kysely-store.js';
export { createKyselyRateLimitStore, type KyselyRateLimitStore, type KyselyRateLimitStoreOptions } from './rate-limit-store.js';
export { createTesseraMigrator, migrateToLatest, migrationLockTableName, migrationTableName, tesseraMigrationProvider } from './migrator.js';
export type {
  TesseraAuditEventsTable,
  TesseraBootstrapTable,
  TesseraDatabase,
  TesseraOneTimeTokensTable,
  TesseraOutboxTable,
  TesseraRateLimitsTable,
  TesseraRefreshTokensTable,
  TesseraUsersTable,
} from './database.js';
