import type { Tessera, TesseraStore } from '@tessera/core';
import { afterAll, afterEach, beforeEach, describe } from 'vitest';
import { createTestTessera, type StoreLeg, type TestTessera } from '../fixtures.js';
import { accountSuite } from './account-suite.js';
import { hostRoutesSuite } from './host-routes-suite.js';
import { hostileBodySuite } from './hostile-body-suite.js';
import { hostileUrlSuite } from './hostile-url-suite.js';
import { hypermediaSuite } from './hypermedia-suite.js';
import { idorSuite } from './idor-suite.js';
import { massAssignmentSuite } from './mass-assignment-suite.js';
import { meSuite } from './me-suite.js';
import { metaSuite } from './meta-suite.js';
import { passwordRulesSuite } from './password-rules-suite.js';
import { permissionMatrixSuite } from './permission-matrix-suite.js';
import { adminOperationsSuite } from './admin-operations-suite.js';
import { emailChangeSuite } from './email-change-suite.js';
import { fuzzFindingsSuite } from './fuzz-findings-suite.js';
import { proAndProfileSuite } from './pro-and-profile-suite.js';
import { rateLimitSuite } from './rate-limit-suite.js';
import { registrationModesSuite } from './registration-modes-suite.js';
import { smokeSuite } from './smoke-suite.js';
import { tokenEndpointSuite } from './token-endpoint-suite.js';
import { unicodeTricksSuite } from './unicode-tricks-suite.js';
import { userManagementSuite } from './user-management-suite.js';
import { verificationSuite } from './verification-suite.js';

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
  /**
   * Mounts another Tessera (e.g. one built with `createTestTessera(context.store, { http: … })`
   * for other options) with the same framework; the app is closed after the test.
   */
  remount(tessera: Tessera): Promise<HttpMount>;
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
    const mounted: HttpMount[] = [];
    const remount = async (tessera: Tessera): Promise<HttpMount> => {
      const app = await options.mount(tessera);
      mounted.push(app);
      return app;
    };
    const context = { framework: options.framework, remount } as { -readonly [K in keyof HttpSuiteContext]: HttpSuiteContext[K] };

    beforeEach(async () => {
      context.store = await options.leg.open();
      context.t = await createTestTessera(context.store);
      context.app = await remount(context.t.tessera);
    });
    afterEach(async () => {
      await Promise.all(mounted.splice(0).map((app) => app.close()));
    });
    afterAll(async () => {
      await options.leg.close();
    });

    smokeSuite(context);
    accountSuite(context);
    verificationSuite(context);
    tokenEndpointSuite(context);
    meSuite(context);
    userManagementSuite(context);
    permissionMatrixSuite(context);
    massAssignmentSuite(context);
    idorSuite(context);
    hostileBodySuite(context);
    hostileUrlSuite(context);
    hypermediaSuite(context);
    hostRoutesSuite(context);
    metaSuite(context);
    proAndProfileSuite(context);
    adminOperationsSuite(context);
    emailChangeSuite(context);
    fuzzFindingsSuite(context);
    passwordRulesSuite(context);
    rateLimitSuite(context);
    registrationModesSuite(context);
    unicodeTricksSuite(context);
  });
}
