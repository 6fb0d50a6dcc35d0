/**
 * Polls `check` until it returns a value other than `undefined`/`false`, or fails after
 * `timeoutMs` naming what it waited for. A bound on waiting, never a measure of speed.
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`gave up waiting (${options.timeoutMs ?? 30_000} ms) for ${what}`);
    await sleep(options.intervalMs ?? 100);
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Settles `promise`, or rejects once `ms` have passed: a request that hangs must fail the test
 * (with a message saying so) instead of hanging it.
 */
export function withinMs<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}
