import { TesseraConfigError, type FieldIssue, type Logger, type RateLimitCount, type RateLimitStore } from '@tessera/core';
import type { Kysely } from 'kysely';
import type { TesseraDatabase } from './database.js';
import { executorOf, existingExecutor } from './executor-registry.js';
import { concurrentExecutor, serializedExecutor } from './executor.js';
import { rateLimitsRepository } from './repositories/rate-limits.js';

/** Options of `createKyselyRateLimitStore`. */
export interface KyselyRateLimitStoreOptions {
  /**
   * The engine behind the Kysely instance, as for `createKyselyStore`. Optional: this store
   * shares the executor of a store already built on the same instance (including
   * `createPgMemStore`'s), so their units of work take turns on the one-connection engines.
   * @throws TesseraConfigError when it contradicts the engine that store was built with.
   * @default the engine of a store on the same instance, else 'postgres'
   */
  readonly engine?: 'postgres' | 'pglite';
  /**
   * How often expired windows are swept, judged by the `now` of the hits this store counts;
   * `0` turns the automatic sweep off (call `sweep(now)` yourself, e.g. from a cron job).
   * @default 60
   */
  readonly sweepIntervalSeconds?: number;
  /**
   * Expired windows one sweep deletes at most (one short statement). When a sweep deletes a
   * full batch, the next hit starts another, so the sweep keeps up with any number of keys.
   * @default 1000
   */
  readonly sweepBatchSize?: number;
  /** Told how many rows each background sweep deleted (debug), and when one fails (warn; counting is unaffected). */
  readonly logger?: Logger;
}

/** A rate-limit store in `tessera_rate_limits`, with its sweep of expired windows. */
export interface KyselyRateLimitStore extends RateLimitStore {
  /**
   * Deletes up to `sweepBatchSize` windows that ended before `now`; returns how many it
   * deleted. Expired rows count as absent anyway: sweeping only bounds the table's size.
   */
  sweep(now: Date): Promise<number>;
}

/**
 * Rate-limit counters in the database, shared by every instance of the app (table
 * `tessera_rate_limits`, created by Tessera's migrations). Each hit is one atomic
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING`, judged by the caller's clock. Expired windows
 * are swept in bounded batches, in the background, about once a minute.
 *
 * On PGlite and pg-mem (one connection), calls wait for the store's running unit of work;
 * never call this store from inside a `store.transaction(...)` callback there: it would wait
 * for that very transaction.
 *
 * @example
 * ```ts
 * const { db, store } = createPostgresStore({ connectionString: process.env.DATABASE_URL! });
 * await migrateToLatest(db);
 * const tessera = createTessera({ store, rateLimits: { store: createKyselyRateLimitStore(db) }, ... });
 * ```
 *
 * @throws TesseraConfigError naming a wrong option.
 */
export function createKyselyRateLimitStore(db: Kysely<any>, options: KyselyRateLimitStoreOptions = {}): KyselyRateLimitStore {
  const { sweepIntervalSeconds = 60, sweepBatchSize = 1000, logger } = checkOptions(options);
  const typed = db as Kysely<TesseraDatabase>;
  // The executor of a store on the same instance: on pg-mem a hit must not run while that
  // store's transaction is open (its rollback restores a snapshot). Without one, a hit is a
  // single statement that every engine runs whole (Kysely lends PGlite's one connection to
  // one caller at a time), and a store built later keeps its own choice.
  const executor =
    options.engine === undefined
      ? (existingExecutor(typed) ?? concurrentExecutor(typed))
      : executorOf(typed, options.engine, (engine) => (engine === 'pglite' ? serializedExecutor(typed) : concurrentExecutor(typed)));
  const repository = rateLimitsRepository(executor.root);

  const sweep = (now: Date): Promise<number> => executor.run(() => repository.sweep(checkDate(now), sweepBatchSize));

  // One background sweep at a time, at most once per interval of the hits' clock, or right
  // away again while full batches show there is more to delete.
  let lastSweepAt: number | undefined;
  let sweeping = false;
  const sweepInBackground = (now: Date): void => {
    const at = now.getTime();
    if (sweepIntervalSeconds === 0 || sweeping) return;
    if (lastSweepAt !== undefined && at >= lastSweepAt && at - lastSweepAt < sweepIntervalSeconds * 1000) return;
    sweeping = true;
    lastSweepAt = at;
    sweep(now)
      .then(
        (deleted) => {
          logger?.debug({ deleted }, 'tessera: swept expired rate-limit windows');
          if (deleted >= sweepBatchSize) lastSweepAt = undefined;
        },
        (error: unknown) => {
          logger?.warn({ err: error instanceof Error ? error.message : String(error) }, 'tessera: sweeping expired rate-limit windows failed');
        },
      )
      .finally(() => {
        sweeping = false;
      });
  };

  return {
    async hit(key, windowSeconds, now): Promise<RateLimitCount> {
      checkWindow(windowSeconds);
      const counted = await executor.run(() => repository.hit(key, windowSeconds, checkDate(now)));
      sweepInBackground(now);
      return counted;
    },
    peek: (key, now) => executor.run(() => repository.peek(key, checkDate(now))),
    reset: (key) => executor.run(() => repository.reset(key)),
    sweep,
  };
}

function checkOptions(options: KyselyRateLimitStoreOptions): KyselyRateLimitStoreOptions {
  const issues: FieldIssue[] = [];
  const { engine, sweepIntervalSeconds, sweepBatchSize } = options;
  if (engine !== undefined && engine !== 'postgres' && engine !== 'pglite') {
    issues.push({ path: 'engine', code: 'invalid_value', message: "must be 'postgres' or 'pglite'" });
  }
  if (sweepIntervalSeconds !== undefined && !(Number.isInteger(sweepIntervalSeconds) && sweepIntervalSeconds >= 0 && sweepIntervalSeconds <= 86_400)) {
    issues.push({ path: 'sweepIntervalSeconds', code: 'invalid_value', message: 'must be a whole number of seconds from 0 (off) to 86400' });
  }
  if (sweepBatchSize !== undefined && !(Number.isInteger(sweepBatchSize) && sweepBatchSize >= 1 && sweepBatchSize <= 10_000)) {
    issues.push({ path: 'sweepBatchSize', code: 'invalid_value', message: 'must be a whole number from 1 to 10000' });
  }
  if (issues.length > 0) throw new TesseraConfigError(issues);
  return options;
}

function checkWindow(windowSeconds: number): void {
  if (!(Number.isFinite(windowSeconds) && windowSeconds > 0)) throw new TypeError(`windowSeconds must be a positive number, got ${String(windowSeconds)}`);
}

function checkDate(now: Date): Date {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError('now must be a valid Date');
  return now;
}
