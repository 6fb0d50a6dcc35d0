import { describe, expect, it } from 'vitest';
import { UniformTiming } from '../src/services/uniform-timing.js';

const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis));

describe('UniformTiming', () => {
  it('waits about as long as the real work it has seen took', async () => {
    const timing = new UniformTiming();
    expect(await timing.timed(async () => (await sleep(40), 'done'))).toBe('done');
    const started = performance.now();
    await timing.pad();
    // Only the lower bound is asserted: a busy machine may add to any wait, never take from it.
    expect(performance.now() - started).toBeGreaterThanOrEqual(40 * 0.75 - 2);
  });

  it('learns from work that failed too, and passes the failure on', async () => {
    const timing = new UniformTiming();
    await expect(timing.timed(async () => (await sleep(30), Promise.reject(new Error('store down'))))).rejects.toThrow('store down');
    const started = performance.now();
    await timing.pad();
    expect(performance.now() - started).toBeGreaterThanOrEqual(30 * 0.75 - 2);
  });
});
