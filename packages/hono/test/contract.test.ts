import { describeHttpContract, pgMemLeg, postgresAvailable, postgresLeg } from '@tessera/testkit';
import { describe } from 'vitest';
import { mountHono } from './mount-app.js';

const available = await postgresAvailable();

describeHttpContract({ framework: 'hono', leg: pgMemLeg(), mount: mountHono });

// Skipped only when no PostgreSQL server is reachable locally; with CI=true that fails instead.
describe.skipIf(!available)('PostgreSQL', () => {
  describeHttpContract({ framework: 'hono', leg: postgresLeg(), mount: mountHono });
});
