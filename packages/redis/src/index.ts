/**
 * `@tessera/redis`: Tessera's shared stores on Redis, over the app's ioredis client. For now,
 * rate-limit counters that every instance of the app shares.
 *
 * @packageDocumentation
 */
export { createRedisRateLimitStore, type RedisRateLimitStoreOptions } from './redis-rate-limit-store.js';
