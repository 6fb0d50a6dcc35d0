import { StoreUnavailableError, TesseraConfigError, type RateLimitCount, type RateLimitStore } from '@tessera/core';
import type { Cluster, Redis } from 'ioredis';

/** Options of `createRedisRateLimitStore`. */
export interface RedisRateLimitStoreOptions {
  /**
   * Put before every key, so Tessera's counters never meet the app's own keys (added after
   * the client's own `keyPrefix`, if it has one). @default 'tessera:rl:'
   */
  readonly prefix?: string;
}

/** The name the hit script is registered under on the client (`defineCommand`). */
const hitCommand = 'tesseraRateLimitHit';

/**
 * One hit, atomically (Redis runs a script alone): a hash `{ count, reset }` per key. A window
 * that has ended by the caller's clock (ARGV[1], ms) starts again at 1, ending at ARGV[3];
 * the key then expires after the window's length (ARGV[2], ms) by Redis's own clock, so a
 * skew between the two clocks can never make a counter vanish early.
 */
const hitScript = `
local reset = tonumber(redis.call('HGET', KEYS[1], 'reset'))
if reset == nil or reset <= tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'count', 1, 'reset', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, ARGV[3]}
end
return {redis.call('HINCRBY', KEYS[1], 'count', 1), redis.call('HGET', KEYS[1], 'reset')}
`;

/** The client once the hit script is defined on it. */
type ScriptedClient = (Redis | Cluster) & {
  [hitCommand](key: string, nowMs: string, windowMs: string, resetAtMs: string): Promise<[number, string]>;
};

/**
 * Rate-limit counters in Redis, shared by every instance of the app, over the app's
 * [ioredis](https://github.com/redis/ioredis) client (a `Redis` or a `Cluster`: each counter
 * is one key). A hit is one round trip running a Lua script (INCR, and an expiry on a window's
 * first hit); `peek` and `reset` are one command each. Windows follow the `now` the caller
 * passes; Redis drops a key by itself once its window has passed.
 *
 * A failing Redis rejects every call with a `StoreUnavailableError` (Tessera then answers 503,
 * or lets requests through with `rateLimits.onStoreFailure: 'open'`). Give the client
 * `maxRetriesPerRequest` and `commandTimeout` so an outage rejects quickly instead of holding
 * requests while it reconnects (see the README).
 *
 * @example
 * ```ts
 * const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1, commandTimeout: 1000 });
 * const tessera = createTessera({ ...options, rateLimits: { store: createRedisRateLimitStore(redis) } });
 * ```
 *
 * @throws TesseraConfigError naming `prefix` when it is not a string of at most 256 characters.
 */
export function createRedisRateLimitStore(redis: Redis | Cluster, options: RedisRateLimitStoreOptions = {}): RateLimitStore {
  const prefix = options.prefix ?? 'tessera:rl:';
  if (typeof prefix !== 'string' || prefix.length > 256) {
    throw new TesseraConfigError([{ path: 'prefix', code: 'invalid_value', message: 'must be a string of at most 256 characters' }]);
  }
  // Defined once per client (ioredis sends EVALSHA, and the script itself only when Redis
  // does not know it yet); every store on the client shares it.
  if (!(hitCommand in redis)) {
    redis.defineCommand(hitCommand, { lua: hitScript, numberOfKeys: 1 });
  }
  const client = redis as unknown as ScriptedClient;

  return {
    async hit(key, windowSeconds, now): Promise<RateLimitCount> {
      if (!(Number.isFinite(windowSeconds) && windowSeconds > 0)) throw new TypeError(`windowSeconds must be a positive number, got ${String(windowSeconds)}`);
      const nowMs = millis(now);
      const windowMs = Math.ceil(windowSeconds * 1000);
      const [count, resetAt] = await unavailableOnFailure(client[hitCommand](prefix + key, String(nowMs), String(windowMs), String(nowMs + windowMs)));
      return { count: Number(count), resetAt: new Date(Number(resetAt)) };
    },

    async peek(key, now): Promise<RateLimitCount | null> {
      const nowMs = millis(now);
      const [count, resetAt] = await unavailableOnFailure(client.hmget(prefix + key, 'count', 'reset'));
      if (count === null || resetAt === null || Number(resetAt) <= nowMs) return null;
      return { count: Number(count), resetAt: new Date(Number(resetAt)) };
    },

    async reset(key): Promise<void> {
      await unavailableOnFailure(client.del(prefix + key));
    },
  };
}

function millis(now: Date): number {
  const ms = now instanceof Date ? now.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new TypeError('now must be a valid Date');
  return ms;
}

async function unavailableOnFailure<T>(reply: Promise<T>): Promise<T> {
  try {
    return await reply;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailableError(`The Redis rate-limit store failed: ${reason}`, { cause: error });
  }
}
