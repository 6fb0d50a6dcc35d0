import type { Tessera, TesseraStore } from '@tessera/core';
import { afterAll, beforeEach, describe } from 'vitest';
import { createTestTessera, type StoreLeg, type TestTessera } from '../fixtures.js';
import { smokeSuite } from './smoke-suite.js';

/** An app of one framework, listening or injectable, with Tessera mounted. */
export interface HttpMount {
  /** Sends a request to the app; `path` is absolute (`/auth/login`, `/api/reports`). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Builds an app of the framework under test, the way a user would:
 * - Tessera's routes mounted at `/auth`;
 * - the host app's own routes, guarded by the adapter's middleware:
 *   - `GET /api/public` → 200 `{ "ok": true }` (no guard);
 *   - `GET /api/me` (authenticated) → 200 `{ "userId", "role", "permissions" }` from the auth context;
 *   - `GET /api/reports` (permission `users:list`) → 200 `{ "ok": true, "userId" }`;
 *   - `GET /api/admin` (role ADMIN) → 200 `{ "ok": true }`.
 */
export type MountApp = (tessera: Tessera) => Promise<HttpMount>;

/** What every HTTP sub-suite receives: a fresh app per test, over a fresh store. */
export interface HttpSuiteContext {
  readonly framework: string;
  /** Current test's Tessera (with its manual clock and captured events). */
  readonly t: TestTessera;
  readonly store: TesseraStore;
  readonly app: HttpMount;
}

/** Options of the HTTP contract. */
export interface HttpContractOptions {
  /** e.g. `express`, `fastify`, `hono`. */
  readonly framework: string;
  readonly leg: StoreLeg;
  readonly mount: MountApp;
}

/**
 * THE HTTP contract, written once and run against every adapter on every database: each
 * adapter's test file calls it with its own `mount`.
 */
export function describeHttpContract(options: HttpContractOptions): void {
  describe(`HTTP contract on ${options.framework} / ${options.leg.name}`, () => {
    const context = {} as { -readonly [K in keyof HttpSuiteContext]: HttpSuiteContext[K] };
    let previous: HttpMount | undefined;

    beforeEach(async () => {
      await previous?.close();
      context.framework = options.framework;
      context.store = await options.leg.open();
      context.t = await createTestTessera(context.store);
      context.app = previous = await options.mount(context.t.tessera);
    });
    afterAll(async () => {
      await previous?.close();
      await options.leg.close();
    });

    smokeSuite(context);
  });
}
