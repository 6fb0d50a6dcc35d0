/**
 * A Tessera store on PostgreSQL through node-postgres, with the timeouts a service needs.
 *
 * @packageDocumentation
 */
import type { Logger, TesseraStore } from '@tessera/core';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { TesseraDatabase } from './database.js';
import { createKyselyStore } from './kysely-store.js';

/** Options of `createPostgresStore`. */
export interface PostgresStoreOptions {
  /** e.g. `postgres://user:password@host:5432/app` (from `DATABASE_URL`). */
  readonly connectionString: string;
  /** Pool size. @default 10 */
  readonly maxConnections?: number;
  /** How long to wait for a connection before failing (node-postgres waits forever by default). @default 2000 */
  readonly connectionTimeoutMillis?: number;
  /** Server-side cap on one statement. @default 5000 */
  readonly statementTimeoutMillis?: number;
  /** Server-side cap on waiting for a lock. @default 2000 */
  readonly lockTimeoutMillis?: number;
  /** The server ends a transaction left idle this long. @default 10000 */
  readonly idleInTransactionTimeoutMillis?: number;
  /** Receives pool errors (a dropped idle connection); nothing secret is logged. */
  readonly logger?: Logger;
}

/** A store with the Kysely instance and pool behind it. */
export interface PostgresStore {
  readonly store: TesseraStore;
  readonly db: Kysely<TesseraDatabase>;
  readonly pool: pg.Pool;
  /** Closes the pool. */
  readonly close: () => Promise<void>;
}

/**
 * Creates a pool, a Kysely instance and a Tessera store on PostgreSQL. The pool fails fast
 * (a connection timeout, statement and lock timeouts) and never crashes the process when an
 * idle connection dies: the error is logged and the pool reconnects on the next query.
 *
 * @example
 * ```ts
 * const { store, db } = createPostgresStore({ connectionString: process.env.DATABASE_URL! });
 * await migrateToLatest(db);
 * ```
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 2000,
    statement_timeout: options.statementTimeoutMillis ?? 5000,
    lock_timeout: options.lockTimeoutMillis ?? 2000,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMillis ?? 10_000,
  });
  // Without a listener, an idle client's backend dying would be an unhandled 'error' event.
  pool.on('error', (error) => {
    options.logger?.warn({ err: error.message }, 'tessera: an idle database connection failed; the pool will reconnect');
  });
  const db = new Kysely<TesseraDatabase>({ dialect: new PostgresDialect({ pool }) });
  return { store: createKyselyStore(db), db, pool, close: () => db.destroy() };
}
