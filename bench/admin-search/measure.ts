import { performance } from 'node:perf_hooks';

/** How long a scenario is timed. */
export interface MeasureOptions {
  /** Untimed runs first: plans cached in the OS and the pool's connections warm. */
  readonly warmupRuns: number;
  /** Timed runs, unless `budgetMillis` runs out first (never fewer than `minimumRuns`). */
  readonly runs: number;
  readonly minimumRuns: number;
  readonly budgetMillis: number;
}

/** Latency percentiles of one scenario, in milliseconds. */
export interface Timing {
  readonly runs: number;
  readonly p50Millis: number;
  readonly p95Millis: number;
  readonly p99Millis: number;
  readonly maxMillis: number;
}

/** Times `work` one call after another (an admin screen sends one query at a time). */
export async function measure(work: () => Promise<unknown>, options: MeasureOptions): Promise<Timing> {
  for (let run = 0; run < options.warmupRuns; run += 1) await work();
  const durations: number[] = [];
  const started = performance.now();
  while (durations.length < options.runs && (durations.length < options.minimumRuns || performance.now() - started < options.budgetMillis)) {
    const before = performance.now();
    await work();
    durations.push(performance.now() - before);
  }
  durations.sort((a, b) => a - b);
  return {
    runs: durations.length,
    p50Millis: percentile(durations, 50),
    p95Millis: percentile(durations, 95),
    p99Millis: percentile(durations, 99),
    maxMillis: durations[durations.length - 1] ?? Number.NaN,
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], rank: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((rank / 100) * sorted.length) - 1)]!;
}
