import { TesseraConfigError, type RateLimitCount, type TesseraStore } from '@tessera/core';
import { createKyselyRateLimitStore, createKyselyStore, migrateToLatest, type KyselyRateLimitStoreOptions, type TesseraDatabase } from '@tessera/kysely';
import { createPgMemStore } from '@tessera/kysely/pg-mem';
import { openPgliteStore, type PgliteStore } from '@tessera/kysely/pglite';
import { createPostgresStore, type PostgresStore } from '@tessera/kysely/postgres';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PGliteDialect, sql } from 'kysely';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../src/index.js';

/** One engine under the Kysely rate-limit store, with the database itself for inspection. */
interface Engine {
  readonly name: string;
  readonly engineOption?: 'pglite';
  /** A Tessera store and its Kysely instance, with no counters and an empty bootstrap slot. */
  open(): Promise<{ store: TesseraStore; db: Kysely<TesseraDatabase> }>;
  close(): Promise<void>;
}

function pgMemEngine(): Engine {
  const opened: Array<() => Promise<void>> = [];
  return {
    name: 'pg-mem',
    async open() {
      const { store, db, close } = await createPgMemStore();
      opened.push(close);
      return { store, db };
    },
    close: async () => void (await Promise.all(opened.splice(0).map((close) => close()))),
  };
}

function pgliteEngine(): Engine {
  let instance: Promise<PgliteStore> | undefined;
  return {
    name: 'PGlite',
    engineOption: 'pglite',
    async open() {
      instance ??= openPgliteStore();
      const { store, db } = await instance;
      await sql`truncate table tessera_rate_limits, tessera_bootstrap`.execute(db);
      return { store, db };
    },
    async close() {
      if (instance) await (await instance).close();
      instance = undefined;
    },
  };
}

function postgresEngine(): Engine {
  let database: Promise<{ testDatabase: TestDatabase; postgres: PostgresStore }> | undefined;
  return {
    name: 'PostgreSQL',
    async open() {
      database ??= (async () => {
        const testDatabase = await createTestDatabase();
        const postgres = createPostgresStore({ connectionString: testDatabase.connectionString });
        await migrateToLatest(postgres.db);
        return { testDatabase, postgres };
      })();
      const { postgres } = await database;
      await sql`truncate table tessera_rate_limits, tessera_bootstrap`.execute(postgres.db);
      return { store: postgres.store, db: postgres.db };
    },
    async close() {
      if (!database) return;
      const { testDatabase, postgres } = await database;
      await postgres.close();
      await testDatabase.drop();
      database = undefined;
    },
  };
}

// With CI=true an unreachable server fails here; locally the leg is skipped with a notice.
const postgres = await postgresAvailable();

const engines = [
  { engine: pgMemEngine(), skip: false },
  { engine: pgliteEngine(), skip: false },
  { engine: postgresEngine(), skip: !postgres },
];

describe.each(engines.map(({ engine, skip }) => [engine.name, engine, skip] as const))('the Kysely rate-limit store on %s', (_name, engine, skip) => {
  let store: TesseraStore;
  let db: Kysely<TesseraDatabase>;
  const t0 = new Date('2026-11-24T12:00:00.000Z').getTime();
  const at = (seconds: number) => new Date(t0 + seconds * 1000);
  const rateLimits = (options: KyselyRateLimitStoreOptions = {}) => createKyselyRateLimitStore(db, { engine: engine.engineOption, ...options });
  const rows = async () => (await db.selectFrom('tessera_rate_limits').select('key').orderBy('key').execute()).map((row) => row.key);

  beforeEach(async (context) => {
    if (skip) context.skip('PostgreSQL is unreachable (allowed only outside CI)');
    ({ store, db } = await engine.open());
  });
  afterAll(() => engine.close());

  it('sweeps windows that have ended, a bounded batch at a time, and keeps live ones', async () => {
    const limits = rateLimits({ sweepIntervalSeconds: 0, sweepBatchSize: 2 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) await limits.hit(key, 10, at(0));
    await limits.hit('live', 100, at(0));
    // A window ending exactly now is not swept yet (nor counted: a hit now starts a new one).
    expect(await limits.sweep(at(10))).toBe(0);
    expect(await limits.sweep(at(11))).toBe(2);
    expect(await limits.sweep(at(11))).toBe(2);
    expect(await limits.sweep(at(11))).toBe(1);
    expect(await limits.sweep(at(11))).toBe(0);
    expect(await rows()).toEqual(['live']);
    expect(await limits.peek('live', at(11))).toEqual({ count: 1, resetAt: at(100) });
  });

  it('sweeps in the background at most once an interval, and again at once while batches come back full', async () => {
    const swept: unknown[] = [];
    const logger = { debug: (fields: Record<string, unknown>) => void swept.push(fields.deleted), info: () => undefined, warn: () => undefined, error: () => undefined };
    const limits = rateLimits({ sweepIntervalSeconds: 60, sweepBatchSize: 2, logger });
    // The first hit sweeps (nothing has ended yet); no other hit sweeps within the next 60 s.
    await limits.hit('first', 10, at(0));
    await vi.waitFor(() => expect(swept).toEqual([0]));
    for (const key of ['a', 'b', 'c', 'd']) await limits.hit(key, 10, at(1));
    await limits.hit('keeps', 3600, at(30));
    expect(await rows()).toEqual(['a', 'b', 'c', 'd', 'first', 'keeps']);
    // 61 s after that sweep, five windows have ended: a full batch goes, so each following hit
    // sweeps again until a batch comes back short. A sweep within the interval would show here.
    await limits.hit('trigger', 3600, at(61));
    await vi.waitFor(() => expect(swept).toEqual([0, 2]));
    await limits.hit('trigger', 3600, at(61));
    await vi.waitFor(() => expect(swept).toEqual([0, 2, 2]));
    await limits.hit('trigger', 3600, at(61));
    await vi.waitFor(() => expect(swept).toEqual([0, 2, 2, 1]));
    expect(await rows()).toEqual(['keeps', 'trigger']);
    expect(await limits.peek('trigger', at(62))).toEqual({ count: 3, resetAt: at(3661) });
  });

  it('never sweeps by itself with sweepIntervalSeconds 0', async () => {
    const limits = rateLimits({ sweepIntervalSeconds: 0 });
    await limits.hit('old', 10, at(0));
    for (let hit = 0; hit < 5; hit += 1) await limits.hit('new', 10, at(3600 + hit));
    expect(await rows()).toEqual(['new', 'old']);
  });

  it('holds a counter at the integer maximum instead of failing the hit', async () => {
    const limits = rateLimits();
    await limits.hit('flood', 86_400, at(0));
    await db.updateTable('tessera_rate_limits').set({ count: 2_147_483_646 }).where('key', '=', 'flood').execute();
    expect(await limits.hit('flood', 86_400, at(1))).toEqual({ count: 2_147_483_647, resetAt: at(86_400) });
    expect(await limits.hit('flood', 86_400, at(2))).toEqual({ count: 2_147_483_647, resetAt: at(86_400) });
  });

  it('counts a hit made while a store transaction runs, and keeps it when that transaction rolls back', async () => {
    const limits = rateLimits();
    let hit: Promise<RateLimitCount> | undefined;
    await expect(
      store.transaction(async (tx) => {
        await tx.bootstrap.claimFirstAdmin();
        // Not awaited: on one-connection engines the hit waits for this transaction to end.
        // The round trips after it would give a hit that did not wait the time to run inside.
        hit = limits.hit('during', 60, at(0));
        await tx.users.findByEmail('nobody@example.com');
        await tx.users.findByEmail('nobody@example.com');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await hit).toEqual({ count: 1, resetAt: at(60) });
    expect(await limits.peek('during', at(1))).toEqual({ count: 1, resetAt: at(60) });
    // The transaction's own write was rolled back.
    expect(await store.bootstrap.claimFirstAdmin()).toBe(true);
  });

  it('rejects a window that is not a positive number, and a date that is not one', async () => {
    const limits = rateLimits();
    for (const windowSeconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(limits.hit('k', windowSeconds, at(0))).rejects.toThrow(TypeError);
    }
    await expect(limits.hit('k', 60, new Date(Number.NaN))).rejects.toThrow(TypeError);
    await expect(limits.peek('k', new Date(Number.NaN))).rejects.toThrow(TypeError);
    expect(await rows()).toEqual([]);
  });
});

describe('createKyselyRateLimitStore options', () => {
  it('names each wrong option', async () => {
    const { db, close } = await createPgMemStore();
    try {
      const issuesOf = (options: Record<string, unknown>) => {
        try {
          createKyselyRateLimitStore(db, options);
        } catch (error) {
          expect(error).toBeInstanceOf(TesseraConfigError);
          return (error as TesseraConfigError).issues.map((issue) => issue.path);
        }
        return [];
      };
      expect(issuesOf({ sweepIntervalSeconds: -1, sweepBatchSize: 0 })).toEqual(['sweepIntervalSeconds', 'sweepBatchSize']);
      expect(issuesOf({ sweepIntervalSeconds: 1.5, sweepBatchSize: 10_001 })).toEqual(['sweepIntervalSeconds', 'sweepBatchSize']);
      expect(issuesOf({ engine: 'mysql' })).toEqual(['engine']);
      // pg-mem's store owns this instance: another engine would bypass its one-at-a-time executor.
      expect(issuesOf({ engine: 'postgres' })).toEqual(['engine']);
      expect(issuesOf({ sweepIntervalSeconds: 0, sweepBatchSize: 1 })).toEqual([]);
    } finally {
      await close();
    }
  });

  it('takes the executor of a store built on the same instance, and refuses a contradicting engine', async () => {
    const pglite = await openPgliteStore();
    try {
      // openPgliteStore built its store with engine 'pglite'.
      expect(() => createKyselyRateLimitStore(pglite.db, { engine: 'postgres' })).toThrow(TesseraConfigError);
      const limits = createKyselyRateLimitStore(pglite.db);
      expect(await limits.hit('k', 60, new Date(0))).toMatchObject({ count: 1 });
    } finally {
      await pglite.close();
    }
  });

  it('lets a store built later on the same instance choose its engine', async () => {
    const db = new Kysely<TesseraDatabase>({ dialect: new PGliteDialect({ pglite: new PGlite({ extensions: { pg_trgm } }) }) });
    try {
      await migrateToLatest(db);
      const limits = createKyselyRateLimitStore(db);
      const store = createKyselyStore(db, { engine: 'pglite' });
      const [counted, claimed] = await Promise.all([limits.hit('k', 60, new Date(0)), store.transaction((tx) => tx.bootstrap.claimFirstAdmin()), limits.hit('k', 60, new Date(0))]);
      expect([counted.count, claimed]).toEqual([1, true]);
      expect(await limits.peek('k', new Date(0))).toMatchObject({ count: 2 });
    } finally {
      await db.destroy();
    }
  });
});
