/**
 * How much to fuzz, and with which seed. CI runs fixed seeds (one per run, derived from its
 * name, so the adapters explore different requests), so a run is repeatable; locally
 * `TESSERA_FUZZ_RUNS=100000` scales up and `TESSERA_FUZZ_SEED=random` explores new ground. A
 * failure prints its seed and path: replay it with `TESSERA_FUZZ_SEED=<seed>
 * TESSERA_FUZZ_PATH=<path>` on the same test file.
 */
export interface FuzzSettings {
  /** Generated requests per adapter. */
  readonly runs: number;
  readonly seed: number;
  /** fast-check's replay path of a reported counterexample. */
  readonly path: string | undefined;
}

/** The seed CI runs: any fixed number would do, this one is the issue's. */
const defaultSeed = 9_000_009;
const defaultRuns = 10_000;

/** The settings from the environment for the run named `name`; `scale` shrinks them for the smaller side runs. */
export function fuzzSettings(name: string, scale = 1): FuzzSettings {
  const runs = Number(process.env.TESSERA_FUZZ_RUNS ?? defaultRuns);
  if (!Number.isInteger(runs) || runs < 1) throw new TypeError(`TESSERA_FUZZ_RUNS must be a positive whole number, not "${process.env.TESSERA_FUZZ_RUNS}"`);
  const seedText = process.env.TESSERA_FUZZ_SEED;
  const seed = seedText === undefined ? defaultSeed + nameOffset(name) : seedText === 'random' ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(seedText);
  if (!Number.isInteger(seed)) throw new TypeError(`TESSERA_FUZZ_SEED must be a whole number or "random", not "${seedText}"`);
  return { runs: Math.max(1, Math.round(runs * scale)), seed, path: process.env.TESSERA_FUZZ_PATH || undefined };
}

/** A small stable number for a name (FNV-1a), so each run has a seed of its own. */
function nameOffset(name: string): number {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash % 1_000_000;
}
