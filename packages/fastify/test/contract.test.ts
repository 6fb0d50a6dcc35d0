import { describeHttpContract, pgMemLeg, postgresAvailable, postgresLeg } from '@tessera/testkit';
import { describe } from 'vitest';
import { mountFastify } from './mount-fastify.js';

const available = await postgresAvailable();

describeHttpContract({ framework: 'fastify', leg: pgMemLeg(), mount: mountFastify });

// Skipped only when no PostgreSQL server is reachable locally; with CI=true that fails instead.
describe.skipIf(!available)('PostgreSQL', () => {
  describeHttpContract({ framework: 'fastify', leg: postgresLeg(), mount: mountFastify });
});
