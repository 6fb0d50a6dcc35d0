import fc from 'fast-check';
import type { TesseraOptions } from '@tessera/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpMount, MountApp } from '../../src/http/contract.js';
import { pgMemLeg } from '../../src/legs.js';
import type { StoreLeg } from '../../src/fixtures.js';
import { createFuzzWorld, type FuzzWorld } from './fuzz-world.js';
import { fuzzSettings } from './fuzz-settings.js';
import { materialize } from './materialize.js';
import { operationsOf, type Operation } from './operations.js';
import { requestArbitrary } from './request-arbitrary.js';
import { checkResponse, type Observation } from './response-properties.js';

/** One fuzz run: which app, on which store, how many requests (a share of `TESSERA_FUZZ_RUNS`). */
export interface FuzzTarget {
  readonly framework: string;
  readonly mount: MountApp;
  /** What sets this run apart (e.g. `rate limits on`); part of its name and seed. */
  readonly label?: string;
  /** @default pg-mem */
  readonly leg?: StoreLeg;
  /** Share of the configured runs. @default 1 */
  readonly scale?: number;
  /** Options of the fuzzed Tessera (rate limits are off unless these turn them on). */
  readonly options?: Partial<Omit<TesseraOptions, 'permissions'>>;
  /** Further checks on the run's observations (e.g. that limits were hit). */
  readonly afterRun?: (observations: readonly Observation[]) => void;
}

/**
 * Sends generated requests for every operation through one mount and checks each response
 * (see `checkResponse`). The seed is fixed unless `TESSERA_FUZZ_SEED` says otherwise; a failure
 * prints it with the path of the shrunk counterexample, to replay with `TESSERA_FUZZ_SEED` and
 * `TESSERA_FUZZ_PATH`.
 */
export function describeFuzz(target: FuzzTarget): void {
  const leg = target.leg ?? pgMemLeg();
  const name = `${target.framework}/${leg.name}${target.label ? ` (${target.label})` : ''}`;
  const settings = fuzzSettings(name, target.scale);

  describe(`fuzzing the HTTP API through ${target.framework} on ${leg.name}${target.label ? `, ${target.label}` : ''}`, () => {
    let world: FuzzWorld;
    let app: HttpMount;
    let operations: Operation[];

    beforeAll(async () => {
      world = await createFuzzWorld(leg, target.options);
      app = await target.mount(world.t.tessera);
      operations = operationsOf(world.t.tessera);
    });
    afterAll(async () => {
      await app?.close();
      await leg.close();
    });

    const title = settings.path === undefined ? `answers ${settings.runs} generated requests (seed ${settings.seed})` : `replays seed ${settings.seed}, path ${settings.path}`;
    it(`${title} with no 5xx, only valid problems, no echoed credential`, async () => {
      const observations: Observation[] = [];
      const timings: Record<string, number> = {};
      const started = performance.now();
      const property = fc.asyncProperty(requestArbitrary(operations), async (request) => {
        const concrete = materialize(request, world);
        const sentAt = performance.now();
        const response = await app.fetch(concrete.target, concrete.init);
        const observation = await checkResponse(operations, concrete, response);
        timings[observation.operationId] = (timings[observation.operationId] ?? 0) + performance.now() - sentAt;
        observations.push(observation);
        // A successful change may have deleted, demoted or locked a seeded user: seed it anew.
        if (observation.status < 300 && concrete.method !== 'GET' && concrete.method !== 'HEAD') await world.repair(concrete.refs);
      });
      // A replay (`TESSERA_FUZZ_PATH`) sends the shrunk counterexample alone, to a fresh world.
      await fc.assert(property, { seed: settings.seed, ...(settings.path === undefined ? { numRuns: settings.runs } : { path: settings.path, numRuns: 1 }) });
      const seconds = (performance.now() - started) / 1000;

      const reached = new Set(observations.filter((observation) => observation.status < 300).map((observation) => observation.operationId));
      const tried = new Set(observations.map((observation) => observation.operationId));
      const count = (low: number, high: number) => observations.filter((observation) => observation.status >= low && observation.status < high).length;
      console.info(
        `fuzz ${name}: ${observations.length} requests in ${seconds.toFixed(1)} s (${Math.round(observations.length / seconds)}/s), ` +
          `2xx ${count(200, 300)}, 3xx ${count(300, 400)}, 4xx ${count(400, 500)}; ${reached.size}/${operations.length} operations answered 2xx; ${world.reseeded} slots seeded anew`,
      );
      if (process.env.TESSERA_FUZZ_STATS) printStatistics(observations, timings);
      if (settings.path === undefined) target.afterRun?.(observations);
      if (settings.path === undefined && settings.runs >= 2_000) {
        // A generator that stopped reaching the services would pass while testing nothing.
        expect(operations.filter((operation) => !tried.has(operation.operationId)).map((operation) => operation.operationId)).toEqual([]);
        expect(reached.size).toBeGreaterThanOrEqual(operations.length - 4);
      }
    });
  });
}

/** With `TESSERA_FUZZ_STATS=1`: answers per operation (status, code, first field issue) and time spent per operation. */
function printStatistics(observations: readonly Observation[], timings: Readonly<Record<string, number>>): void {
  const table: Record<string, Record<string, number>> = {};
  for (const { operationId, status, code, issue } of observations) {
    const row = (table[operationId] ??= {});
    const key = `${status}${code ? ` ${code}` : ''}${issue ? ` (${issue})` : ''}`;
    row[key] = (row[key] ?? 0) + 1;
  }
  console.info(JSON.stringify(table, null, 1));
  console.info(Object.entries(timings).sort((a, b) => b[1] - a[1]).map(([id, ms]) => `${id} ${Math.round(ms)} ms`).join('\n'));
}
