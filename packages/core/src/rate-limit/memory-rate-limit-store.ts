import type { RateLimitCount, RateLimitStore } from '../ports/rate-limit-store.js';

/** Options of the in-memory store. */
export interface MemoryRateLimitStoreOptions {
  /** Keys kept at most; the oldest windows are dropped beyond it. @default 100000 */
  readonly maxKeys?: number;
}

/**
 * Rate-limit counters in this process's memory: right for one instance (and tests). Bounded:
 * expired windows are swept, and beyond `maxKeys` the oldest are dropped, so a flood of
 * distinct keys cannot exhaust memory.
 */
export function memoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): RateLimitStore {
  const maxKeys = options.maxKeys ?? 100_000;
  const windows = new Map<string, { count: number; resetAt: number }>();
  let lastSweep = 0;

  const sweep = (now: number): void => {
    if (now - lastSweep < 10_000 && windows.size < maxKeys) return;
    lastSweep = now;
    for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
    // Maps iterate in insertion order: the first keys are the oldest windows.
    for (const key of windows.keys()) {
      if (windows.size <= maxKeys) break;
      windows.delete(key);
    }
  };

  return {
    async hit(key, windowSeconds, now): Promise<RateLimitCount> {
      const at = now.getTime();
      sweep(at);
      const current = windows.get(key);
      if (!current || current.resetAt <= at) {
        const fresh = { count: 1, resetAt: at + windowSeconds * 1000 };
        windows.delete(key);
        windows.set(key, fresh);
        return { count: 1, resetAt: new Date(fresh.resetAt) };
      }
      current.count += 1;
      return { count: current.count, resetAt: new Date(current.resetAt) };
    },
    async peek(key, now) {
      const current = windows.get(key);
      return current && current.resetAt > now.getTime() ? { count: current.count, resetAt: new Date(current.resetAt) } : null;
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}
