import { TesseraConfigError } from '@tessera/core';
import type { Kysely } from 'kysely';
import type { Executor } from './executor.js';

/** The engines behind a Kysely instance, as far as how statements must reach them. */
export type Engine = 'postgres' | 'pglite' | 'pg-mem';

const executors = new WeakMap<Kysely<any>, { readonly engine: Engine; readonly executor: Executor }>();

/** The executor a store built on `db` uses, if one does. */
export function existingExecutor(db: Kysely<any>): Executor | undefined {
  return executors.get(db)?.executor;
}

/**
 * The one executor of a Kysely instance, created on first use. Everything Tessera builds on
 * one instance (the store, the rate-limit store) shares it, so on the single-connection
 * engines their units of work take turns: a rate-limit hit never lands inside a store
 * transaction, nor is rolled back with it.
 *
 * @param engine the engine the caller was told, or `undefined` for "whatever the instance is
 *   already used with" (`postgres` on first use).
 * @throws TesseraConfigError naming `engine` when it contradicts the engine the instance is used with.
 */
export function executorOf(db: Kysely<any>, engine: Engine | undefined, create: (engine: Engine) => Executor): Executor {
  const existing = executors.get(db);
  if (existing) {
    if (engine !== undefined && engine !== existing.engine) {
      throw new TesseraConfigError([
        { path: 'engine', code: 'invalid_value', message: `is '${engine}', but this Kysely instance is already used with engine '${existing.engine}'` },
      ]);
    }
    return existing.executor;
  }
  const resolved = engine ?? 'postgres';
  const executor = create(resolved);
  executors.set(db, { engine: resolved, executor });
  return executor;
}
