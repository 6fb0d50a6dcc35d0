import type { TesseraStore } from '@tessera/core';
import { migrateToLatest } from '@tessera/kysely';
import { createPgMemStore } from '@tessera/kysely/pg-mem';
import { openPgliteStore } from '@tessera/kysely/pglite';
import { createPostgresStore } from '@tessera/kysely/postgres';
import { sql } from 'kysely';
import type { StoreLeg } from './fixtures.js';
import { createTestDatabase } from './postgres.js';

const tesseraTables = ['tessera_audit_events', 'tessera_outbox', 'tessera_bootstrap', 'tessera_refresh_tokens', 'tessera_one_time_tokens', 'tessera_users'];

/** pg-mem: a fresh in-memory database for every test (cheap). */
export function pgMemLeg(): StoreLeg {
  const opened: Array<() => Promise<void>> = [];
  return {
    name: 'pg-mem',
    isConcurrent: false,
    async open() {
      const { store, close } = await createPgMemStore();
      opened.push(close);
      return store;
    },
    async close() {
      await Promise.all(opened.splice(0).map((close) => close()));
    },
  };
}

/**
 * Real PostgreSQL: one throw-away database per test file; every test starts from empty
 * tables (tests within a file run one after another).
 */
export function postgresLeg(): StoreLeg {
  let database: Promise<{ store: TesseraStore; truncate: () => Promise<void>; close: () => Promise<void> }> | undefined;
  const connect = async () => {
    const testDatabase = await createTestDatabase();
    const postgres = createPostgresStore({ connectionString: testDatabase.connectionString, maxConnections: 20 });
    await migrateToLatest(postgres.db);
    return {
      store: postgres.store,
      truncate: async () => void (await sql`truncate table ${sql.join(tesseraTables.map((table) => sql.table(table)))} cascade`.execute(postgres.db)),
      close: async () => {
        await postgres.close();
        await testDatabase.drop();
      },
    };
  };
  return {
    name: 'postgres',
    isConcurrent: true,
    async open() {
      database ??= connect();
      const { store, truncate } = await database;
      await truncate();
      return store;
    },
    async close() {
      if (database) await (await database).close();
      database = undefined;
    },
  };
}

/** PGlite (the embedded default): one in-memory instance per test file, emptied per test. */
export function pgliteLeg(): StoreLeg {
  let instance: ReturnType<typeof openPgliteStore> | undefined;
  return {
    name: 'pglite',
    isConcurrent: false,
    async open() {
      instance ??= openPgliteStore();
      const { store, db } = await instance;
      await sql`truncate table ${sql.join(tesseraTables.map((table) => sql.table(table)))} cascade`.execute(db);
      return store;
    },
    async close() {
      if (instance) await (await instance).close();
      instance = undefined;
    },
  };
}
