/**
 * A Tessera store on pg-mem, an in-memory emulation of Postgres: fast, for tests. Where pg-mem
 * lacks a Postgres feature (multi-statement rollback, SKIP LOCKED, advisory locks, the catalog
 * queries of Kysely's introspector), the store keeps a working path of its own.
 *
 * @packageDocumentation
 */
import type { TesseraStore } from '@tessera/core';
import { Kysely, PostgresAdapter, PostgresDialect, sql, type DatabaseIntrospector, type DialectAdapter, type SchemaMetadata, type TableMetadata } from 'kysely';
import { newDb, type IMemoryDb } from 'pg-mem';
import type { TesseraDatabase } from './database.js';
import { executorOf } from './executor-registry.js';
import { snapshotExecutor } from './executor.js';
import { storeOver } from './kysely-store.js';
import { migrateToLatest } from './migrator.js';

/** A store with the Kysely instance and the pg-mem database behind it. */
export interface PgMemStore {
  readonly store: TesseraStore;
  readonly db: Kysely<TesseraDatabase>;
  readonly memoryDb: IMemoryDb;
  readonly close: () => Promise<void>;
}

/**
 * Creates an empty, migrated in-memory database and a Tessera store on it.
 *
 * @example
 * ```ts
 * const { store } = await createPgMemStore();
 * ```
 */
export async function createPgMemStore(): Promise<PgMemStore> {
  const memoryDb = newDb();
  const { Pool } = memoryDb.adapters.createPg() as { Pool: new () => ConstructorParameters<typeof PostgresDialect>[0]['pool'] };
  const db = new Kysely<TesseraDatabase>({ dialect: new PgMemDialect({ pool: new Pool() }) });
  await migrateToLatest(db);
  // Registered as the instance's executor: a rate-limit store on `db` takes turns with this store.
  const executor = executorOf(db, 'pg-mem', () => snapshotExecutor(db, memoryDb));
  return { store: storeOver(executor), db, memoryDb, close: () => db.destroy() };
}

/**
 * The Postgres dialect with an introspector that asks only what pg-mem can answer, and no
 * migration lock (pg-mem has no advisory locks, and lives in one process anyway).
 */
class PgMemDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new InformationSchemaIntrospector(db);
  }

  override createAdapter(): DialectAdapter {
    return new InProcessMigrationAdapter();
  }
}

class InProcessMigrationAdapter extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

/** Table names from `information_schema.tables` (what Kysely's migrator needs), no columns. */
class InformationSchemaIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<any>;

  constructor(db: Kysely<any>) {
    this.#db = db;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select distinct table_schema as name from information_schema.tables`.execute(this.#db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string }>`select table_name as name, table_schema as schema from information_schema.tables`.execute(this.#db);
    return rows.map((row) => ({ name: row.name, schema: row.schema, isView: false, isForeign: false, columns: [] }));
  }
}
