import type { RateLimitCount, RateLimitStore } from '@tessera/core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { RateLimitStoreLeg } from './rate-limit-store-legs.js';

/**
 * The rate-limit store contract: what every `RateLimitStore` must do, whatever keeps the
 * counters. Time is driven through the `now` argument; it starts at the real time because
 * Redis also expires keys by its own clock. Concurrency is asserted with exact counts: on
 * stores that run one call at a time it holds trivially, on PostgreSQL and Redis it is real.
 */
export function describeRateLimitStoreContract(leg: RateLimitStoreLeg): void {
  describe(`rate-limit store contract on ${leg.name}`, () => {
    let store: RateLimitStore;
    let t0: number;
    const at = (seconds: number) => new Date(t0 + seconds * 1000);
    const counts = (results: readonly RateLimitCount[]) => results.map((result) => result.count).sort((a, b) => a - b);
    const oneTo = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

    beforeEach(async () => {
      store = await leg.open();
      // Whole milliseconds, as every store keeps them.
      t0 = Date.now();
    });
    afterAll(() => leg.close());

    it('counts hits within a window that ends windowSeconds after the first hit', async () => {
      expect(await store.hit('k', 60, at(0))).toEqual({ count: 1, resetAt: at(60) });
      expect(await store.hit('k', 60, at(1))).toEqual({ count: 2, resetAt: at(60) });
      // The window is fixed: later hits, even with another length, do not move its end.
      expect(await store.hit('k', 3600, at(59.999))).toEqual({ count: 3, resetAt: at(60) });
    });

    it('starts a new window once the previous one has ended', async () => {
      await store.hit('k', 60, at(0));
      await store.hit('k', 60, at(30));
      // The window ends at its resetAt: a hit at that instant opens the next one.
      expect(await store.hit('k', 60, at(60))).toEqual({ count: 1, resetAt: at(120) });
      expect(await store.hit('k', 60, at(61))).toEqual({ count: 2, resetAt: at(120) });
      // Long after, with another length.
      expect(await store.hit('k', 10, at(500))).toEqual({ count: 1, resetAt: at(510) });
    });

    it('peeks at a counter without counting a hit', async () => {
      expect(await store.peek('k', at(0))).toBeNull();
      await store.hit('k', 60, at(0));
      await store.hit('k', 60, at(1));
      expect(await store.peek('k', at(2))).toEqual({ count: 2, resetAt: at(60) });
      expect(await store.peek('k', at(3))).toEqual({ count: 2, resetAt: at(60) });
      expect(await store.hit('k', 60, at(4))).toEqual({ count: 3, resetAt: at(60) });
    });

    it('peeks at an ended window as no counter at all', async () => {
      await store.hit('k', 60, at(0));
      expect(await store.peek('k', at(59.999))).toMatchObject({ count: 1 });
      expect(await store.peek('k', at(60))).toBeNull();
      expect(await store.peek('k', at(3600))).toBeNull();
    });

    it('forgets a key on reset, and the next hit starts a new window', async () => {
      await store.hit('k', 60, at(0));
      await store.hit('k', 60, at(1));
      await store.reset('k');
      expect(await store.peek('k', at(2))).toBeNull();
      expect(await store.hit('k', 60, at(2))).toEqual({ count: 1, resetAt: at(62) });
      // Resetting a key that has no counter is fine.
      await expect(store.reset('never-hit')).resolves.toBeUndefined();
    });

    it('keeps every key apart, including keys that extend one another', async () => {
      const keys = ['login:203.0.113.7', 'login:203.0.113.70', 'login:2001:db8:0:1::/64', 'mailPerAccount:ada@example.com', "odd 'key'; -- \"quoted\" ✓", 'x'.repeat(512)];
      for (const [index, key] of keys.entries()) {
        for (let hit = 0; hit <= index; hit += 1) await store.hit(key, 60 + index, at(0));
      }
      for (const [index, key] of keys.entries()) {
        expect(await store.peek(key, at(1))).toEqual({ count: index + 1, resetAt: at(60 + index) });
      }
      await store.reset(keys[0]!);
      expect(await store.peek(keys[0]!, at(1))).toBeNull();
      expect(await store.peek(keys[1]!, at(1))).toMatchObject({ count: 2 });
    });

    it('counts every one of 200 concurrent hits on one key exactly once', async () => {
      const results = await Promise.all(oneTo(200).map(() => store.hit('hot', 60, at(0))));
      // Each hit saw a different count: none was lost, none counted twice.
      expect(counts(results)).toEqual(oneTo(200));
      expect(new Set(results.map((result) => result.resetAt.getTime()))).toEqual(new Set([at(60).getTime()]));
      expect(await store.peek('hot', at(1))).toEqual({ count: 200, resetAt: at(60) });
    });

    it('counts concurrent hits on many keys independently', async () => {
      const keys = oneTo(20).map((n) => `ip:${n}`);
      await Promise.all(keys.flatMap((key) => oneTo(10).map(() => store.hit(key, 60, at(0)))));
      for (const key of keys) expect(await store.peek(key, at(1))).toEqual({ count: 10, resetAt: at(60) });
    });

    // Only shared stores have a second instance to count with; the others count alone by design.
    if (leg.openAnotherInstance) it('counts exactly 200 concurrent hits shared between two app instances', async () => {
      const other = await leg.openAnotherInstance!();
      const results = await Promise.all(oneTo(200).map((n) => (n % 2 === 0 ? store : other).hit('shared', 60, at(0))));
      expect(counts(results)).toEqual(oneTo(200));
      expect(await store.peek('shared', at(1))).toEqual({ count: 200, resetAt: at(60) });
      expect(await other.peek('shared', at(1))).toEqual({ count: 200, resetAt: at(60) });
      // A reset through one instance is seen by the other.
      await other.reset('shared');
      expect(await store.peek('shared', at(1))).toBeNull();
    });
  });
}
