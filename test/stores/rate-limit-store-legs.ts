import { memoryRateLimitStore, type RateLimitStore } from '@tessera/core';
import { createKyselyRateLimitStore, migrateToLatest } from '@tessera/kysely';
import { createPgMemStore } from '@tessera/kysely/pg-mem';
import { openPgliteStore } from '@tessera/kysely/pglite';
import { createPostgresStore, type PostgresStore } from '@tessera/kysely/postgres';
import { createRedisRateLimitStore } from '@tessera/redis';
import { Redis, type RedisOptions } from 'ioredis';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../src/index.js';

/** One rate-limit store implementation on one engine, for the rate-limit contract. */
export interface RateLimitStoreLeg {
  readonly name: string;
  /** A store with no counters. */
  open(): Promise<RateLimitStore>;
  /**
   * Another store over the counters of the last `open()`, through its own pool or client: what
   * a second instance of the app has. Only shared stores have one.
   */
  readonly openAnotherInstance?: () => Promise<RateLimitStore>;
  /** Everything the leg opened is closed. */
  close(): Promise<void>;
}

/** Core's in-memory store: a fresh one per test. */
export function memoryLeg(): RateLimitStoreLeg {
  return { name: 'memory', open: async () => memoryRateLimitStore(), close: async () => undefined };
}

/** The Kysely store on pg-mem: a fresh in-memory database per test. */
export function pgMemRateLimitLeg(): RateLimitStoreLeg {
  const opened: Array<() => Promise<void>> = [];
  return {
    name: 'kysely on pg-mem',
    async open() {
      const { db, close } = await createPgMemStore();
      opened.push(close);
      return createKyselyRateLimitStore(db);
    },
    async close() {
      await Promise.all(opened.splice(0).map((close) => close()));
    },
  };
}

/** The Kysely store on PGlite: one in-memory instance per file, emptied per test. */
export function pgliteRateLimitLeg(): RateLimitStoreLeg {
  let instance: ReturnType<typeof openPgliteStore> | undefined;
  return {
    name: 'kysely on PGlite',
    async open() {
      instance ??= openPgliteStore();
      const { db } = await instance;
      await sql`truncate table tessera_rate_limits`.execute(db);
      return createKyselyRateLimitStore(db, { engine: 'pglite' });
    },
    async close() {
      if (instance) await (await instance).close();
      instance = undefined;
    },
  };
}

/**
 * The Kysely store on real PostgreSQL: one throw-away database per file, emptied per test;
 * a second instance is a second pool on the same database.
 */
export function postgresRateLimitLeg(): RateLimitStoreLeg {
  let database: Promise<{ testDatabase: TestDatabase; first: PostgresStore }> | undefined;
  const pools: PostgresStore[] = [];
  const connect = async () => {
    const testDatabase = await createTestDatabase();
    const first = createPostgresStore({ connectionString: testDatabase.connectionString, maxConnections: 20 });
    pools.push(first);
    await migrateToLatest(first.db);
    return { testDatabase, first };
  };
  return {
    name: 'kysely on PostgreSQL',
    async open() {
      database ??= connect();
      const { first } = await database;
      await sql`truncate table tessera_rate_limits`.execute(first.db);
      return createKyselyRateLimitStore(first.db);
    },
    async openAnotherInstance() {
      if (!database) throw new Error('open() first');
      const { testDatabase } = await database;
      const second = createPostgresStore({ connectionString: testDatabase.connectionString, maxConnections: 20 });
      pools.push(second);
      return createKyselyRateLimitStore(second.db);
    },
    async close() {
      await Promise.all(pools.splice(0).map((pool) => pool.close()));
      if (database) await (await database).testDatabase.drop();
      database = undefined;
    },
  };
}

/** The Redis server the Redis legs run on; override with `TESSERA_TEST_REDIS_URL`. */
export const redisUrl = process.env.TESSERA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix no other run (nor another engineer's) shares; every key of this process is under it. */
export const runPrefix = `tessera:test:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}:`;

/** A client for the tests (on `redisUrl` unless `options` say otherwise): fails fast instead of queueing through an outage. */
export function testRedisClient(options: RedisOptions = {}): Redis {
  const url = new URL(redisUrl);
  const server: RedisOptions = {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    db: Number(url.pathname.slice(1) || 0),
  };
  return new Redis({ ...server, maxRetriesPerRequest: 1, connectTimeout: 3000, ...options });
}

/**
 * The Redis store on the real server: each test gets a prefix of its own under `runPrefix`;
 * a second instance is a second client with the same prefix. Keys left behind are deleted.
 */
export function redisRateLimitLeg(): RateLimitStoreLeg {
  const clients: Redis[] = [];
  let opened = 0;
  let prefix = '';
  const client = () => {
    const redis = testRedisClient();
    clients.push(redis);
    return redis;
  };
  return {
    name: 'Redis',
    async open() {
      opened += 1;
      prefix = `${runPrefix}contract${opened}:`;
      return createRedisRateLimitStore(client(), { prefix });
    },
    async openAnotherInstance() {
      return createRedisRateLimitStore(client(), { prefix });
    },
    async close() {
      if (clients[0]) await deleteKeys(clients[0], `${runPrefix}contract`);
      await Promise.all(clients.splice(0).map((redis) => redis.quit()));
    },
  };
}

/** Deletes every key that starts with `prefix`. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  // Glob metacharacters in the prefix would widen the match; ours have none.
  for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
    if (keys.length > 0) await redis.unlink(...keys);
  }
}

let reachability: Promise<boolean> | undefined;

/**
 * Whether the Redis legs can run. With `CI=true` an unreachable server fails the run; locally
 * the leg is skipped with a visible notice.
 */
export function redisAvailable(): Promise<boolean> {
  reachability ??= checkRedis(redisUrl, { isCi: process.env.CI === 'true' || process.env.CI === '1' });
  return reachability;
}

/**
 * Connects once to `url`. Unreachable: rejects when `isCi` (a CI run must not pass without
 * its Redis), otherwise warns and resolves `false`.
 */
export async function checkRedis(url: string, options: { isCi: boolean }): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch (error) {
    const where = redact(url);
    if (options.isCi) throw new Error(`CI=true and Redis at ${where} is unreachable: ${String(error)}`, { cause: error });
    console.warn(`\n[tessera] SKIPPING the Redis leg: ${where} is unreachable (${String(error)}).\n`);
    return false;
  } finally {
    redis.disconnect();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]+@/, '//$1:***@');
}
