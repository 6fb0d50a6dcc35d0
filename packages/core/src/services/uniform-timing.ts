import type { ServiceDeps } from './service-deps.js';

// Web-standard timers only: the core runs wherever `fetch` does.
const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis));

/**
 * Makes an answer that did no work take about as long as one that did, so response times do
 * not tell whether an account exists. Forgot-password and resend-verification write a token
 * and an outbox row (a transaction, with its commit) only for a real account; for any other
 * address they would answer several milliseconds sooner. Here the paths that did the work
 * record how long it took (a running mean), and the others wait about that long, with jitter.
 */
export class UniformTiming {
  #meanMillis = 0;
  #samples = 0;

  /** Runs the work of a "real" answer, and learns how long such work takes. */
  async timed<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.#learn(performance.now() - started);
    }
  }

  /** Waits about as long as the work of a real answer takes (75–125 % of the running mean). */
  async pad(): Promise<void> {
    if (this.#samples === 0) return;
    await sleep(this.#meanMillis * (0.75 + Math.random() * 0.5));
  }

  #learn(millis: number): void {
    // A mean over the last ~50 answers, so it follows the database's current speed.
    this.#samples = Math.min(this.#samples + 1, 50);
    this.#meanMillis += (Math.min(millis, 1000) - this.#meanMillis) / this.#samples;
  }
}

const timings = new WeakMap<ServiceDeps, Map<string, UniformTiming>>();

/** The timing of one kind of answer (e.g. `forgotPassword`) of one Tessera instance. */
export function uniformTiming(deps: ServiceDeps, kind: string): UniformTiming {
  let byKind = timings.get(deps);
  if (!byKind) timings.set(deps, (byKind = new Map<string, UniformTiming>()));
  let timing = byKind.get(kind);
  if (!timing) byKind.set(kind, (timing = new UniformTiming()));
  return timing;
}
