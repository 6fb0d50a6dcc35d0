import { StoreUnavailableError, TesseraConfigError, type RateLimitStore } from '@tessera/core';
import { createRedisRateLimitStore } from '@tessera/redis';
import type { Redis } from 'ioredis';
import net from 'node:net';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { checkRedis, deleteKeys, redisAvailable, redisUrl, runPrefix, testRedisClient } from './rate-limit-store-legs.js';

// With CI=true an unreachable Redis fails here; locally the file is skipped with a notice.
const available = await redisAvailable();

/** A TCP relay to the real Redis that a test can take down, bring back, or make go silent. */
class RedisRelay {
  readonly #server = net.createServer((client) => this.#relay(client));
  readonly #sockets = new Set<net.Socket>();
  #silent = false;
  port = 0;

  async start(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.#server.address() as net.AddressInfo).port;
  }

  /** The outage: nothing listens any more, and every open connection is cut. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  /** Redis stops answering, but the connections stay open (a hung server, a black hole). */
  goSilent(): void {
    this.#silent = true;
  }

  #relay(client: net.Socket): void {
    const { hostname, port } = new URL(redisUrl);
    const upstream = net.connect(Number(port || 6379), hostname);
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => void (this.#silent || upstream.write(chunk)));
    upstream.on('data', (chunk) => void (this.#silent || client.write(chunk)));
  }
}

/** A port where nothing listens. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const isUnavailable = (error: unknown) => error instanceof StoreUnavailableError;

describe.skipIf(!available)('the Redis rate-limit store', () => {
  const clients: Redis[] = [];
  const client = (options: Parameters<typeof testRedisClient>[0] = {}) => {
    const redis = testRedisClient(options);
    redis.on('error', () => undefined);
    clients.push(redis);
    return redis;
  };
  const relays: RedisRelay[] = [];
  let prefix = '';
  let tests = 0;
  const t0 = Date.now();
  const at = (seconds: number) => new Date(t0 + seconds * 1000);
  const store = (redis: Redis = client()): RateLimitStore => {
    tests += 1;
    prefix = `${runPrefix}redis${tests}:`;
    return createRedisRateLimitStore(redis, { prefix });
  };

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
  });
  afterAll(async () => {
    const cleaner = client();
    await deleteKeys(cleaner, `${runPrefix}redis`);
    await deleteKeys(cleaner, `tessera:rl:${runPrefix}`);
    clients.forEach((redis) => redis.disconnect());
  });

  it('keeps each counter under the prefix as one hash that expires with its window', async () => {
    const redis = client();
    const limits = store(redis);
    await limits.hit('login:203.0.113.7', 60, at(0));
    await limits.hit('login:203.0.113.7', 60, at(1));
    const key = `${prefix}login:203.0.113.7`;
    expect(await redis.hgetall(key)).toEqual({ count: '2', reset: String(at(60).getTime()) });
    // The expiry runs on Redis's clock for the window's length, whatever the callers' clocks say.
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // A new window renews the expiry for its own length.
    await limits.hit('login:203.0.113.7', 5, at(60));
    expect(await redis.pttl(key)).toBeLessThanOrEqual(5000);
  });

  it("uses 'tessera:rl:' as the default prefix, after the client's own keyPrefix", async () => {
    const plain = client();
    await createRedisRateLimitStore(plain).hit(`${runPrefix}default`, 60, at(0));
    expect(await plain.exists(`tessera:rl:${runPrefix}default`)).toBe(1);
    const prefixed = client({ keyPrefix: `${runPrefix}redis-app:` });
    await createRedisRateLimitStore(prefixed, { prefix: 'rl:' }).hit('k', 60, at(0));
    expect(await plain.exists(`${runPrefix}redis-app:rl:k`)).toBe(1);
  });

  it('keeps stores with different prefixes apart, on one client', async () => {
    const redis = client();
    const first = store(redis);
    const second = store(redis);
    await first.hit('k', 60, at(0));
    await first.hit('k', 60, at(0));
    expect(await second.hit('k', 60, at(0))).toMatchObject({ count: 1 });
    expect(await first.peek('k', at(0))).toMatchObject({ count: 2 });
  });

  it('rejects every call with StoreUnavailableError when Redis cannot be reached', async () => {
    const redis = client({ port: await closedPort(), host: '127.0.0.1', retryStrategy: () => 20 });
    const limits = store(redis);
    await expect(limits.hit('k', 60, at(0))).rejects.toSatisfy(isUnavailable);
    await expect(limits.peek('k', at(0))).rejects.toSatisfy(isUnavailable);
    await expect(limits.reset('k')).rejects.toSatisfy(isUnavailable);
  });

  it('rejects while Redis is down, and counts on from where it was once Redis is back', async () => {
    const relay = new RedisRelay();
    relays.push(relay);
    await relay.start();
    const redis = client({ host: '127.0.0.1', port: relay.port, retryStrategy: () => 20 });
    const limits = store(redis);
    expect(await limits.hit('k', 60, at(0))).toMatchObject({ count: 1 });

    await relay.stop();
    await expect(limits.hit('k', 60, at(1))).rejects.toSatisfy(isUnavailable);
    await expect(limits.peek('k', at(1))).rejects.toSatisfy(isUnavailable);

    await relay.start(relay.port);
    await vi.waitFor(async () => expect(await limits.peek('k', at(2))).toMatchObject({ count: 1 }), { timeout: 10_000, interval: 50 });
    expect(await limits.hit('k', 60, at(2))).toEqual({ count: 2, resetAt: at(60) });
  });

  it("rejects a call that a hung Redis does not answer within the client's commandTimeout", async () => {
    const relay = new RedisRelay();
    relays.push(relay);
    await relay.start();
    const redis = client({ host: '127.0.0.1', port: relay.port, commandTimeout: 300 });
    const limits = store(redis);
    expect(await limits.hit('k', 60, at(0))).toMatchObject({ count: 1 });
    relay.goSilent();
    await expect(limits.hit('k', 60, at(1))).rejects.toSatisfy((error: unknown) => isUnavailable(error) && /timed out/i.test((error as Error).message));
  });

  it('rejects a window that is not a positive number, and a date that is not one', async () => {
    const limits = store();
    for (const windowSeconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(limits.hit('k', windowSeconds, at(0))).rejects.toThrow(TypeError);
    }
    await expect(limits.hit('k', 60, new Date(Number.NaN))).rejects.toThrow(TypeError);
    await expect(limits.peek('k', new Date(Number.NaN))).rejects.toThrow(TypeError);
    expect(await limits.peek('k', at(0))).toBeNull();
  });

  it('names a wrong prefix', () => {
    const redis = client({ lazyConnect: true });
    for (const prefix of [42, 'x'.repeat(257)]) {
      expect(() => createRedisRateLimitStore(redis, { prefix: prefix as string })).toThrow(TesseraConfigError);
    }
  });
});

describe('the Redis leg guard', () => {
  it('fails a CI run whose Redis is unreachable, and only warns locally', async () => {
    const unreachable = `redis://127.0.0.1:${await closedPort()}`;
    await expect(checkRedis(unreachable, { isCi: true })).rejects.toThrow(/CI=true and Redis at .* is unreachable/);
    await expect(checkRedis(unreachable, { isCi: false })).resolves.toBe(false);
  });
});
