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
import { withQueryDeadline } from './query-deadline.js';

/** Options of `createPostgresStore`. */
export interface PostgresStoreOptions {
  /** e.g. `postgres://user:password@host:5432/app` (from `DATABASE_URL`). */
  readonly connectionString: string;
  /** Pool size. @default 10 */
  readonly maxConnections?: number;
  /** How long to wait for a connection before failing (node-postgres waits forever by default). @default 2000 */
  readonly connectionTimeoutMillis?: number;
  /** Server-side cap on one statement (`statement_timeout`); 0 turns it off. @default 5000 */
  readonly statementTimeoutMillis?: number;
  /**
   * Client-side cap on waiting for the answer to one query, for a database that stops
   * answering without closing the connection (a partition, a stalled proxy); the connection is
   * then destroyed. 0 turns it off. @default statementTimeoutMillis + 1000 (0 when that is 0)
   */
  readonly queryTimeoutMillis?: number;
  /** Server-side cap on waiting for a lock. @default 2000 */
  readonly lockTimeoutMillis?: number;
  /** The server ends a transaction left idle this long. @default 10000 */
  readonly idleInTransactionTimeoutMillis?: number;
  /** Receives connection errors (a dropped connection, idle or in use); nothing secret is logged. */
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
 * (connection, statement, lock and query timeouts) and never crashes the process when a
 * connection dies, idle or in the middle of a query: the error is logged, the request that
 * used it fails with `store_unavailable`, and the pool opens a new connection for the next one.
 *
 * @example
 * ```ts
 * const { store, db } = createPostgresStore({ connectionString: process.env.DATABASE_URL! });
 * await migrateToLatest(db);
 * ```
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const statementTimeoutMillis = options.statementTimeoutMillis ?? 5000;
  const queryTimeoutMillis = options.queryTimeoutMillis ?? (statementTimeoutMillis > 0 ? statementTimeoutMillis + 1000 : 0);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 2000,
    statement_timeout: statementTimeoutMillis,
    lock_timeout: options.lockTimeoutMillis ?? 2000,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMillis ?? 10_000,
  });
  const warn = (error: Error, message: string) => options.logger?.warn({ err: error.message }, message);
  // node-postgres emits 'error' on the pool for an idle client, and on the client itself for
  // one in use (its backend terminated, its socket reset mid-query). Unheard, either is an
  // uncaught exception that ends the process; the query in flight fails on its own.
  pool.on('error', (error) => warn(error, 'tessera: an idle database connection failed; the pool will reconnect'));
  pool.on('connect', (client) => {
    client.on('error', (error) => warn(error, 'tessera: a database connection failed during a query; the pool will reconnect'));
  });
  const db = new Kysely<TesseraDatabase>({ dialect: new PostgresDialect({ pool: queryTimeoutMillis > 0 ? withQueryDeadline(pool, queryTimeoutMillis) : pool }) });
  return { store: createKyselyStore(db), db, pool, close: () => db.destroy() };
}
