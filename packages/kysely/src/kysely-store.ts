import type { StoreRepositories, TesseraStore } from '@tessera/core';
import { sql, type Kysely } from 'kysely';
import type { TesseraDatabase } from './database.js';
import { executorOf } from './executor-registry.js';
import { concurrentExecutor, serializedExecutor, type Executor, type Session } from './executor.js';
import { auditRepository } from './repositories/audit.js';
import { bootstrapRepository } from './repositories/bootstrap.js';
import { oneTimeTokensRepository } from './repositories/one-time-tokens.js';
import { outboxRepository } from './repositories/outbox.js';
import { refreshTokensRepository } from './repositories/refresh-tokens.js';
import { usersRepository } from './repositories/users.js';

/** Options of `createKyselyStore`. */
export interface KyselyStoreOptions {
  /**
   * The engine behind the Kysely instance. `pglite` runs one unit of work at a time, because
   * PGlite has a single connection. (For pg-mem use `createPgMemStore` from
   * `@tessera/kysely/pg-mem`.) @default 'postgres'
   */
  readonly engine?: 'postgres' | 'pglite';
}

/**
 * A Tessera store over the host app's Kysely instance (Postgres dialect, or PGlite). Run the
 * migrations first (`migrateToLatest(db)`).
 *
 * @example
 * ```ts
 * const db = new Kysely<TesseraDatabase>({ dialect: new PostgresDialect({ pool }) });
 * await migrateToLatest(db);
 * const store = createKyselyStore(db);
 * ```
 */
export function createKyselyStore(db: Kysely<any>, options: KyselyStoreOptions = {}): TesseraStore {
  const typed = db as Kysely<TesseraDatabase>;
  // One executor per Kysely instance, shared with a rate-limit store on the same instance.
  return storeOver(executorOf(typed, options.engine, (engine) => (engine === 'pglite' ? serializedExecutor(typed) : concurrentExecutor(typed))));
}

/** Builds the store over an executor: every call outside a transaction is one unit of work on it. */
export function storeOver(executor: Executor): TesseraStore {
  const root = repositoriesOver(executor.root);
  return {
    users: viaExecutor(executor, root.users),
    oneTimeTokens: viaExecutor(executor, root.oneTimeTokens),
    refreshTokens: viaExecutor(executor, root.refreshTokens),
    bootstrap: viaExecutor(executor, root.bootstrap),
    outbox: viaExecutor(executor, root.outbox),
    audit: viaExecutor(executor, root.audit),
    transaction: (work) => executor.transaction((session) => work(repositoriesOver(session))),
    ping: () => executor.run(async (session) => void (await sql`select 1`.execute(session.db))),
  };
}

/** Wraps each method of a root repository so it runs as one unit of work on the executor. */
function viaExecutor<Repository extends object>(executor: Executor, repository: Repository): Repository {
  const methods = Object.entries(repository as Record<string, (...args: unknown[]) => Promise<unknown>>);
  return Object.fromEntries(methods.map(([name, method]) => [name, (...args: unknown[]) => executor.run(() => method(...args))])) as Repository;
}

function repositoriesOver(session: Session): StoreRepositories {
  return {
    users: usersRepository(session),
    oneTimeTokens: oneTimeTokensRepository(session),
    refreshTokens: refreshTokensRepository(session),
    bootstrap: bootstrapRepository(session),
    outbox: outboxRepository(session),
    audit: auditRepository(session),
  };
}
